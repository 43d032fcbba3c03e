// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Network interfaces behind the device interface (docs/devices.md):
 * `eth0`... of device/net.h. device_write and device_write_inband send one
 * frame; device_set_filter gives a port the frames its filter takes
 * (device/net_filter_list.h), each as a net_rcv_msg; device_get_status
 * answers NET_STATUS, NET_ADDRESS and NET_FLAGS, device_set_status
 * NET_FLAGS (promiscuous and all-multicast reception).
 *
 * Receiving: the interface's receive callback runs in interrupt context
 * with the interface's lock held, where no message can be sent; it copies
 * the frame into a bounded queue (NET_RXQ_FRAMES; a full queue drops the
 * frame, counted) and wakes the interface's delivery thread, which runs
 * the filters and sends the messages. A port whose queue is full loses
 * the frame (counted), as on GNU Mach, so a slow receiver never holds
 * kernel memory without bound. Sent frames go to the NETF_OUT filters the
 * same way.
 *
 * Sending waits while the transmit ring is full (GNU Mach queues the
 * frame and its device_write completes once it is sent), up to a second:
 * then D_WOULD_BLOCK; a frame longer
 * than the header plus the MTU, or shorter than the header, is
 * D_INVALID_SIZE.
 *
 * Filters live while the device is open: its last close (or its holders'
 * death, through no-senders) removes them all and their rights.
 *
 * Locks: nd_qlock (the queue: the receive callback's, interrupts off)
 * ranks above the interface lock it is taken under; nd_flock (the filter
 * list) below the IPC locks, since messages are sent with it held.
 */
#include <device/net_status.h>

#include "device/dev.h"
#include "device/dev_name.h"
#include "device/net.h"
#include "device/net_filter_list.h"
#include "ipc/ipc_kmsg.h"
#include "ipc/ipc_mqueue.h"
#include "ipc/ipc_port.h"
#include "kern/initcall.h"
#include "kern/kmalloc.h"
#include "kern/log.h"
#include "kern/spinlock.h"
#include "kern/string.h"
#include "kern/thread.h"
#include "kern/wait.h"
#include "vm/vm_user.h"

/* A send waits for room in the ring by steps of NET_TX_WAIT_NS (woken
 * sooner by the tx-ready callback), at most NET_TX_WAIT_TRIES steps: then
 * D_WOULD_BLOCK. */
#define NET_TX_WAIT_NS (10 * 1000 * 1000ull)
#define NET_TX_WAIT_TRIES 100
/* Frames waiting for the delivery thread, per interface. */
#define NET_RXQ_FRAMES 128
/* The longest frame delivered: an Ethernet frame of a 1500-byte MTU and a
 * VLAN tag. Longer ones (jumbo frames) are counted and dropped: a
 * net_rcv_msg carries at most NET_RCV_MAX bytes anyway. */
#define NET_FRAME_MAX 1518
/* GNU Mach's interface flags (its if_hdr.h), as NET_STATUS reports them. */
#define NET_IFF_UP 0x1
#define NET_IFF_BROADCAST 0x2
#define NET_IFF_RUNNING 0x40
#define NET_IFF_PROMISC 0x100
#define NET_IFF_ALLMULTI 0x200

struct net_rx_slot {
	uint16_t rs_len;
	bool rs_sent; /* a frame this interface sent: for NETF_OUT filters */
	uint8_t rs_frame[NET_FRAME_MAX];
};

struct net_dev {
	struct net_if *nd_if;
	/* The frame queue: rs_len slots [nd_tail, nd_head), under nd_qlock. */
	struct spinlock nd_qlock;
	struct net_rx_slot *nd_q;
	unsigned nd_head, nd_tail;
	bool nd_open;     /* frames are queued only while the device is open */
	bool nd_want_out; /* a filter takes sent frames (NETF_OUT) */
	int nd_flags;     /* NET_IFF_PROMISC and NET_IFF_ALLMULTI as set (NET_FLAGS) */
	struct wait_event nd_rx_event;
	struct wait_event nd_tx_event; /* room in the transmit ring again */
	/* The filters, under nd_flock. */
	struct spinlock nd_flock;
	struct net_filter_list nd_filters;
	/* Counters. */
	uint64_t nd_queue_drops, nd_too_long, nd_delivered;
	struct net_dev *nd_next;
};

static struct spinlock net_devs_lock = SPINLOCK_INIT("net devs", LOCK_RANK_DEVICE);
static struct net_dev *net_devs; /* one per interface ever opened, kept */

static void
port_release(void *port)
{
	ipc_port_send_release(port);
}

/* ---- receiving ---- */

static void
queue_frame(struct net_dev *nd, const uint8_t *frame, size_t len, bool sent)
{
	uint64_t f = spin_lock_irqsave(&nd->nd_qlock);

	if (!nd->nd_open) {
		spin_unlock_irqrestore(&nd->nd_qlock, f);
		return;
	}
	if (len > NET_FRAME_MAX || len < NET_HDR_LEN) {
		nd->nd_too_long++;
	} else if (nd->nd_head - nd->nd_tail == NET_RXQ_FRAMES) {
		nd->nd_queue_drops++;
	} else {
		struct net_rx_slot *s = &nd->nd_q[nd->nd_head % NET_RXQ_FRAMES];

		s->rs_len = (uint16_t)len;
		s->rs_sent = sent;
		memcpy(s->rs_frame, frame, len);
		nd->nd_head++;
	}
	spin_unlock_irqrestore(&nd->nd_qlock, f);
	wait_wake(&nd->nd_rx_event);
}

/* The receive callback: interrupt context, the interface's lock held. */
static void
net_dev_rx(struct net_if *ifp, const uint8_t *frame, size_t len, void *arg)
{
	(void)ifp;
	queue_frame(arg, frame, len, false);
}

static void
net_dev_tx_ready(struct net_if *ifp, void *arg)
{
	struct net_dev *nd = arg;

	(void)ifp;
	wait_wake(&nd->nd_tx_event);
}

/* A frame as the filters see it, and the message built from it. */
struct delivery {
	uint8_t header[NET_HDW_HDR_MAX];
	uint8_t packet[NET_RCV_MAX]; /* struct packet_header, then the payload */
	struct net_frame frame;
};

static const mach_msg_type_t net_byte_type = {
    .msgt_name = MACH_MSG_TYPE_BYTE,
    .msgt_size = 8,
    .msgt_inline = 1,
};

/* One net_rcv_msg of count packet bytes to port; never waits. */
static enum net_deliver_result
deliver(void *arg, void *port_v, unsigned count)
{
	struct delivery *dl = arg;
	struct ipc_port *port = port_v;
	mach_msg_size_t size =
	    (mach_msg_size_t)((offsetof(struct net_rcv_msg, packet) + count + 7) & ~7ul);
	struct ipc_kmsg km;

	if (!__atomic_load_n(&port->ip_active, __ATOMIC_ACQUIRE))
		return NET_PORT_DEAD;
	if (!ipc_kmsg_alloc(&ipc_kernel_msg_ops, size, &km))
		return NET_DROPPED;
	struct net_rcv_msg *m = (struct net_rcv_msg *)km.buf;
	memset(m, 0, offsetof(struct net_rcv_msg, packet));
	m->msg_hdr.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND, 0);
	m->msg_hdr.msgh_size = size;
	m->msg_hdr.msgh_id = NET_RCV_MSG_ID;
	ipc_port_send_add(port);                      /* the message's own send right */
	memcpy((uint8_t *)m + 8, &port, sizeof port); /* the kernel form's 8-byte remote slot */
	m->header_type = net_byte_type;
	m->header_type.msgt_number = NET_HDW_HDR_MAX;
	memcpy(m->header, dl->header, NET_HDW_HDR_MAX);
	m->packet_type = net_byte_type;
	m->packet_type.msgt_number = count;
	memcpy(m->packet, dl->packet, count);
	if (ipc_mqueue_send(&km, MACH_SEND_TIMEOUT, 0) != MACH_MSG_SUCCESS) {
		ipc_kmsg_destroy(&ipc_kernel_msg_ops, &km); /* its send right with it */
		return NET_DROPPED;
	}
	return NET_DELIVERED;
}

static bool
queue_ready(void *arg)
{
	struct net_dev *nd = arg;

	return __atomic_load_n(&nd->nd_head, __ATOMIC_ACQUIRE) != nd->nd_tail;
}

/* The interface's delivery thread: frames from the queue to the filters' ports. */
static void
net_dev_thread(void *arg)
{
	struct net_dev *nd = arg;
	struct delivery *dl = kzalloc(sizeof(*dl));

	if (!dl) {
		log_err("%s: no memory for frame delivery", net_if_name(nd->nd_if));
		thread_terminate_self();
	}
	for (;;) {
		wait_until(&nd->nd_rx_event, queue_ready, nd, WAIT_FOREVER);
		while (queue_ready(nd)) {
			struct net_rx_slot *s = &nd->nd_q[nd->nd_tail % NET_RXQ_FRAMES];
			unsigned payload = s->rs_len - NET_HDR_LEN;
			struct packet_header ph = {
			    .length = (unsigned short)(payload + sizeof(ph)),
			    .type = (unsigned short)(s->rs_frame[12] | s->rs_frame[13] << 8),
			};

			memset(dl->header, 0, sizeof(dl->header));
			memcpy(dl->header, s->rs_frame, NET_HDR_LEN);
			memcpy(dl->packet, &ph, sizeof(ph));
			memcpy(dl->packet + sizeof(ph), s->rs_frame + NET_HDR_LEN, payload);
			dl->frame = (struct net_frame){.nfr_header = dl->header,
			                               .nfr_hlen = NET_HDR_LEN,
			                               .nfr_packet = dl->packet,
			                               .nfr_count = payload + sizeof(ph)};
			bool sent = s->rs_sent;
			__atomic_store_n(&nd->nd_tail, nd->nd_tail + 1, __ATOMIC_RELEASE);

			spin_lock(&nd->nd_flock);
			nd->nd_delivered += net_filter_list_deliver(
			    &nd->nd_filters, &dl->frame, sent ? NETF_OUT : NETF_IN, deliver, dl);
			spin_unlock(&nd->nd_flock);
		}
	}
}

/* ---- the device ---- */

static struct net_dev *
net_dev_of(struct device *d)
{
	return d->d_obj;
}

/*
 * The interface's state, made at its first open and kept (its delivery
 * thread never ends), or NULL without memory. Lookups run in thread
 * context on one CPU, and nothing here waits, so no other lookup can make
 * a second state between the search and the insertion (SMP will want the
 * search again under the lock).
 */
static struct net_dev *
net_dev_get(struct net_if *ifp)
{
	struct net_dev *nd;
	uint64_t f = spin_lock_irqsave(&net_devs_lock);

	for (nd = net_devs; nd && nd->nd_if != ifp; nd = nd->nd_next)
		;
	spin_unlock_irqrestore(&net_devs_lock, f);
	if (nd)
		return nd;
	if (!(nd = kzalloc(sizeof(*nd))))
		return NULL;
	nd->nd_if = ifp;
	nd->nd_qlock = (struct spinlock)SPINLOCK_INIT("net rx queue", LOCK_RANK_NET_RXQ);
	nd->nd_flock = (struct spinlock)SPINLOCK_INIT("net filters", LOCK_RANK_NET_FILTERS);
	nd->nd_rx_event = (struct wait_event)WAIT_EVENT_INIT("net rx queue");
	nd->nd_tx_event = (struct wait_event)WAIT_EVENT_INIT("net tx room");
	net_filter_list_init(&nd->nd_filters, port_release);
	nd->nd_q = kmalloc(NET_RXQ_FRAMES * sizeof(*nd->nd_q));
	if (!nd->nd_q || kthread_create(net_dev_thread, nd, "net delivery", BASEPRI_SYSTEM, NULL) !=
	                     KERN_SUCCESS) {
		kfree(nd->nd_q);
		kfree(nd);
		return NULL;
	}
	f = spin_lock_irqsave(&net_devs_lock);
	nd->nd_next = net_devs;
	net_devs = nd;
	spin_unlock_irqrestore(&net_devs_lock, f);
	return nd;
}

static io_return_t
net_dev_open(void *obj, dev_mode_t mode)
{
	struct net_dev *nd = obj;
	uint64_t f;

	(void)mode;
	f = spin_lock_irqsave(&nd->nd_qlock);
	nd->nd_open = true;
	spin_unlock_irqrestore(&nd->nd_qlock, f);
	net_set_tx_ready(nd->nd_if, net_dev_tx_ready, nd);
	net_set_rx(nd->nd_if, net_dev_rx, nd);
	return D_SUCCESS;
}

static void
net_dev_close(struct device *d)
{
	struct net_dev *nd = net_dev_of(d);
	uint64_t f;

	net_set_rx(nd->nd_if, NULL, NULL);
	f = spin_lock_irqsave(&nd->nd_qlock);
	nd->nd_open = false;
	nd->nd_tail = nd->nd_head; /* frames not yet delivered go */
	spin_unlock_irqrestore(&nd->nd_qlock, f);
	spin_lock(&nd->nd_flock);
	net_filter_list_clear(&nd->nd_filters);
	__atomic_store_n(&nd->nd_want_out, false, __ATOMIC_RELAXED);
	spin_unlock(&nd->nd_flock);
}

static bool
tx_room(void *arg)
{
	return false; /* woken by the tx-ready callback: send again */
}

/* One frame out, waiting while the ring is full; a copy goes to NETF_OUT filters. */
static io_return_t
send_frame(struct net_dev *nd, const void *frame, uint32_t len)
{
	io_return_t err;

	if (len < NET_HDR_LEN || len > NET_HDR_LEN + net_if_mtu(nd->nd_if))
		return D_INVALID_SIZE;
	/* A ring that stays full (a device that stopped sending) does not keep
	 * the caller, which could then never be terminated, for ever. */
	for (unsigned tries = 0;
	     (err = net_send(nd->nd_if, frame, len)) == D_WOULD_BLOCK && tries < NET_TX_WAIT_TRIES;
	     tries++)
		wait_until(&nd->nd_tx_event, tx_room, NULL, NET_TX_WAIT_NS);
	if (err == D_SUCCESS && __atomic_load_n(&nd->nd_want_out, __ATOMIC_RELAXED))
		queue_frame(nd, frame, len, true);
	return err;
}

static io_return_t
net_dev_write_inband(struct device *d, recnum_t recnum, const char *buf, uint32_t bytes,
                     uint32_t *written)
{
	io_return_t err = send_frame(net_dev_of(d), buf, bytes);

	(void)recnum;
	*written = err == D_SUCCESS ? bytes : 0;
	return err;
}

static io_return_t
net_dev_write(struct device *d, recnum_t recnum, const struct vm_copy *data, uint32_t bytes,
              uint32_t *written)
{
	uint8_t *frame;
	io_return_t err;

	(void)recnum;
	*written = 0;
	if (bytes > NET_HDR_LEN + net_if_mtu(net_dev_of(d)->nd_if))
		return D_INVALID_SIZE;
	if (!(frame = kmalloc(bytes)))
		return D_NO_MEMORY;
	if (vm_copy_read(data, 0, frame, bytes) != bytes)
		err = D_INVALID_SIZE;
	else
		err = send_frame(net_dev_of(d), frame, bytes);
	kfree(frame);
	*written = err == D_SUCCESS ? bytes : 0;
	return err;
}

static int
net_dev_flags(struct net_dev *nd)
{
	return NET_IFF_UP | NET_IFF_BROADCAST | (net_if_link_up(nd->nd_if) ? NET_IFF_RUNNING : 0) |
	       __atomic_load_n(&nd->nd_flags, __ATOMIC_RELAXED);
}

static io_return_t
net_dev_get_status(struct device *d, dev_flavor_t flavor, int *status, uint32_t *count)
{
	struct net_if *ifp = net_dev_of(d)->nd_if;

	switch (flavor) {
	case NET_FLAGS:
		if (*count != 1)
			return D_INVALID_SIZE;
		status[0] = net_dev_flags(net_dev_of(d));
		return D_SUCCESS;
	case NET_STATUS: {
		struct net_status ns = {
		    .min_packet_size = NET_HDR_LEN,
		    .max_packet_size = (int)(NET_HDR_LEN + net_if_mtu(ifp)),
		    .header_format = HDR_ETHERNET,
		    .header_size = NET_HDR_LEN,
		    .address_size = NET_ADDR_LEN,
		    .flags = net_dev_flags(net_dev_of(d)),
		};
		if (*count < NET_STATUS_COUNT)
			return D_INVALID_OPERATION;
		memcpy(status, &ns, sizeof(ns));
		*count = NET_STATUS_COUNT;
		return D_SUCCESS;
	}
	case NET_ADDRESS: {
		/* GNU Mach: the address in whole ints, each in network order. */
		uint8_t mac[2 * sizeof(int)] = {0};
		unsigned n = (NET_ADDR_LEN + sizeof(int) - 1) / sizeof(int);

		if (*count < n)
			return D_INVALID_OPERATION;
		net_if_mac(ifp, mac);
		for (unsigned i = 0; i < n; i++) {
			uint8_t *b = mac + i * sizeof(int);
			status[i] = (int)((uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
			                  (uint32_t)b[2] << 8 | b[3]);
		}
		*count = n;
		return D_SUCCESS;
	}
	default:
		return D_INVALID_OPERATION;
	}
}

/*
 * NET_FLAGS: promiscuous and all-multicast reception, the two flags a
 * task sets (the Hurd's pfinet asks all-multicast for its multicast
 * groups: GNU Mach's interface has no call for single addresses). The
 * others are the interface's and stay as they are.
 */
static io_return_t
net_dev_set_status(struct device *d, dev_flavor_t flavor, const int *status, uint32_t count)
{
	struct net_dev *nd = net_dev_of(d);
	io_return_t err;

	if (flavor != NET_FLAGS)
		return D_INVALID_OPERATION;
	if (count != 1)
		return D_INVALID_SIZE;
	int want = status[0] & (NET_IFF_PROMISC | NET_IFF_ALLMULTI), had = nd->nd_flags;
	if ((want ^ had) & NET_IFF_PROMISC &&
	    (err = net_set_promisc(nd->nd_if, want & NET_IFF_PROMISC)) != D_SUCCESS)
		return err;
	if ((want ^ had) & NET_IFF_ALLMULTI &&
	    (err = net_set_allmulti(nd->nd_if, want & NET_IFF_ALLMULTI)) != D_SUCCESS) {
		if ((want ^ had) & NET_IFF_PROMISC)
			net_set_promisc(nd->nd_if, had & NET_IFF_PROMISC); /* as it was */
		return err;
	}
	__atomic_store_n(&nd->nd_flags, want, __ATOMIC_RELAXED);
	return D_SUCCESS;
}

static io_return_t
net_dev_set_filter(struct device *d, struct ipc_port *port, int priority, const filter_t *filter,
                   unsigned count)
{
	struct net_dev *nd = net_dev_of(d);
	io_return_t err;

	spin_lock(&nd->nd_flock);
	err = net_filter_list_set(&nd->nd_filters, port, priority, filter, count);
	if (err == D_SUCCESS && (filter[0] & NETF_OUT))
		__atomic_store_n(&nd->nd_want_out, true, __ATOMIC_RELAXED);
	spin_unlock(&nd->nd_flock);
	return err;
}

static const struct dev_ops net_dev_ops = {
    .do_kind = "network",
    .do_open = net_dev_open,
    .do_close = net_dev_close,
    .do_write = net_dev_write,
    .do_write_inband = net_dev_write_inband,
    .do_get_status = net_dev_get_status,
    .do_set_status = net_dev_set_status,
    .do_set_filter = net_dev_set_filter,
};

static bool
net_dev_lookup(const char *name, const struct dev_ops **ops, void **obj)
{
	struct net_if *ifp = net_if_find(name);
	struct net_dev *nd;

	if (!ifp || !(nd = net_dev_get(ifp)))
		return false;
	*ops = &net_dev_ops;
	*obj = nd;
	return true;
}

static void
dev_net_init(void)
{
	dev_name_register("network", net_dev_lookup);
}
INITCALL(INIT_BUS, "dev_net", dev_net_init);
