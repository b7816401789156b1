/*
 * Unit tests: positions in the bytes of an XML document.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "rawxml.h"
#include "unit.h"

void
test_rawxml__elements(void)
{
	static const char doc[] =
	    "<?xml version=\"1.0\"?>\n<!-- <x> -->\n"
	    "<a k=\"/>\"><b/><c>t<![CDATA[<d>]]></c></a>";
	struct rawxml_el *els;
	size_t n = rawxml_elements(&els, doc, sizeof(doc) - 1);
	const char *a = strstr(doc, "<a"), *c = strstr(doc, "<c>");

	CHECK_INT(n, 3);
	CHECK_INT(els[0].tag, a - doc);
	CHECK_INT(els[0].attrs, a - doc + 2);
	CHECK_INT(els[0].content, strstr(doc, "<b/>") - doc);
	CHECK_INT(els[0].end, strstr(doc, "</a>") - doc);
	CHECK_INT(els[1].content, els[1].end);
	CHECK_INT(els[2].content, c - doc + 3);
	CHECK_INT(els[2].end, strstr(doc, "</c>") - doc);
	free(els);
}

void
test_rawxml__text(void)
{
	static const char in[] =
	    "a&amp;b&#x202E;<!-- c --><![CDATA[&lt;\r\n]]>&#10;z\r\n";
	struct buf out = BUF_INIT;
	struct rawxml_run *runs = NULL;
	size_t runsz = 0;

	CHECK_INT(rawxml_text(&out, &runs, &runsz, in, 0, sizeof(in) - 1), 0);
	CHECK_STR(out.ptr, "a&b\xe2\x80\xae&lt;\n\nz\n");
	/* Each byte of the text is where it was in the document. */
	CHECK_INT(rawxml_source(runs, runsz, 0), 0);
	CHECK_INT(rawxml_source(runs, runsz, 1), 1);	/* &amp; */
	CHECK_INT(rawxml_source(runs, runsz, 2), 6);	/* b */
	CHECK_INT(rawxml_source(runs, runsz, 3), 7);	/* &#x202E; */
	CHECK_INT(rawxml_source(runs, runsz, 6),
	    strstr(in, "&lt;") - in);			/* in CDATA */
	CHECK_INT(rawxml_source(runs, runsz, 10), strstr(in, "\n]]>") - in);
	CHECK_INT(rawxml_source(runs, runsz, 11), strstr(in, "&#10;") - in);
	CHECK_INT(rawxml_source(runs, runsz, 12), strstr(in, "z") - in);
	CHECK_INT(rawxml_source(runs, runsz, 13), sizeof(in) - 2);
	free(runs);
	buf_release(&out);

	runs = NULL;
	runsz = 0;
	CHECK_INT(rawxml_text(&out, &runs, &runsz, "a<b/>", 0, 5), -1);
	CHECK_INT(rawxml_text(&out, &runs, &runsz, "&nbsp;", 0, 6), -1);
	free(runs);
	buf_release(&out);
}
