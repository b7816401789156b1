/*
 * Calendar dates.
 */
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "date.h"

static const char *const months[] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"
};

static int
days_in_month(int y, int m)
{
	static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dm[m - 1];
}

bool
date_valid(const struct date *d)
{
	return d->y >= 1 && d->y <= 9999 && d->m >= 1 && d->m <= 12 &&
	    d->d >= 1 && d->d <= days_in_month(d->y, d->m);
}

bool
date_parse(struct date *out, const char *s)
{
	int i;

	memset(out, 0, sizeof(*out));
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return false;
	out->y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	    (s[3] - '0');
	out->m = (s[5] - '0') * 10 + (s[6] - '0');
	out->d = (s[8] - '0') * 10 + (s[9] - '0');
	if (!date_valid(out)) {
		memset(out, 0, sizeof(*out));
		return false;
	}
	return true;
}

/* The digits at *s, from min to max of them, as a number; -1: not so. */
static int
date_digits(const char **s, int min, int max)
{
	int n = 0, v = 0;

	while (n < max && **s >= '0' && **s <= '9') {
		v = v * 10 + (**s - '0');
		(*s)++;
		n++;
	}
	return n >= min ? v : -1;
}

bool
date_time_tail(const char *s)
{
	int h, m, sec;

	if (*s == '\0')
		return true;
	if (*s == 'T' || *s == 't')
		s++;
	else if (*s == ' ' || *s == '\t')
		s += strspn(s, " \t");
	else
		return false;
	if ((h = date_digits(&s, 1, 2)) < 0 || h > 23 || *s++ != ':' ||
	    (m = date_digits(&s, 2, 2)) < 0 || m > 59)
		return false;
	if (*s == ':' && (s++, (sec = date_digits(&s, 2, 2)) < 0 || sec > 60))
		return false;
	if (*s == '.' && (s++, date_digits(&s, 1, 9) < 0))
		return false;
	while (*s >= '0' && *s <= '9')
		s++;	/* past nanoseconds */
	s += strspn(s, " \t");
	if (*s == 'Z' || *s == 'z')
		s++;
	else if (*s == '+' || *s == '-') {
		s++;
		if ((h = date_digits(&s, 1, 2)) < 0 || h > 23)
			return false;
		if (*s == ':')
			s++;
		if (*s != '\0' && ((m = date_digits(&s, 2, 2)) < 0 || m > 59))
			return false;
	}
	return *s == '\0';
}

const char *
date_impossible(char *buf, size_t n, const char *s)
{
	struct date d;

	if (date_parse(&d, s) || strlen(s) != 10 || s[4] != '-' ||
	    s[7] != '-' || strspn(s, "0123456789") != 4 ||
	    strspn(s + 5, "0123456789") != 2 ||
	    strspn(s + 8, "0123456789") != 2)
		return NULL;
	d.y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	    (s[3] - '0');
	d.m = (s[5] - '0') * 10 + (s[6] - '0');
	d.d = (s[8] - '0') * 10 + (s[9] - '0');
	if (d.y == 0)
		snprintf(buf, n, "there is no year 0000");
	else if (d.m < 1 || d.m > 12)
		snprintf(buf, n, "there is no month %.2s", s + 5);
	else if (d.d < 1)
		snprintf(buf, n, "there is no day 00");
	else
		snprintf(buf, n, "%s %04d has %d days", months[d.m - 1], d.y,
		    days_in_month(d.y, d.m));
	return buf;
}

int
date_cmp(const struct date *a, const struct date *b)
{
	if (a->y != b->y)
		return a->y < b->y ? -1 : 1;
	if (a->m != b->m)
		return a->m < b->m ? -1 : 1;
	if (a->d != b->d)
		return a->d < b->d ? -1 : 1;
	return 0;
}

/* Howard Hinnant's days_from_civil. */
long
date_to_days(const struct date *d)
{
	long y = d->y - (d->m <= 2);
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153 * (d->m + (d->m > 2 ? -3 : 9)) + 2) / 5 + d->d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

void
date_from_days(struct date *out, long z)
{
	long era, doe, yoe, y, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	out->d = (int)(doy - (153 * mp + 2) / 5 + 1);
	out->m = (int)(mp < 10 ? mp + 3 : mp - 9);
	out->y = (int)(y + (out->m <= 2));
}

void
date_add_days(struct date *out, const struct date *d, long n)
{
	date_from_days(out, date_to_days(d) + n);
}

/* v in decimal with zeros up to `width` digits, as "%0*d" gives it. */
static void
put_num(struct buf *b, int v, int width)
{
	if (v < 0)
		buf_printf(b, "%0*d", width, v);
	else
		buf_put_uint(b, (unsigned)v, width);
}

void
date_iso(struct buf *b, const struct date *d)
{
	put_num(b, d->y, 4);
	buf_putc(b, '-');
	put_num(b, d->m, 2);
	buf_putc(b, '-');
	put_num(b, d->d, 2);
}

void
date_format(struct buf *b, const char *fmt, const struct date *d)
{
	const char *p;

	for (p = fmt; *p != '\0'; p++) {
		if (*p != '%') {
			buf_putc(b, *p);
			continue;
		}
		p++;
		if (*p == '-' && (p[1] == 'd' || p[1] == 'm')) {
			put_num(b, p[1] == 'd' ? d->d : d->m, 1);
			p++;
			continue;
		}
		switch (*p) {
		case 'd':
			put_num(b, d->d, 2);
			break;
		case 'm':
			put_num(b, d->m, 2);
			break;
		case 'Y':
			put_num(b, d->y, 4);
			break;
		case 'B':
			buf_puts(b, months[d->m - 1]);
			break;
		case 'b':
			buf_put(b, months[d->m - 1], 3);
			break;
		case '%':
			buf_putc(b, '%');
			break;
		case '\0':
			return;
		default:
			buf_putc(b, '%');
			buf_putc(b, *p);
		}
	}
}

bool
date_format_valid(const char *fmt)
{
	return date_format_bad(fmt) == NULL;
}

const char *
date_format_bad(const char *fmt)
{
	const char *p, *pct;

	for (p = fmt; *p != '\0'; p++) {
		if (*p != '%')
			continue;
		pct = p++;
		if (*p == '-')
			p++;
		if (*p == '\0' || strchr("dmYBb%", *p) == NULL)
			return pct;
		if (p[-1] == '-' && *p != 'd' && *p != 'm')
			return pct;
	}
	return NULL;
}
