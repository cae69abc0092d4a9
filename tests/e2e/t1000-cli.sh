#!/bin/sh
# The command line contract: the front, --help, exit codes, config and
# database discovery, and errors that name the file and line.
. "$(dirname "$0")/lib.sh"

run 0 tocsin --help
cp out help.out
for c in init list sub action; do
	grep -q "^  $c " out
	tap_result $? "tocsin --help lists '$c'"
done
run 64 tocsin frobnicate
has err "tocsin: unknown command 'frobnicate' (see 'tocsin --help')" \
	"an unknown command is named"
# A log line in a file starts with its time; in the journal, not.
(unset TOCSIN_LOG_TIME; tocsin list show nolist 2>timed.err)
grep -Eq "^20[0-9]{2}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]Z tocsin-list: " timed.err
tap_result $? "a log line written to a file has an ISO 8601 time"
: >journal.err
(unset TOCSIN_LOG_TIME; JOURNAL_STREAM=$(stat -c '%d:%i' journal.err) tocsin list show nolist 2>>journal.err)
grep -q "^tocsin-list: " journal.err
tap_result $? "one that goes to the journal has none (it has its own)"
run 64 tocsin sub frobnicate
has err "Try 'tocsin sub --help'." "a usage error names the command as typed"
run 64 tocsin
run 64 tocsin --bogus list ls
run 64 tocsin ../../bin/sh
for p in init list sub action; do
	run 0 tocsin $p --help
	grep -q "^usage: tocsin $p" out
	tap_result $? "tocsin $p --help prints its usage"
	run 0 "tocsin-$p" --help
done
run 64 tocsin sub frob
run 64 tocsin sub ls
run 64 tocsin list create news
has err "tocsin-list: list create needs --from \"Name <addr>\"" \
	"a missing option is named"

# No database yet: every program but init says how to make one.
run 66 tocsin list ls
has err "tocsin-list: cannot open database 'tocsin.db' (run 'tocsin init' to create it): No such file or directory" \
	"a missing database says to run tocsin init"
run 0 tocsin init

# -d, $TOCSIN_DB, the config's path (relative to the config's directory).
mkdir conf
cat >conf/tocsin.conf <<'CONF'
; test config
[database]
path = group.db   ; relative to this file
[smtp]
sessions = 8
CONF
run 0 tocsin -c conf/tocsin.conf init
test -f conf/group.db
tap_result $? "[database] path is taken from the config's directory"
run 0 tocsin -d other.db init
test -f other.db
tap_result $? "-d names the database"
TOCSIN_DB=env.db run 0 tocsin init
test -f env.db
tap_result $? "\$TOCSIN_DB names the database"
TOCSIN_CONFIG=conf/tocsin.conf run 0 tocsin list create viaenv --from a@example.org \
    --address "1 Main St, Springfield"
run 0 tocsin -c conf/tocsin.conf list ls --format tsv
grep -q '^viaenv	a@example.org		0	0	' out
tap_result $? "\$TOCSIN_CONFIG is read"
run 0 tocsin list ls -d conf/group.db --format tsv
grep -q '^viaenv	' out
tap_result $? "options after the command word work too"

# Config errors: file and line, exit 78.
printf '[database]\npath = x.db\n[smtp]\nsesions = 4\n' >bad.conf
run 78 tocsin -c bad.conf list ls
has err "tocsin-list: bad.conf:4: unknown key 'sesions' in [smtp]" \
	"an unknown key is named with its line"
printf '[smtp]\nsessions = many\n' >bad2.conf
run 78 tocsin -c bad2.conf list ls
has err "tocsin-list: bad2.conf:2: 'sessions' in [smtp] must be a whole number from 1 to 64" \
	"a bad value is named with its line"
printf '[smtp]\nsessions = 1000000\n' >bad2b.conf
run 78 tocsin -c bad2b.conf list ls
has err "tocsin-list: bad2b.conf:2: 'sessions' in [smtp] must be a whole number from 1 to 64" \
	"too many sessions is an error that gives the range, not a silent cap"
# A database this user may not write cannot be read either (WAL): a
# true message and 66, not "attempt to write a readonly database" and 75.
mkdir ro
run 0 tocsin -d ro/ro.db init
if [ "$(id -u)" -eq 0 ]; then
	chmod 711 "$T"	# another user may read the database, not write it
	chmod 755 ro
	chmod 644 ro/ro.db
	as_other="setpriv --reuid=nobody --regid=nogroup --clear-groups"
else
	as_other=
	chmod 555 ro
	chmod 444 ro/ro.db
fi
$as_other "$TOCSIN_BIN/tocsin" -d "$T/ro/ro.db" list ls >out 2>err
is "$?" "66" "a read-only database: exit 66"
grep -q "^tocsin-list: database '$T/ro/ro.db' is read-only for this user (uid [0-9]*): tocsin writes it and its directory" err
tap_result $? "and a message that says why and what to do"
chmod 755 ro
printf '[database]\npath = x.db\n[smpt]\nurl = smtp://x\n' >bad3.conf
run 78 tocsin -c bad3.conf list ls
has err "tocsin-list: bad3.conf:4: key 'url' is in an unknown section [smpt]" \
	"an unknown section is named with its line"
printf '[imap]\nstarttls = maybe\n' >bad4.conf
run 78 tocsin -c bad4.conf list ls
has err "tocsin-list: bad4.conf:2: 'starttls' in [imap] must be required, optional or no" \
	"a bad starttls value is refused"
run 78 tocsin -c missing.conf list ls
has err "tocsin-list: cannot open config 'missing.conf': No such file or directory" \
	"a missing config file is named"

# Installed layout: bin/tocsin finds ../libexec/tocsin/tocsin-COMMAND.
mkdir -p stage/bin stage/libexec/tocsin
cp "$TOCSIN_BIN/tocsin" stage/bin/
for f in "$TOCSIN_BIN"/tocsin-*; do
	cp "$f" stage/libexec/tocsin/
done
run 0 stage/bin/tocsin -d staged.db init
has out "database 'staged.db' created (schema version $(ls "$TOP"/migrations/*.sql | wc -l))" \
	"an installed front finds its programs in ../libexec/tocsin"
rm stage/libexec/tocsin/tocsin-list
run 69 stage/bin/tocsin list ls
grep -q "^tocsin: cannot find the program 'tocsin-list'" err
tap_result $? "a missing program is reported, not run from elsewhere"

# README's module map names every module of src/lib.
sed -n '/^## Module map/,/^## Benchmarks/p' "$TOP/README.md" >map.txt
missing=
for f in "$TOP"/src/lib/*.c; do
	m=$(basename "$f" .c)
	grep -q "\`$m\`\|\`$m\.c\`" map.txt || missing="$missing $m"
done
is "$missing" "" "README's module map names every module"

# Every program has a manual page, and the front lists every command.
for f in "$TOP"/src/cmd/*.c; do
	p=$(basename "$f" .c)
	test -s "$TOP/man/$p.1"
	tap_result $? "man/$p.1 exists"
	[ "$p" = tocsin ] && continue
	grep -q "^  ${p#tocsin-} " "$T/help.out"
	tap_result $? "tocsin --help lists ${p#tocsin-}"
	grep -qx ".B ${p#tocsin-}" "$TOP/man/tocsin.1"
	tap_result $? "tocsin(1) lists ${p#tocsin-}"
	"$p" --help >/dev/null
	tap_result $? "$p --help exits 0"
done

# The example config documents every key, and every key in it is known.
run 0 tocsin -c "$TOP/etc/tocsin.conf.example" -d ex.db init

done_testing
