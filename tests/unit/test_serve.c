/*
 * Unit tests: what docket serve maps to files, and the types it sends.
 */
#include <stdbool.h>

#include "serve.h"
#include "unit.h"

void
test_serve__path_ok(void)
{
	CHECK(serve_path_ok("/"));
	CHECK(serve_path_ok("/index.html"));
	CHECK(serve_path_ok("/vendors/acme/"));
	CHECK(serve_path_ok("/a b/c%d.png"));
	CHECK(!serve_path_ok(""));
	CHECK(!serve_path_ok("index.html"));
	CHECK(!serve_path_ok("/.."));
	CHECK(!serve_path_ok("/../etc/passwd"));
	CHECK(!serve_path_ok("/vendors/../../etc/passwd"));
	CHECK(!serve_path_ok("/vendors/.."));
	CHECK(!serve_path_ok("/./index.html"));
	CHECK(!serve_path_ok("/.docket"));
	CHECK(!serve_path_ok("/assets/.hidden/x"));
	CHECK(!serve_path_ok("//etc/passwd"));
	CHECK(!serve_path_ok("/vendors//acme/"));
	CHECK(!serve_path_ok("/..\\..\\etc\\passwd"));
}

void
test_serve__content_type(void)
{
	CHECK_STR(serve_content_type("/index.html"), "text/html; charset=utf-8");
	CHECK_STR(serve_content_type("/a/STYLE.CSS"), "text/css; charset=utf-8");
	CHECK_STR(serve_content_type("/assets/search-index.js"),
	    "text/javascript; charset=utf-8");
	CHECK_STR(serve_content_type("/data/vendors.json"), "application/json");
	CHECK_STR(serve_content_type("/data/vendors.csv"),
	    "text/csv; charset=utf-8");
	CHECK_STR(serve_content_type("/timeline/deadlines.ics"),
	    "text/calendar; charset=utf-8");
	CHECK_STR(serve_content_type("/changes/feed.xml"), "application/xml");
	CHECK_STR(serve_content_type("/assets/favicon.svg"), "image/svg+xml");
	CHECK_STR(serve_content_type("/report.pdf"), "application/pdf");
	CHECK_STR(serve_content_type("/a.b/README"), "application/octet-stream");
	CHECK_STR(serve_content_type("/archive.tar.xz"),
	    "application/octet-stream");
}
