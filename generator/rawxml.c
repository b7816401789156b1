/*
 * Where things are in the bytes of a well-formed XML document.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "rawxml.h"
#include "util.h"

/* The offset after the first `what` at or after i, or len. */
static size_t
past(const char *data, size_t len, size_t i, const char *what)
{
	size_t n = strlen(what);

	for (; i + n <= len; i++)
		if (memcmp(data + i, what, n) == 0)
			return i + n;
	return len;
}

static int
starts(const char *data, size_t len, size_t i, const char *what)
{
	size_t n = strlen(what);

	return len - i >= n && memcmp(data + i, what, n) == 0;
}

size_t
rawxml_elements(struct rawxml_el **out, const char *data, size_t len)
{
	struct rawxml_el *els = NULL;
	size_t *open = NULL, opensz = 0, n = 0, i = 0, cap = 0;
	char q;

	while (i < len) {
		if (data[i] != '<') {
			i++;
			continue;
		}
		if (starts(data, len, i, "<!--"))
			i = past(data, len, i + 4, "-->");
		else if (starts(data, len, i, "<![CDATA["))
			i = past(data, len, i + 9, "]]>");
		else if (starts(data, len, i, "<?"))
			i = past(data, len, i + 2, "?>");
		else if (starts(data, len, i, "<!"))
			i = past(data, len, i + 2, ">");
		else if (starts(data, len, i, "</")) {
			if (opensz > 0)
				els[open[--opensz]].end = i;
			i = past(data, len, i + 2, ">");
		} else {
			if (n == cap) {
				cap = cap == 0 ? 32 : 2 * cap;
				els = xreallocarray(els, cap, sizeof(*els));
				open = xreallocarray(open, cap, sizeof(*open));
			}
			els[n].tag = i++;
			while (i < len && data[i] != '>' && data[i] != '/' &&
			    data[i] != ' ' && data[i] != '\t' &&
			    data[i] != '\n' && data[i] != '\r')
				i++;
			els[n].attrs = i;
			/* Attribute values may hold '>' and '/'. */
			while (i < len && data[i] != '>' && data[i] != '/') {
				if (data[i] == '"' || data[i] == '\'') {
					q = data[i++];
					while (i < len && data[i] != q)
						i++;
				}
				i++;
			}
			if (i < len && data[i] == '/') {
				i = past(data, len, i, ">");
				els[n].content = els[n].end = i;
			} else {
				i = i < len ? i + 1 : len;
				els[n].content = els[n].end = i;
				open[opensz++] = n;
			}
			n++;
		}
	}
	free(open);
	*out = els;
	return n;
}

int
rawxml_attr(const char *data, const struct rawxml_el *el, const char *name,
    size_t *from, size_t *to)
{
	size_t i = el->attrs, end = el->content, n = strlen(name), k;
	char q;

	while (i < end) {
		while (i < end && (data[i] == ' ' || data[i] == '\t' ||
		    data[i] == '\n' || data[i] == '\r'))
			i++;
		for (k = i; k < end && data[k] != '=' && data[k] != ' ' &&
		    data[k] != '\t' && data[k] != '\n' && data[k] != '\r' &&
		    data[k] != '>' && data[k] != '/'; k++)
			;
		if (k == i)
			return -1;
		/* Name = "value", with white space allowed around '='. */
		*from = k;
		while (k < end && data[k] != '"' && data[k] != '\'')
			k++;
		if (k == end)
			return -1;
		q = data[k++];
		*to = k;
		while (*to < end && data[*to] != q)
			(*to)++;
		if (*from - i == n && memcmp(data + i, name, n) == 0) {
			*from = k;
			return 0;
		}
		i = *to + 1;
	}
	return -1;
}

size_t
rawxml_ref(const char *s, const char *end, unsigned long *cp)
{
	static const struct {
		const char	*name;
		char		 c;
	} named[] = {
		{ "&lt;", '<' }, { "&gt;", '>' }, { "&amp;", '&' },
		{ "&quot;", '"' }, { "&apos;", '\'' }
	};
	const char *p = s + 1;
	unsigned long v = 0;
	size_t i, n;
	int hex, digits = 0;

	for (i = 0; i < NELEM(named); i++) {
		n = strlen(named[i].name);
		if ((size_t)(end - s) >= n && memcmp(s, named[i].name, n) == 0) {
			*cp = (unsigned char)named[i].c;
			return n;
		}
	}
	if (p >= end || *p != '#')
		return 0;
	p++;
	hex = p < end && (*p == 'x' || *p == 'X');	/* HTML's "&#X" too */
	if (hex)
		p++;
	for (; p < end && *p != ';'; p++, digits++) {
		if (*p >= '0' && *p <= '9')
			v = v * (hex ? 16 : 10) + (unsigned long)(*p - '0');
		else if (hex && (*p | 0x20) >= 'a' && (*p | 0x20) <= 'f')
			v = v * 16 + (unsigned long)((*p | 0x20) - 'a' + 10);
		else
			return 0;
		if (v > 0x10ffff)
			return 0;
	}
	if (p >= end || digits == 0)
		return 0;
	*cp = v;
	return (size_t)(p + 1 - s);
}

/* Says that out's next byte comes from data[from]. */
static void
run(struct rawxml_run **runs, size_t *runsz, size_t at, size_t from)
{
	if (*runsz > 0 && (*runs)[*runsz - 1].at == at) {
		(*runs)[*runsz - 1].from = from;
		return;
	}
	/* Room for 4, 8, 16... runs: grown when the count reaches one. */
	if (*runsz == 0 || (*runsz >= 4 && (*runsz & (*runsz - 1)) == 0))
		*runs = xreallocarray(*runs, *runsz == 0 ? 4 : *runsz * 2,
		    sizeof(**runs));
	(*runs)[(*runsz)++] = (struct rawxml_run){ at, from };
}

int
rawxml_text(struct buf *out, struct rawxml_run **runs, size_t *runsz,
    const char *data, size_t from, size_t to)
{
	size_t i = from, n, e;
	unsigned long cp;

	run(runs, runsz, out->len, from);
	while (i < to) {
		if (data[i] == '&') {
			run(runs, runsz, out->len, i);
			if ((n = rawxml_ref(data + i, data + to, &cp)) == 0)
				return -1;
			buf_put_utf8(out, cp);
			i += n;
			run(runs, runsz, out->len, i);
		} else if (starts(data, to, i, "<![CDATA[")) {
			e = past(data, to, i + 9, "]]>");
			i += 9;
			run(runs, runsz, out->len, i);
			for (; i + 3 < e; i++) {
				if (data[i] == '\r' && data[i + 1] == '\n') {
					run(runs, runsz, out->len, i + 1);
					continue;
				}
				buf_putc(out, data[i]);
			}
			i = e;
			run(runs, runsz, out->len, i);
		} else if (starts(data, to, i, "<!--")) {
			i = past(data, to, i + 4, "-->");
			run(runs, runsz, out->len, i);
		} else if (starts(data, to, i, "<?")) {
			i = past(data, to, i + 2, "?>");
			run(runs, runsz, out->len, i);
		} else if (data[i] == '<') {
			return -1;
		} else if (data[i] == '\r' && i + 1 < to && data[i + 1] == '\n') {
			run(runs, runsz, out->len, ++i);
		} else
			buf_putc(out, data[i++]);
	}
	return 0;
}

size_t
rawxml_source(const struct rawxml_run *runs, size_t runsz, size_t at)
{
	size_t lo = 0, hi = runsz, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (runs[mid].at <= at)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return runsz > 0 ? runs[0].from : 0;
	return runs[lo - 1].from + (at - runs[lo - 1].at);
}
