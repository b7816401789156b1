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
	CHECK(!serve_path_ok("/.docket-new-123/index.html"));
	CHECK(!serve_path_ok("/.docket-old-123/index.html"));
	CHECK(!serve_path_ok("/.git/config"));
	CHECK(!serve_path_ok("/a/./b"));
	CHECK(serve_path_ok("/.well-known/security.txt"));
	CHECK(serve_path_ok("/.nojekyll"));
	CHECK(serve_path_ok("/assets/.hidden/x"));
	CHECK(serve_path_ok("/.gitignore"));
	CHECK(!serve_path_ok("//etc/passwd"));
	CHECK(!serve_path_ok("/vendors//acme/"));
	CHECK(!serve_path_ok("/..\\..\\etc\\passwd"));
}

void
test_serve__host_ok(void)
{
	CHECK(serve_host_ok("127.0.0.1:8000", "127.0.0.1"));
	CHECK(serve_host_ok("localhost:8000", "127.0.0.1"));
	CHECK(serve_host_ok("LocalHost:8000", "127.0.0.1"));
	CHECK(serve_host_ok("[::1]:8000", "127.0.0.1"));
	CHECK(serve_host_ok("localhost", "127.0.0.1"));
	CHECK(serve_host_ok("docs.localhost:8000", "127.0.0.1"));
	CHECK(serve_host_ok("192.168.1.20:8000", "0.0.0.0"));
	CHECK(serve_host_ok("[fe80::1]:4000", "::"));
	CHECK(serve_host_ok("laptop.lan:8000", "laptop.lan"));
	CHECK(serve_host_ok(NULL, "127.0.0.1"));
	CHECK(!serve_host_ok("evil.example:8000", "127.0.0.1"));
	CHECK(!serve_host_ok("evil.example", "0.0.0.0"));
	CHECK(!serve_host_ok("laptop.lan:8000", "0.0.0.0"));
	CHECK(!serve_host_ok("localhost.evil.example:8000", "127.0.0.1"));
	CHECK(!serve_host_ok("evillocalhost:8000", "127.0.0.1"));
	CHECK(!serve_host_ok("127.0.0.1.evil.example:8000", "127.0.0.1"));
	CHECK(!serve_host_ok("0x7f.1:8000", "127.0.0.1"));
	CHECK(!serve_host_ok("", "127.0.0.1"));
	CHECK(!serve_host_ok(":8000", "127.0.0.1"));
	CHECK(!serve_host_ok("localhost:", "127.0.0.1"));
	CHECK(!serve_host_ok("localhost:80x", "127.0.0.1"));
	CHECK(!serve_host_ok("localhost:123456", "127.0.0.1"));
	CHECK(!serve_host_ok("localhost:8000@evil.example", "127.0.0.1"));
	CHECK(!serve_host_ok("[::1", "127.0.0.1"));
	CHECK(!serve_host_ok("[]:8000", "127.0.0.1"));
	CHECK(!serve_host_ok("[evil.example]:8000", "127.0.0.1"));
	CHECK(!serve_host_ok("[::1]x", "127.0.0.1"));
	CHECK(!serve_host_ok("::1:8000", "127.0.0.1"));
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
