// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The host's time (kern/host.h, kern/realtime.h): the time of day from the
 * battery clock, stepped by host_set_time and slewed by host_adjust_time
 * while the monotonic clock goes on; the privileged calls refuse the plain
 * host. Run by tests/qemu/threads.t.
 */
#include "debug/ktest.h"
#include "kern/clock.h"
#include "kern/host.h"
#include "kern/string.h"
#include "tests/ktest/ktest_sleep.h"
#include "x86_64/machine.h"

KTEST(host_time, "host_get_time, host_set_time, host_adjust_time, host_kernel_version")
{
	time_value_t t, old;
	time_value64_t t64;
	char version[HOST_KERNEL_VERSION_MAX];
	uint64_t rtc = machine_rtc_seconds(), m0, m1;

	ktap_plan(8);
	kern_return_t kr = host_get_time(&host_plain, &t);
	ktap_ok(kr == KERN_SUCCESS && rtc > 1600000000 && (uint64_t)t.seconds + 2 >= rtc &&
	            (uint64_t)t.seconds <= rtc + 2,
	        "the time of day agrees with the battery clock (%ld, %lu)", t.seconds, rtc);
	ktap_ok(host_set_time(&host_plain, t) == KERN_INVALID_HOST &&
	            host_adjust_time(&host_plain, t, &old) == KERN_INVALID_HOST,
	        "setting or adjusting the time needs the privileged host");

	m0 = clock_monotonic_ns();
	time_value_t later = {.seconds = 2000000000, .microseconds = 500000};
	ktap_ok(host_set_time(&host_priv, later) == KERN_SUCCESS, "host_set_time");
	host_get_time64(&host_plain, &t64);
	m1 = clock_monotonic_ns();
	ktap_ok(t64.seconds == 2000000000 && t64.nanoseconds >= 500000000 &&
	            t64.nanoseconds < 600000000,
	        "the time of day jumps to the value set (%ld.%09ld)", t64.seconds, t64.nanoseconds);
	ktap_ok(m1 >= m0 && m1 - m0 < 50000000, "the monotonic clock does not jump (%lu ns)",
	        m1 - m0);

	/* Slew +1 s: at 40 us per 10 ms tick, 100 ms of it moves the time 400 us more. */
	time_value_t plus = {.seconds = 1, .microseconds = 0};
	host_get_time64(&host_plain, &t64);
	m0 = clock_monotonic_ns();
	int64_t before = t64.seconds * 1000000000LL + t64.nanoseconds;
	ktap_ok(host_adjust_time(&host_priv, plus, &old) == KERN_SUCCESS && old.seconds == 0 &&
	            old.microseconds == 0,
	        "host_adjust_time starts a slew, the old adjustment was 0");
	ktest_sleep_ms(100);
	host_get_time64(&host_plain, &t64);
	m1 = clock_monotonic_ns();
	int64_t gained =
	    (t64.seconds * 1000000000LL + t64.nanoseconds - before) - (int64_t)(m1 - m0);
	time_value_t zero = {0, 0};
	host_adjust_time(&host_priv, zero, &old);
	ktap_ok(gained >= 300000 && gained <= 600000 && old.seconds == 0 &&
	            old.microseconds > 900000,
	        "the slew gains %ld ns over the monotonic clock in about 100 ms; %d us remain",
	        (long)gained, old.microseconds);
	ktap_ok(host_kernel_version(&host_plain, version) == KERN_SUCCESS &&
	            !strncmp(version, "vmach", 5),
	        "host_kernel_version: '%s'", version);
}
