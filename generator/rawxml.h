/*
 * Where things are in the bytes of a well-formed XML document: libxml2
 * gives an element's line only, and its text decoded, so diagnostics
 * about a record's text find their column here.
 */
#ifndef DOCKET_RAWXML_H
#define DOCKET_RAWXML_H

#include <stddef.h>

struct buf;

/* An element as the bytes have it: offsets into the document. */
struct rawxml_el {
	size_t	 tag;		/* its start tag's '<' */
	size_t	 attrs;		/* the end of its name in the start tag */
	size_t	 content;	/* after its start tag's '>' */
	size_t	 end;		/* its end tag's '<' (content for <x/>) */
};

/*
 * The elements of a well-formed document (as libxml2 took it, with no
 * DOCTYPE), in document order. Returns how many; *out is the caller's
 * to free.
 */
size_t	rawxml_elements(struct rawxml_el **out, const char *data, size_t len);

/*
 * Finds attribute `name` in the start tag of el: the offsets of its
 * value, quotes left out, in *from and *to. Returns -1 when absent.
 */
int	rawxml_attr(const char *data, const struct rawxml_el *el,
	    const char *name, size_t *from, size_t *to);

/* A run of decoded text copied from one place: out[at...] is in[from...]. */
struct rawxml_run {
	size_t	 at;
	size_t	 from;
};

/*
 * Appends the text of data[from, to), the content of an element that
 * holds no element, to out as an XML parser reads it: references
 * replaced, CDATA sections unwrapped, comments and processing
 * instructions left out, CR LF read as LF. *runs (of *runsz, the
 * caller's to free) says where each run of out is in data. Returns 0,
 * or -1 when the content holds an element or a reference it does not
 * know.
 */
int	rawxml_text(struct buf *out, struct rawxml_run **runs, size_t *runsz,
	    const char *data, size_t from, size_t to);

/* Where out[at] came from, by the runs of rawxml_text(). */
size_t	rawxml_source(const struct rawxml_run *, size_t runsz, size_t at);

/*
 * Decodes the character reference or predefined entity at s (up to
 * end), which starts with '&': its code point in *cp, and the bytes it
 * takes. Returns 0 when it is neither. HTML's "&#X" is taken as "&#x":
 * libxml2 refuses it in a record before this reads one.
 */
size_t	rawxml_ref(const char *s, const char *end, unsigned long *cp);

#endif
