// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tests/net-peer/peer.c: the host side of the virtio-net tests. It speaks
 * QEMU's "-netdev socket,udp=127.0.0.1:A,localaddr=127.0.0.1:B" format: one
 * Ethernet frame per UDP datagram, on loopback only (the addresses are
 * fixed to 127.0.0.1; only the ports are arguments).
 *
 *   net-peer echo A B GUESTMAC FRAMES MIN MAX WINDOW
 *     sends FRAMES frames to GUESTMAC, sizes varied between MIN and MAX
 *     bytes (both included), at most WINDOW unanswered, and checks every
 *     echoed byte (addresses swapped). Waits up to 60 s for the guest to
 *     answer a probe first. Exit 0 when nothing was lost or corrupted.
 *     Prints "net-peer: ... frames/s" and a line of key=value results.
 *
 *   net-peer respond A B SECONDS
 *     answers the guest's requests (EtherType 0x88b6: dst MAC, count, tag,
 *     size) by sending count frames of that size to that MAC (EtherType
 *     0x88b5, first payload byte the tag), for the filter tests; a request
 *     with count 0 ends it.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define PEER_MAX_FRAME 65536
#define PEER_PROBE 0xffffffffu
#define PEER_TYPE_DATA 0x88b5
#define PEER_TYPE_REQ 0x88b6
#define PEER_LOSS_MS 3000 /* silence that declares frames lost */

static const uint8_t peer_mac[6] = {0x52, 0x54, 0x00, 0xaa, 0xbb, 0x01};
static int peer_fd;
static struct sockaddr_in peer_guest;

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
parse_mac(const char *s, uint8_t *mac)
{
	unsigned v[6];

	if (sscanf(s, "%x:%x:%x:%x:%x:%x", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5]) != 6)
		return -1;
	for (int i = 0; i < 6; i++)
		mac[i] = (uint8_t)v[i];
	return 0;
}

/* Loopback only: bind 127.0.0.1:listen, send to 127.0.0.1:guest. */
static void
peer_socket(int listen_port, int guest_port)
{
	struct sockaddr_in a = {.sin_family = AF_INET};
	int sz = 4 << 20;

	peer_fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (peer_fd < 0) {
		perror("socket");
		exit(2);
	}
	setsockopt(peer_fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	setsockopt(peer_fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons((uint16_t)listen_port);
	if (bind(peer_fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		perror("bind 127.0.0.1");
		exit(2);
	}
	peer_guest = a;
	peer_guest.sin_port = htons((uint16_t)guest_port);
}

static void
peer_send(const uint8_t *f, size_t len)
{
	if (sendto(peer_fd, f, len, 0, (struct sockaddr *)&peer_guest, sizeof(peer_guest)) !=
	    (ssize_t)len)
		perror("sendto");
}

/* Receive one datagram within ms milliseconds: its length or -1. */
static int
peer_recv(uint8_t *buf, int ms)
{
	struct pollfd p = {.fd = peer_fd, .events = POLLIN};

	if (poll(&p, 1, ms) <= 0)
		return -1;
	return (int)recv(peer_fd, buf, PEER_MAX_FRAME, 0);
}

static uint8_t
pattern(uint32_t seq, uint32_t i)
{
	return (uint8_t)(seq * 31u + i * 7u + (i >> 8));
}

static void
put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Frame seq of len bytes (len >= 22): header, seq, len, pattern. */
static void
mkframe(uint8_t *f, const uint8_t *dst, uint32_t seq, uint32_t len)
{
	memcpy(f, dst, 6);
	memcpy(f + 6, peer_mac, 6);
	f[12] = PEER_TYPE_DATA >> 8;
	f[13] = PEER_TYPE_DATA & 0xff;
	put32(f + 14, seq);
	put32(f + 18, len);
	for (uint32_t i = 22; i < len; i++)
		f[i] = pattern(seq, i);
}

/* An echoed frame: addresses swapped, everything else identical. */
static int
check_echo(const uint8_t *f, int n, const uint8_t *gmac, uint32_t *seq)
{
	uint32_t len;

	if (n < 22 || memcmp(f, peer_mac, 6) || memcmp(f + 6, gmac, 6) ||
	    f[12] != (PEER_TYPE_DATA >> 8) || f[13] != (PEER_TYPE_DATA & 0xff))
		return -1;
	*seq = get32(f + 14);
	len = get32(f + 18);
	if (*seq == PEER_PROBE)
		return 1;
	if (len != (uint32_t)n)
		return -1;
	for (uint32_t i = 22; i < len; i++)
		if (f[i] != pattern(*seq, i))
			return -1;
	return 0;
}

static uint32_t
frame_len(uint32_t seq, uint32_t min, uint32_t max)
{
	if (seq == 0)
		return min;
	if (seq == 1)
		return max;
	/* A spread over the whole range, small ones more often. */
	uint32_t r = (seq * 2654435761u) >> 8;
	if (r & 1)
		return min + r % (max - min + 1 < 200 ? max - min + 1 : 200);
	return min + r % (max - min + 1);
}

/* Probe until the guest echoes (boot takes a while under TCG). */
static int
wait_guest(const uint8_t *gmac)
{
	static uint8_t f[PEER_MAX_FRAME];
	double end = now() + 60;
	uint32_t seq;
	int n;

	while (now() < end) {
		mkframe(f, gmac, PEER_PROBE, 64);
		peer_send(f, 64);
		n = peer_recv(f, 200);
		if (n > 0 && check_echo(f, n, gmac, &seq) == 1) {
			while ((n = peer_recv(f, 300)) > 0)
				; /* late probe echoes */
			return 0;
		}
	}
	fprintf(stderr, "net-peer: the guest never echoed a probe\n");
	return -1;
}

struct echo_run {
	uint32_t frames, min, max, window;
	uint32_t sent, ok, corrupt, lost, dup;
	uint64_t bytes;
	uint8_t *seen;
};

static void
echo_recv_one(struct echo_run *r, const uint8_t *f, int n, const uint8_t *gmac)
{
	uint32_t seq;
	int c = check_echo(f, n, gmac, &seq);

	if (c == 1)
		return;
	if (c < 0 || seq >= r->sent) {
		if (r->corrupt++ < 5)
			fprintf(stderr, "net-peer: corrupt echo (%d bytes, seq %u)\n", n, seq);
		return;
	}
	if (r->seen[seq]) {
		r->dup++;
		return;
	}
	r->seen[seq] = 1;
	r->ok++;
	r->bytes += (uint64_t)n;
}

static int
peer_echo(const uint8_t *gmac, struct echo_run *r)
{
	static uint8_t f[PEER_MAX_FRAME], in[PEER_MAX_FRAME];
	double t0, t1;
	int n;

	r->seen = calloc(r->frames, 1);
	if (wait_guest(gmac))
		return 2;
	t0 = now();
	while (r->ok + r->lost + r->corrupt < r->frames) {
		while (r->sent < r->frames &&
		       r->sent - (r->ok + r->lost + r->corrupt) < r->window) {
			uint32_t len = frame_len(r->sent, r->min, r->max);

			mkframe(f, gmac, r->sent, len);
			peer_send(f, len);
			r->sent++;
		}
		n = peer_recv(in, PEER_LOSS_MS);
		if (n < 0) {
			/* Silence: whatever is outstanding is lost. */
			uint32_t out = r->sent - (r->ok + r->lost + r->corrupt);

			fprintf(stderr, "net-peer: %u frames lost after %u echoed\n", out, r->ok);
			r->lost += out;
			if (r->lost > 1000)
				break;
			continue;
		}
		echo_recv_one(r, in, n, gmac);
	}
	t1 = now();
	while ((n = peer_recv(in, 200)) > 0)
		echo_recv_one(r, in, n, gmac); /* late ones count as dup */
	printf("net-peer: %u frames %u..%u bytes, window %u: %u echoed intact, %u lost, "
	       "%u corrupt, %u duplicate, %.0f frames/s, %.2f MB/s\n",
	       r->frames, r->min, r->max, r->window, r->ok, r->lost, r->corrupt, r->dup,
	       r->ok / (t1 - t0), r->bytes / (t1 - t0) / 1e6);
	printf("result frames=%u ok=%u lost=%u corrupt=%u dup=%u seconds=%.3f fps=%.1f\n",
	       r->frames, r->ok, r->lost, r->corrupt, r->dup, t1 - t0, r->ok / (t1 - t0));
	free(r->seen);
	return (r->ok == r->frames && r->lost == 0 && r->corrupt == 0 && r->dup == 0) ? 0 : 1;
}

/* One request from the guest: send count frames of size to dst. */
static int
peer_respond_one(const uint8_t *req, int n)
{
	static uint8_t f[PEER_MAX_FRAME];
	unsigned count, size;

	if (n < 14 + 11 || req[12] != (PEER_TYPE_REQ >> 8) || req[13] != (PEER_TYPE_REQ & 0xff))
		return 1;
	count = (unsigned)req[20] << 8 | req[21];
	size = (unsigned)req[23] << 8 | req[24];
	if (count == 0)
		return 0;
	if (size < 60 || size > 1514)
		size = 60;
	for (unsigned i = 0; i < count; i++) {
		memcpy(f, req + 14, 6);
		memcpy(f + 6, peer_mac, 6);
		f[12] = PEER_TYPE_DATA >> 8;
		f[13] = PEER_TYPE_DATA & 0xff;
		f[14] = req[22];
		for (unsigned k = 15; k < size; k++)
			f[k] = (uint8_t)k;
		peer_send(f, size);
	}
	printf("net-peer: sent %u frames to %02x:%02x:%02x:%02x:%02x:%02x tag %u\n", count, req[14],
	       req[15], req[16], req[17], req[18], req[19], req[22]);
	fflush(stdout);
	return 1;
}

static int
peer_respond(int seconds)
{
	static uint8_t in[PEER_MAX_FRAME];
	double end = now() + seconds;
	int n;

	while (now() < end) {
		n = peer_recv(in, 200);
		if (n > 0 && peer_respond_one(in, n) == 0)
			return 0;
	}
	return 1;
}

int
main(int argc, char **argv)
{
	uint8_t gmac[6];

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 9 && !strcmp(argv[1], "echo") && !parse_mac(argv[4], gmac)) {
		struct echo_run r = {
		    .frames = (uint32_t)atoi(argv[5]),
		    .min = (uint32_t)atoi(argv[6]),
		    .max = (uint32_t)atoi(argv[7]),
		    .window = (uint32_t)atoi(argv[8]),
		};
		if (r.min < 22 || r.max < r.min || r.max > PEER_MAX_FRAME || r.window < 1 ||
		    r.frames < 2) {
			fprintf(stderr, "net-peer: bad sizes\n");
			return 2;
		}
		peer_socket(atoi(argv[2]), atoi(argv[3]));
		return peer_echo(gmac, &r);
	}
	if (argc == 5 && !strcmp(argv[1], "respond")) {
		peer_socket(atoi(argv[2]), atoi(argv[3]));
		return peer_respond(atoi(argv[4]));
	}
	fprintf(stderr, "usage: net-peer echo LISTENPORT GUESTPORT GUESTMAC FRAMES MIN MAX WINDOW\n"
	                "       net-peer respond LISTENPORT GUESTPORT SECONDS\n");
	return 2;
}
