// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The CMOS real-time clock (MC146818 registers behind ports 0x70/0x71),
 * read once at boot for the time of day. The registers are read twice
 * until two reads agree, outside an update cycle, as the chip's data
 * sheet asks.
 */
#include "x86_64/machine.h"

#define CMOS_INDEX 0x70
#define CMOS_DATA 0x71
#define RTC_SECONDS 0x00
#define RTC_MINUTES 0x02
#define RTC_HOURS 0x04
#define RTC_DAY 0x07
#define RTC_MONTH 0x08
#define RTC_YEAR 0x09
#define RTC_STATUS_A 0x0a
#define RTC_STATUS_B 0x0b
#define RTC_A_UPDATING 0x80
#define RTC_B_BINARY 0x04
#define RTC_B_24H 0x02
#define RTC_HOURS_PM 0x80

static uint8_t
cmos_read(uint8_t reg)
{
	outb(CMOS_INDEX, reg);
	return inb(CMOS_DATA);
}

struct rtc_fields {
	uint8_t sec, min, hour, day, mon, year;
};

static void
rtc_read_fields(struct rtc_fields *f)
{
	while (cmos_read(RTC_STATUS_A) & RTC_A_UPDATING)
		cpu_relax();
	f->sec = cmos_read(RTC_SECONDS);
	f->min = cmos_read(RTC_MINUTES);
	f->hour = cmos_read(RTC_HOURS);
	f->day = cmos_read(RTC_DAY);
	f->mon = cmos_read(RTC_MONTH);
	f->year = cmos_read(RTC_YEAR);
}

static unsigned
from_bcd(uint8_t v)
{
	return (v >> 4) * 10 + (v & 15);
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian), by the civil-days formula. */
static int64_t
days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

uint64_t
machine_rtc_seconds(void)
{
	struct rtc_fields a, b;
	uint8_t status_b = cmos_read(RTC_STATUS_B);
	unsigned sec, min, hour, day, mon, year;
	bool pm;

	do {
		rtc_read_fields(&a);
		rtc_read_fields(&b);
	} while (a.sec != b.sec || a.min != b.min || a.hour != b.hour || a.day != b.day ||
	         a.mon != b.mon || a.year != b.year);
	pm = a.hour & RTC_HOURS_PM;
	a.hour &= ~RTC_HOURS_PM;
	if (status_b & RTC_B_BINARY) {
		sec = a.sec, min = a.min, hour = a.hour, day = a.day, mon = a.mon, year = a.year;
	} else {
		sec = from_bcd(a.sec), min = from_bcd(a.min), hour = from_bcd(a.hour);
		day = from_bcd(a.day), mon = from_bcd(a.mon), year = from_bcd(a.year);
	}
	if (!(status_b & RTC_B_24H))
		hour = hour % 12 + (pm ? 12 : 0);
	if (mon < 1 || mon > 12 || day < 1 || day > 31 || hour > 23 || min > 59 || sec > 60)
		return 0; /* no sensible clock: the time of day starts at the epoch */
	year += 2000;     /* the century register is not standard; QEMU's RTC is in this century */
	return (uint64_t)(days_from_civil(year, mon, day) * 86400 + hour * 3600 + min * 60 + sec);
}
