# docket — static web-report generator for vendor registers.
#
#   make            build ./docket
#   make site       build the bundled register into site/
#   make test       run every test
#   make fuzz       run each fuzz target for FUZZ_SECONDS (clang, libFuzzer)
#   make test-tsan  run the suites that use threads under ThreadSanitizer
#   make test-browser  check the built site in Chromium (installs what it needs)
#   make screenshots   pictures of the bundled register in screenshots/
#   make deps       install the build dependencies (Debian/Ubuntu)
#   make install    install docket (PREFIX, DESTDIR)

PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
MANDIR     ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
DATADIR    ?= $(PREFIX)/share/docket
DOCDIR     ?= $(PREFIX)/share/doc/docket
VERSION     = 0.1.0

PKGS        = libxml-2.0 libcmark-gfm libgit2 yaml-0.1 libmicrohttpd nettle zlib \
              icu-i18n icu-uc
DEBS        = build-essential pkg-config git libxml2-dev libxml2-utils \
              libcmark-gfm-dev libcmark-gfm-extensions-dev libgit2-dev \
              libyaml-dev libmicrohttpd-dev nettle-dev zlib1g-dev libicu-dev \
              libjemalloc-dev \
              curl mandoc python3 python3-yaml python3-icalendar python3-icu \
              python3-feedparser nodejs cmark-gfm strace
# The allocator docket is linked with: jemalloc (docs/performance.md,
# item 28), or with MALLOC= the C library's. Sanitizers bring their own.
MALLOC     ?= jemalloc
ifdef SANITIZE
override MALLOC =
endif

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# libmicrohttpd is loaded by `docket serve` when it starts (generator/mhd.c),
# and libgit2 when docket first calls it (generator/gitlib.c), each by the
# name its library gives itself. The tests call libgit2 themselves too.
PKG_LIBS   := $(shell pkg-config --libs $(filter-out libmicrohttpd libgit2,\
              $(PKGS)) 2>/dev/null) -ldl
GIT2_LIBS  := $(shell pkg-config --libs libgit2 2>/dev/null)
soname      = $(shell objdump -p "$$(pkg-config --variable=libdir \
              $(1) 2>/dev/null)/$(1).so" 2>/dev/null | \
              awk '$$1 == "SONAME" { print $$2 }')
MHD_SONAME := $(call soname,libmicrohttpd)
GIT2_SONAME := $(call soname,libgit2)
SONAMES     = $(if $(MHD_SONAME),-DMHD_SONAME='"$(MHD_SONAME)"') \
              $(if $(GIT2_SONAME),-DGIT2_SONAME='"$(GIT2_SONAME)"')
# The two functions of generator/gitlib.c that libgit2 is bound to.
GIT2_EXPORTS = -Wl,--export-dynamic-symbol=mbedtls_x509_crt_parse_file \
               -Wl,--export-dynamic-symbol=mbedtls_x509_crt_parse_path
MALLOC_LIBS := $(if $(MALLOC),$(shell pkg-config --libs $(MALLOC) 2>/dev/null))

CC         ?= cc
CFLAGS     ?= -g -O2
CFLAGS     += -std=c11 -D_POSIX_C_SOURCE=200809L -MMD -MP \
              -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
              -Wmissing-prototypes -Wold-style-definition -Wwrite-strings \
              -Wformat=2 -Wvla -Wpointer-arith -Wundef -fno-common \
              -DDOCKET_VERSION='"$(VERSION)"' $(PKG_CFLAGS) $(SONAMES)
LDLIBS     += $(PKG_LIBS) -lcmark-gfm-extensions -pthread
TEST_LIBS   = $(LDLIBS) $(GIT2_LIBS)
ifdef DEVELOPER
CFLAGS     += -Werror
endif
ifdef SANITIZE
CFLAGS     += -fsanitize=$(SANITIZE) -fno-sanitize-recover=$(SANITIZE) \
              -fno-omit-frame-pointer
LDFLAGS    += -fsanitize=$(SANITIZE)
# Libraries' own leaks, each explained there.
export LSAN_OPTIONS = suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0
endif

-include config.mk

LIB_SRCS    = generator/buf.c generator/diag.c generator/util.c generator/sig.c \
              generator/template.c generator/config.c generator/record.c \
              generator/rawxml.c \
              generator/date.c generator/source.c generator/directive.c \
              generator/gitsrc.c generator/rawobj.c generator/treediff.c generator/gitlog.c generator/histcache.c generator/history.c generator/recdiff.c \
              generator/recqueue.c generator/preparse.c \
              generator/changes.c generator/hist_html.c \
              generator/markdown.c generator/mdlimit.c generator/model.c \
              generator/site.c generator/jobs.c \
              generator/check.c generator/links.c generator/scaffold.c generator/serve.c generator/mhd.c \
              generator/gitlib.c \
              generator/facet.c generator/exports.c generator/embedded.c
LIB_OBJS    = $(LIB_SRCS:.c=.o)
EMBED_FILES = $(sort $(wildcard templates/*.html templates/assets/*)) \
              schema/vendor.rng

.DELETE_ON_ERROR:
.PHONY: all site test deps install clean regress-update check-deps \
        test-unit test-spec test-sites test-bad test-history \
        test-history-random bench-history \
        test-check test-new test-serve test-cli test-jobs test-output \
        test-exports \
        test-docs test-fuzz fuzz bench test-browser screenshots test-tsan

all: docket

docket: generator/main.o generator/libdocket.a
	@[ -z "$(MALLOC)" ] || [ -n "$(MALLOC_LIBS)" ] || echo "docket:" \
	    "$(MALLOC) not found (Debian: lib$(MALLOC)-dev): linking with" \
	    "the C library's allocator (slower)" >&2
	$(CC) $(LDFLAGS) $(GIT2_EXPORTS) -o $@ generator/main.o \
	    generator/libdocket.a $(LDLIBS) $(MALLOC_LIBS)

generator/libdocket.a: $(LIB_OBJS)
	rm -f $@
	$(AR) rcs $@ $(LIB_OBJS)

generator/embedgen: generator/embedgen.c
	$(CC) -O1 -o $@ generator/embedgen.c

generator/embedded.c: generator/embedgen $(EMBED_FILES)
	generator/embedgen $(EMBED_FILES) > $@

# The Python modules the readers of tests/exports use.
PYMODS      = import icalendar, icu, feedparser, yaml

# Installs the Debian packages when a library or a tool the tests use
# (git, curl, xmllint, mandoc, cmark-gfm, node, strace, the Python modules) is
# missing, or jemalloc, which docket can do without.
check-deps:
	@{ pkg-config --exists $(PKGS) && command -v git && \
	    command -v curl && command -v xmllint && command -v mandoc && \
	    command -v cmark-gfm && command -v strace && \
	    command -v node && { /usr/bin/python3 -c "$(PYMODS)" || \
	    python3 -c "$(PYMODS)"; }; } >/dev/null 2>&1 || $(MAKE) deps
	@[ -z "$(MALLOC)" ] || pkg-config --exists $(MALLOC) || \
	    $(MAKE) deps || echo "docket: $(MALLOC) is not installed:" \
	    "linking with the C library's allocator (slower)" >&2

deps:
	@if [ "$$(id -u)" = 0 ]; then s=; else s="sudo -n"; fi; \
	$$s apt-get update && \
	$$s env DEBIAN_FRONTEND=noninteractive apt-get install -y \
	    --no-install-recommends $(DEBS)

site: check-deps
	@$(MAKE) --no-print-directory docket
	./docket build .

FUZZ_TARGETS = record config markdown template tree histcache gitlog links \
               date gitfiles search page serve commit rawobj recdiff gitsrc
FUZZ_REPLAY = $(FUZZ_TARGETS:%=tests/fuzz/%-replay)
TEST_BIN    = tests/unit/run tests/spec/mustache_test tests/spec/directives/run \
              tests/spec/gfm_test \
              tests/history/feedcheck \
              $(FUZZ_REPLAY)

UNIT_SRCS   = $(sort $(wildcard tests/unit/test_*.c))

# Every function "void test_<module>__<case>(void)" is a test.
tests/unit/tests.h: $(UNIT_SRCS)
	sed -n 's/^\(test_[a-z0-9_]*__[a-z0-9_]*\)(void)$$/T(\1)/p' \
	    $(UNIT_SRCS) /dev/null > $@

tests/unit/run: tests/unit/main.c tests/unit/tests.h $(UNIT_SRCS) generator/libdocket.a
	$(CC) $(CFLAGS) -Igenerator -Itests/unit $(LDFLAGS) -o $@ tests/unit/main.c \
	    $(wildcard tests/unit/test_*.c) generator/libdocket.a $(TEST_LIBS)

tests/spec/mustache_test: tests/spec/mustache.c generator/libdocket.a
	$(CC) $(CFLAGS) -Igenerator $(LDFLAGS) -o $@ tests/spec/mustache.c \
	    generator/libdocket.a $(TEST_LIBS)

# The GFM specification's examples: the spec.txt of Debian's cmark-gfm
# package. Minimal images (Docker's Debian and Ubuntu) install no
# /usr/share/doc; the file is then taken from the package, downloaded.
GFM_DOC    ?= /usr/share/doc/cmark-gfm/spec.txt.gz
GFM_SPEC   ?= tests/out/gfm-spec.txt.gz

tests/out/gfm-spec.txt.gz:
	@mkdir -p tests/out
	@if [ -f $(GFM_DOC) ]; then cp $(GFM_DOC) $@; else \
	    d=tests/out/gfm-deb; rm -rf $$d && mkdir -p $$d && \
	    v=$$(dpkg-query -W -f='$${Version}' libcmark-gfm-dev 2>/dev/null); \
	    { (cd $$d && { apt-get download cmark-gfm$${v:+=$$v} || \
	    apt-get download cmark-gfm; }) && \
	    dpkg-deb -x $$d/cmark-gfm_*.deb $$d && \
	    cp $$d/usr/share/doc/cmark-gfm/spec.txt.gz $@; }; \
	    st=$$?; rm -rf $$d; exit $$st; fi

tests/spec/gfm_test: tests/spec/gfm.c tests/fuzz/register.h generator/libdocket.a
	$(CC) $(CFLAGS) -Igenerator $(LDFLAGS) -o $@ tests/spec/gfm.c \
	    generator/libdocket.a $(TEST_LIBS)

tests/spec/directives/run: tests/spec/directives/run.c
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ tests/spec/directives/run.c

tests/history/feedcheck: tests/history/feedcheck.c
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ tests/history/feedcheck.c $(PKG_LIBS)

# Each fuzz target, linked with a main() that replays its seed corpus.
tests/fuzz/%-replay: tests/fuzz/%.c tests/fuzz/standalone.c tests/fuzz/fuzz.h \
    tests/fuzz/register.h generator/libdocket.a
	$(CC) $(CFLAGS) -Igenerator $(LDFLAGS) -o $@ $< tests/fuzz/standalone.c \
	    generator/libdocket.a $(TEST_LIBS)

# The tests keep docket's history cache to themselves.
export XDG_CACHE_HOME = $(CURDIR)/tests/out/cache

test: check-deps
	@$(MAKE) --no-print-directory docket $(TEST_BIN)
	@$(MAKE) --no-print-directory test-unit test-spec test-sites test-bad \
	    test-history test-history-random test-jobs test-check test-new \
	    test-serve test-cli test-output test-exports test-docs test-fuzz

test-unit: tests/unit/run
	tests/unit/run

test-spec: tests/spec/mustache_test tests/spec/directives/run \
    tests/spec/gfm_test docket $(GFM_SPEC)
	tests/spec/mustache_test tests/spec/mustache
	tests/spec/directives/run ./docket tests/spec/directives
	tests/spec/gfm ./docket tests/spec/gfm_test $(GFM_SPEC)

test-sites: docket
	tests/sites/run ./docket

test-bad: docket
	tests/bad/run ./docket

test-history: docket tests/history/feedcheck
	tests/history/run ./docket tests/history/feedcheck

# Random histories built many ways (tests/history/random): a few fixed
# seeds; RANDOM_SEEDS="1 2 3", or RANDOM_COUNT=N from RANDOM_START, for
# longer runs.
test-history-random: docket
	tests/history/random ./docket

# Times the history walk on this repository and on a fixture of
# BENCH_COMMITS commits (a benchmark, not a test).
BENCH_COMMITS ?= 10000
bench-history: docket
	tests/history/bench ./docket $(BENCH_COMMITS)

# The benchmark of docs/performance.md (not a test; CI does not run it):
# synthetic registers of BENCH_SIZES pages, BENCH_RUNS runs of each case.
bench: docket tests/bench/floor
	tests/bench/run ./docket tests/bench/floor

tests/bench/floor: tests/bench/floor.c
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ tests/bench/floor.c $(PKG_LIBS) \
	    -lcmark-gfm-extensions

test-check: docket
	tests/check/run ./docket

test-new: docket
	tests/new/run ./docket

test-serve: docket
	tests/serve/run ./docket

test-cli: docket
	GIT2_SONAME=$(GIT2_SONAME) tests/cli/run ./docket

test-output: docket
	tests/output/run ./docket

test-exports: docket
	tests/exports/run ./docket

test-docs: docket
	tests/docs/run ./docket

test-jobs: docket
	tests/jobs/run ./docket
	tests/jobs/gitfail ./docket
	tests/jobs/interrupt ./docket

# Replays every seed corpus; the targets' diagnostics go to a log.
test-fuzz: $(FUZZ_REPLAY)
	@mkdir -p tests/out
	@for t in $(FUZZ_TARGETS); do \
	    tests/fuzz/$$t-replay tests/fuzz/corpus/$$t \
	        2>tests/out/fuzz-$$t.log || { tail -40 tests/out/fuzz-$$t.log; \
	        exit 1; }; \
	done

# libFuzzer: the library built again with coverage and sanitizers, each
# target run for FUZZ_SECONDS. New inputs go to tests/out/fuzz/<target>/,
# crashes to tests/out/fuzz/<target>-crash-*; add those to the corpus.
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_FLAGS   ?=
FUZZ_DIR      = tests/out/fuzz
FUZZ_CFLAGS   = -g -O1 -std=c11 -D_POSIX_C_SOURCE=200809L \
                -fsanitize=fuzzer-no-link,address,undefined \
                -fno-sanitize-recover=undefined -fno-omit-frame-pointer \
                -DDOCKET_VERSION='"$(VERSION)"' $(PKG_CFLAGS) $(SONAMES)
FUZZ_OBJS     = $(LIB_SRCS:generator/%.c=$(FUZZ_DIR)/obj/%.o)
# Kept between runs: make would remove them as intermediate files.
.SECONDARY: $(FUZZ_OBJS)

$(FUZZ_DIR)/obj/%.o: generator/%.c
	@mkdir -p $(FUZZ_DIR)/obj
	$(FUZZ_CC) $(FUZZ_CFLAGS) -MMD -MP -c -o $@ $<

$(FUZZ_DIR)/%-fuzz: tests/fuzz/%.c tests/fuzz/fuzz.h tests/fuzz/register.h $(FUZZ_OBJS)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -Igenerator -o $@ $< \
	    $(FUZZ_OBJS) $(TEST_LIBS)

fuzz: check-deps generator/embedded.c $(FUZZ_TARGETS:%=$(FUZZ_DIR)/%-fuzz)
	@for t in $(FUZZ_TARGETS); do \
	    mkdir -p $(FUZZ_DIR)/$$t; \
	    echo "== fuzz $$t for $(FUZZ_SECONDS) s"; \
	    $(FUZZ_DIR)/$$t-fuzz -max_total_time=$(FUZZ_SECONDS) \
	        -timeout=10 -rss_limit_mb=2048 -close_fd_mask=2 \
	        -dict=tests/fuzz/$$t.dict -artifact_prefix=$(FUZZ_DIR)/$$t- \
	        $(FUZZ_FLAGS) $(FUZZ_DIR)/$$t tests/fuzz/corpus/$$t || exit 1; \
	done

# ThreadSanitizer: docket and the unit tests built again with
# -fsanitize=thread into tests/out/tsan/, then run on the suites that
# use threads and on a synthetic register (tests/tsan/run; three to four
# minutes). Not part of make test.
TSAN_CC     ?= $(CC)
TSAN_DIR     = tests/out/tsan
TSAN_CFLAGS  = -g -O1 -std=c11 -D_POSIX_C_SOURCE=200809L -fsanitize=thread \
               -fno-omit-frame-pointer -DDOCKET_VERSION='"$(VERSION)"' \
               $(PKG_CFLAGS) $(SONAMES)
# Built apart for each compiler (make test-tsan TSAN_CC=clang).
TSAN_BUILD   = $(TSAN_DIR)/$(notdir $(TSAN_CC))
TSAN_OBJS    = $(LIB_SRCS:generator/%.c=$(TSAN_BUILD)/%.o)
.SECONDARY: $(TSAN_OBJS) $(TSAN_BUILD)/main.o

$(TSAN_BUILD)/%.o: generator/%.c
	@mkdir -p $(TSAN_BUILD)
	$(TSAN_CC) $(TSAN_CFLAGS) -MMD -MP -c -o $@ $<

$(TSAN_BUILD)/docket: $(TSAN_BUILD)/main.o $(TSAN_OBJS)
	$(TSAN_CC) -fsanitize=thread -o $@ $(TSAN_BUILD)/main.o \
	    $(TSAN_OBJS) $(LDLIBS)

$(TSAN_BUILD)/unit: tests/unit/main.c tests/unit/tests.h $(UNIT_SRCS) $(TSAN_OBJS)
	$(TSAN_CC) $(TSAN_CFLAGS) -Igenerator -Itests/unit -o $@ \
	    tests/unit/main.c $(UNIT_SRCS) $(TSAN_OBJS) $(TEST_LIBS)

test-tsan: check-deps generator/embedded.c
	@$(MAKE) --no-print-directory $(TSAN_BUILD)/docket $(TSAN_BUILD)/unit \
	    tests/history/feedcheck
	tests/tsan/run $(TSAN_BUILD)/docket $(TSAN_BUILD)/unit \
	    tests/history/feedcheck

# Every page of the bundled register and of tests/browser/site in Chromium:
# Nu Html Checker, axe-core, CSP, search, keyboard, phone width, print.
test-browser: check-deps
	@$(MAKE) --no-print-directory docket
	tests/browser/run ./docket

screenshots: check-deps
	@$(MAKE) --no-print-directory docket
	tests/browser/run --screenshots screenshots ./docket

regress-update: docket tests/history/feedcheck
	tests/sites/run --update ./docket
	tests/history/run --update ./docket tests/history/feedcheck

install: docket
	install -d $(DESTDIR)$(BINDIR)
	install -m 755 docket $(DESTDIR)$(BINDIR)/docket
	install -d $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(BASHCOMPDIR)
	install -m 644 docket.1 $(DESTDIR)$(MANDIR)/man1/docket.1
	install -m 644 completions/docket.bash $(DESTDIR)$(BASHCOMPDIR)/docket
	install -d $(DESTDIR)$(DATADIR)/templates/assets $(DESTDIR)$(DOCDIR)
	install -m 644 templates/*.html $(DESTDIR)$(DATADIR)/templates/
	install -m 644 templates/assets/* $(DESTDIR)$(DATADIR)/templates/assets/
	install -m 644 docs/*.md $(DESTDIR)$(DOCDIR)/

clean:
	rm -f docket generator/*.o generator/*.d generator/libdocket.a \
	    generator/embedded.c generator/embedgen $(TEST_BIN) tests/*/*.d \
	    tests/bench/floor
	rm -rf tests/out

-include $(wildcard generator/*.d)
# The fuzz and ThreadSanitizer objects' headers: a changed gitlib.h
# changes every caller.
-include $(wildcard $(FUZZ_DIR)/obj/*.d) $(wildcard $(TSAN_DIR)/*/*.d)
