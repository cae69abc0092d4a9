# tocsin: build, test, install, demo, bench.
#
#   make            build the programs into build/bin
#   make demo       install missing packages, build, run the demo
#   make check      install missing packages, build with sanitizers, test
#   make bench      run the benchmarks in bench/ (figures, never pass/fail)
#   make install    PREFIX=/usr/local DESTDIR= SYSCONFDIR= LOCALSTATEDIR=
#                   (bin, libexec, man, docs, the example config, the
#                   systemd units, logrotate); make uninstall undoes it
#   make install-service  (root, on the machine itself) the user tocsin,
#                   its directories, the timers enabled

PREFIX ?= /usr/local
# A package's prefix /usr keeps its config in /etc; any other its own.
SYSCONFDIR ?= $(if $(filter /usr,$(PREFIX)),/etc,$(PREFIX)/etc)
LOCALSTATEDIR ?= /var
BINDIR = $(PREFIX)/bin
LIBEXECDIR = $(PREFIX)/libexec/tocsin
MANDIR = $(PREFIX)/share/man
DOCDIR = $(PREFIX)/share/doc/tocsin
UNITDIR = $(PREFIX)/lib/systemd/system
LOGROTATEDIR = $(SYSCONFDIR)/logrotate.d

BUILD ?= build
CFLAGS ?= -O2 -g
WARNINGS = -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wstrict-prototypes \
	-Wmissing-prototypes -Wpointer-arith -Wvla -Wno-format-nonliteral
SANITIZE_FLAGS = -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
# libetpan's pkg-config --libs adds a dpkg no-pie specs file that not every
# machine has; plain -letpan links it.
PKGS = sqlite3 libcurl inih libcjson nettle libcrypto gnutls libmicrohttpd \
	libidn2 libpsl ldns
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) libetpan 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
ALL_CPPFLAGS = -D_GNU_SOURCE -Isrc/lib $(PKG_CFLAGS) \
	-DLIBEXECDIR='"$(LIBEXECDIR)"' $(CPPFLAGS)
ALL_CFLAGS = -std=c11 $(WARNINGS) $(CFLAGS) $(EXTRA_CFLAGS)
ALL_LDFLAGS = $(LDFLAGS) $(EXTRA_CFLAGS)
LDLIBS = -Wl,--as-needed $(PKG_LIBS) -letpan -lcsv -lunistring -pthread

LIB_OBJ = $(patsubst src/lib/%.c,$(BUILD)/obj/lib/%.o,$(wildcard src/lib/*.c)) \
	$(BUILD)/obj/gen/migrations.o $(BUILD)/obj/gen/pages.o
CMDS = $(basename $(notdir $(wildcard src/cmd/*.c)))
PROGS = $(CMDS:%=$(BUILD)/bin/%)
UNIT = $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(wildcard tests/unit/test-*.c))
BENCH_TOOLS = $(BUILD)/bench/measure $(BUILD)/bench/render \
	$(BUILD)/bench/curlsend $(BUILD)/bench/imapfetch

.PHONY: all progs unit deps check check-run demo bench install uninstall \
	install-service clean style fuzz FORCE
.SUFFIXES:

all: progs

progs: $(PROGS)

TOOLS = $(BUILD)/tests/tools/mimeparse

unit: $(UNIT) $(TOOLS)

$(BUILD)/tests/tools/%: tests/tools/%.c $(BUILD)/libtocsin.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/libtocsin.a: $(LIB_OBJ)
	ar rcs $@ $^

$(BUILD)/obj/lib/%.o: src/lib/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/obj/cmd/%.o: src/cmd/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

# The paths compiled in or written into files: rewritten only when they
# change, so a build for another PREFIX rebuilds what embeds them.
PATHS = $(BINDIR) $(LIBEXECDIR) $(SYSCONFDIR) $(LOCALSTATEDIR)
$(BUILD)/paths: FORCE
	@mkdir -p $(@D)
	@echo '$(PATHS)' | cmp -s - $@ 2>/dev/null || echo '$(PATHS)' >$@

$(BUILD)/obj/cmd/tocsin.o: $(BUILD)/paths

# The units, cron and logrotate files with the install's paths.
SERVICE_FILES = $(patsubst etc/systemd/%.in,$(BUILD)/etc/%,$(wildcard etc/systemd/*.in)) \
	$(BUILD)/etc/cron.d-tocsin $(BUILD)/etc/logrotate-tocsin
$(BUILD)/etc/%: etc/systemd/%.in $(BUILD)/paths
	@mkdir -p $(@D)
	sed -e 's|@BINDIR@|$(BINDIR)|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' \
		-e 's|@LOCALSTATEDIR@|$(LOCALSTATEDIR)|g' $< >$@
$(BUILD)/etc/%: etc/%.in $(BUILD)/paths
	@mkdir -p $(@D)
	sed -e 's|@BINDIR@|$(BINDIR)|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' \
		-e 's|@LOCALSTATEDIR@|$(LOCALSTATEDIR)|g' $< >$@

service-files: $(SERVICE_FILES)

$(BUILD)/bin/%: $(BUILD)/obj/cmd/%.o $(BUILD)/libtocsin.a
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/gen/migrations.c: scripts/embed-migrations.sh $(wildcard migrations/*.sql)
	@mkdir -p $(@D)
	sh scripts/embed-migrations.sh migrations > $@.tmp && mv $@.tmp $@

$(BUILD)/obj/gen/migrations.o: $(BUILD)/gen/migrations.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/gen/pages.c: scripts/embed-pages.sh $(wildcard templates/web/*)
	@mkdir -p $(@D)
	sh scripts/embed-pages.sh templates/web > $@.tmp && mv $@.tmp $@

$(BUILD)/obj/gen/pages.o: $(BUILD)/gen/pages.c src/lib/page.h
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/obj/tests/%.o: tests/unit/%.c tests/unit/tap.h
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) -Itests/unit $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/tests/test-%: $(BUILD)/obj/tests/test-%.o $(BUILD)/obj/tests/tap.o \
    $(BUILD)/obj/tests/testdb.o $(BUILD)/libtocsin.a
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/bench/%: bench/%.c $(BUILD)/libtocsin.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -o $@ $^ $(LDLIBS)

-include $(wildcard $(BUILD)/obj/*/*.d)

deps:
	@sh scripts/deps.sh

style:
	@sh scripts/check-style.sh

# The sanitizer build lives apart from the normal one; tests run it.
check: deps
	@sh scripts/browser-deps.sh
	@$(MAKE) --no-print-directory check-run

check-run: style
	@$(MAKE) --no-print-directory BUILD=build/asan \
		EXTRA_CFLAGS="$(SANITIZE_FLAGS)" progs unit
	TOCSIN_BIN=$(CURDIR)/build/asan/bin \
	TOCSIN_TOOLS=$(CURDIR)/build/asan/tests/tools \
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	UBSAN_OPTIONS=print_stacktrace=1 \
		prove --timer $(PROVE_FLAGS) build/asan/tests/test-* tests/e2e/t*.sh

demo: deps
	@$(MAKE) --no-print-directory progs
	sh scripts/demo.sh $(CURDIR)/build/bin $(CURDIR)/build/demo

bench: deps
	@sh scripts/deps.sh libsisimai-perl wrk strace mlmmj eatmydata
	@$(MAKE) --no-print-directory progs $(BENCH_TOOLS)
	$(BUILD)/bench/render
	sh bench/import $(CURDIR)/build/bin $(CURDIR)/build/bench
	sh bench/send $(CURDIR)/build/bin $(CURDIR)/build/bench
	sh bench/classify $(CURDIR)/build/bin $(CURDIR)/build/bench
	sh bench/inbox $(CURDIR)/build/bin $(CURDIR)/build/bench
	sh bench/inbox-large $(CURDIR)/build/bin $(CURDIR)/build/bench
	sh bench/web $(CURDIR)/build/bin $(CURDIR)/build/bench

# libFuzzer targets (clang): make fuzz FUZZ_SECONDS=600 runs each that long.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS = csvin merge header classify web

fuzz: deps
	@$(MAKE) --no-print-directory CC=clang BUILD=build/fuzz \
		EXTRA_CFLAGS="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all" \
		build/fuzz/libtocsin.a
	@for t in $(FUZZ_TARGETS); do \
		mkdir -p build/fuzz/corpus-$$t && \
		clang -D_GNU_SOURCE -Isrc/lib $(PKG_CFLAGS) -g -O1 \
			-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
			-o build/fuzz/fuzz-$$t tests/fuzz/fuzz-$$t.c \
			build/fuzz/libtocsin.a $(LDLIBS) || exit 1; \
	done
	@# the seeds of every target, whichever of them this run fuzzes
	@mkdir -p build/fuzz/corpus-csvin build/fuzz/corpus-merge \
		build/fuzz/corpus-header build/fuzz/corpus-classify \
		build/fuzz/corpus-web
	@cp tests/e2e/*.sh etc/demo/*.csv build/fuzz/corpus-csvin/ 2>/dev/null; \
	cp templates/*.alert tests/spec/mustache/*.json build/fuzz/corpus-merge/; \
	cp templates/*.alert build/fuzz/corpus-header/; \
	cp tests/corpus/bounces/*.eml build/fuzz/corpus-classify/; \
	cp tests/fuzz/seeds-web/* build/fuzz/corpus-web/
	@for t in $(FUZZ_TARGETS); do \
		echo "fuzz-$$t: $(FUZZ_SECONDS) s"; \
		build/fuzz/fuzz-$$t -max_total_time=$(FUZZ_SECONDS) \
			-artifact_prefix=build/fuzz/fuzz-$$t- \
			-max_len=65536 -print_final_stats=1 \
			build/fuzz/corpus-$$t 2>build/fuzz/fuzz-$$t.log || \
			{ tail -n 40 build/fuzz/fuzz-$$t.log; exit 1; }; \
		grep -E "stat::number_of_executed_units|Done" build/fuzz/fuzz-$$t.log | tail -n 2; \
	done

install: progs $(SERVICE_FILES)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBEXECDIR) \
		$(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(DOCDIR)/examples \
		$(DESTDIR)$(SYSCONFDIR)/tocsin $(DESTDIR)$(UNITDIR) \
		$(DESTDIR)$(LOGROTATEDIR)
	install -m 755 $(BUILD)/bin/tocsin $(DESTDIR)$(BINDIR)/tocsin
	install -m 755 $(filter-out $(BUILD)/bin/tocsin,$(PROGS)) \
		$(DESTDIR)$(LIBEXECDIR)/
	install -m 644 man/*.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 644 README.md DESIGN.md $(DESTDIR)$(DOCDIR)/
	install -m 644 $(BUILD)/etc/cron.d-tocsin etc/nginx-tocsin.conf \
		templates/*.alert $(DESTDIR)$(DOCDIR)/examples/
	install -m 644 etc/tocsin.conf.example $(DESTDIR)$(SYSCONFDIR)/tocsin/
	install -m 644 $(filter $(BUILD)/etc/tocsin-%,$(SERVICE_FILES)) \
		$(DESTDIR)$(UNITDIR)/
	install -m 644 $(BUILD)/etc/logrotate-tocsin $(DESTDIR)$(LOGROTATEDIR)/tocsin

# What install put there, and the directories it made that are empty.
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/tocsin $(DESTDIR)$(LIBEXECDIR)/tocsin-* \
		$(patsubst man/%,$(DESTDIR)$(MANDIR)/man1/%,$(wildcard man/*.1)) \
		$(DESTDIR)$(DOCDIR)/README.md $(DESTDIR)$(DOCDIR)/DESIGN.md \
		$(DESTDIR)$(DOCDIR)/examples/* \
		$(DESTDIR)$(SYSCONFDIR)/tocsin/tocsin.conf.example \
		$(patsubst etc/systemd/%.in,$(DESTDIR)$(UNITDIR)/%,$(wildcard etc/systemd/*.in)) \
		$(DESTDIR)$(LOGROTATEDIR)/tocsin
	-rmdir $(DESTDIR)$(LIBEXECDIR) $(DESTDIR)$(DOCDIR)/examples \
		$(DESTDIR)$(DOCDIR) $(DESTDIR)$(SYSCONFDIR)/tocsin 2>/dev/null

install-service:
	sh scripts/install-service.sh $(BINDIR) $(SYSCONFDIR) $(LOCALSTATEDIR) \
		$(UNITDIR)

clean:
	rm -rf build
