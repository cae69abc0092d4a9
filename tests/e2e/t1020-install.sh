#!/bin/sh
# make install as a packager runs it: PREFIX, DESTDIR and SYSCONFDIR
# honoured, the paths compiled into the front rebuilt for each PREFIX,
# units, cron and logrotate files with the install's paths, units that
# systemd-analyze verify accepts, and make uninstall taking it all away.
. "$(dirname "$0")/lib.sh"

command -v systemd-analyze >/dev/null || { echo "Bail out! no systemd-analyze (make deps installs systemd)"; exit 1; }
build() { make -C "$TOP" -s --no-print-directory BUILD="$T/build" "$@" >make.out 2>&1; }

build PREFIX=/usr DESTDIR="$T/root" install
is $? 0 "make install PREFIX=/usr DESTDIR=... works"
(cd root && find . -type f | sort) >files
for f in ./usr/bin/tocsin ./usr/libexec/tocsin/tocsin-send ./usr/libexec/tocsin/tocsin-dns \
    ./usr/share/man/man1/tocsin.1 ./usr/share/man/man1/tocsin-dkim.1 \
    ./usr/share/doc/tocsin/README.md ./usr/share/doc/tocsin/examples/cron.d-tocsin \
    ./etc/tocsin/tocsin.conf.example ./etc/logrotate.d/tocsin \
    ./usr/lib/systemd/system/tocsin-send.service ./usr/lib/systemd/system/tocsin-send.timer \
    ./usr/lib/systemd/system/tocsin-inbox.service ./usr/lib/systemd/system/tocsin-inbox.timer \
    ./usr/lib/systemd/system/tocsin-web.service; do
	has files "$f" "installs $f"
done
lacks files "./usr/etc" "PREFIX=/usr keeps its config in /etc"
grep -q /usr/libexec/tocsin root/usr/bin/tocsin
tap_result $? "the front looks for its programs in /usr/libexec/tocsin"
has root/usr/lib/systemd/system/tocsin-send.service "ExecStart=/usr/bin/tocsin send --due" \
	"the send unit runs the installed front"
has root/usr/lib/systemd/system/tocsin-send.service "Environment=TOCSIN_CONFIG=/etc/tocsin/tocsin.conf" \
	"with the installed config"
has root/usr/lib/systemd/system/tocsin-inbox.service "ReadWritePaths=/var/lib/tocsin" \
	"and writes only the state directory"
has root/usr/lib/systemd/system/tocsin-inbox.service "User=tocsin" "as the user tocsin"
grep -q "tocsin  /usr/bin/tocsin send --due >>/var/log/tocsin/send.log 2>&1$" root/usr/share/doc/tocsin/examples/cron.d-tocsin
tap_result $? "the cron file names the installed front"
has root/etc/logrotate.d/tocsin "/var/log/tocsin/*.log {" "logrotate rotates the cron logs"

# Another prefix: what embeds the old one is rebuilt.
build PREFIX=/opt/tocsin DESTDIR="$T/root2" install
grep -q /opt/tocsin/libexec/tocsin root2/opt/tocsin/bin/tocsin && ! grep -q /usr/libexec/tocsin root2/opt/tocsin/bin/tocsin
tap_result $? "a build for another PREFIX compiles in its own libexec"
test -f root2/opt/tocsin/etc/tocsin/tocsin.conf.example
tap_result $? "and keeps its config under it"

build PREFIX=/usr DESTDIR="$T/root" uninstall
is "$(find root -type f | wc -l | tr -d ' ')" "0" "make uninstall removes every file install put there"

# Installed for real under a prefix of the test's: the units verify.
build PREFIX="$T/pfx" install
"$T/pfx/bin/tocsin" -d v.db init >out 2>err
is $? 0 "the installed front finds and runs its programs"
systemd-analyze verify --man=no "$T"/pfx/lib/systemd/system/tocsin-* >verify.out 2>&1
is $? 0 "systemd-analyze verify accepts the units"
is "$(cat verify.out)" "" "without a warning"
done_testing
