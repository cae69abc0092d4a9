# lib.sh: shared by the end-to-end tests. Each test runs the programs in
# $TOCSIN_BIN (the sanitizer build, from `make check`) in a scratch
# directory that is removed on exit, and prints TAP.
#
#   run CODE CMD...       run CMD, stdout to ./out, stderr to ./err;
#                         ok if it exits CODE
#   same EXPECT FILE WHAT ok if FILE equals EXPECT (a file, or - for stdin)
#   has FILE TEXT WHAT    ok if FILE has a line that is exactly TEXT
#   lacks FILE TEXT WHAT  ok if FILE has no line containing TEXT
#   is GOT WANT WHAT      ok if the strings are equal
#   sql QUERY             print a query's result on the test database
#   start_sink [OPTIONS]  Postfix's smtp-sink on 127.0.0.1:$SINK_PORT,
#                         each message dumped to a file in $SINK_DUMP
#   stop_sink             stop it (the exit trap does too)
#   rcpt_counts           "count address" for every message in the dump
#   sunk_to ADDRESS       the dump files of the messages sent to ADDRESS
#   send_config PORT      a tocsin.conf for smtp-sink on PORT, 4 sessions
#   send_fixture [N]      smtp-sink, a tocsin.conf for it, list river of
#                         p001..pN@example.org (N: 300; a third in Porto,
#                         the rest in Lyon), action resign-now signed by
#                         p001..p003, the petition alert in alert.alert
#                         (the send tests' start)
#   alert_sent N          smtp-sink, Dovecot, a tocsin.conf for both, list
#                         river of p1..pN@example.org, and a petition
#                         alert sent to them all (the inbox tests' start)
#   start_dovecot         Dovecot on 127.0.0.1:$IMAP_PORT (and imaps on
#                         $IMAPS_PORT), user tocsin, INBOX in $MAILDIR
#   imap_fixture          Dovecot, a tocsin.conf for it, a new database
#   maildir_deliver FILE...  put messages in the INBOX as an MTA would
#   folder_count NAME     messages in INBOX or a folder
#   imap_config           the [imap] section for this Dovecot
#   web_config [LINES]    a tocsin.conf for smtp-sink and tocsin web on
#                         $WEB_PORT (a free port), its [web] section
#                         ending with LINES; $BASE is its address
#   start_web             tocsin web in the background, stopped on exit
#   code CURL-ARGS...     a request's status; its body in ./body, its
#                         headers in ./headers
#   text_of FILE          the text part of a message
#   confirm_url ADDRESS   the path of the confirmation link mailed to
#                         ADDRESS
#   petition_fixture      smtp-sink, tocsin web, list river of
#                         p1..p5@example.org, action resign-now (goal 30)
#                         with 40 signers and its alert sent to them all
#                         (the petition page tests' start)
#   start_dns OPTIONS...  dnsmasq on 127.0.0.1:$DNS_PORT serving only the
#                         records its options give (--txt-record=...)
#   stop_dns              stop it (the exit trap does too)

set -u
: "${TOCSIN_BIN:?set TOCSIN_BIN to the directory of the built programs}"
PATH=$TOCSIN_BIN:$PATH
export TZ=UTC
unset TOCSIN_CONFIG TOCSIN_DB JOURNAL_STREAM
# The tests read log lines as written, without their time (t1000 checks
# the time itself).
export TOCSIN_LOG_TIME=0

# The source tree, found before the test leaves for its scratch directory.
TOP=$(cd "$(dirname "$0")/../.." && pwd)
T=$(mktemp -d "${TMPDIR:-/tmp}/tocsin-test.XXXXXX")
SINK_PID=
DNS_PID=
DOVECOT_CONF=
cleanup() {
	[ -n "$SINK_PID" ] && kill "$SINK_PID" 2>/dev/null && wait "$SINK_PID" 2>/dev/null
	[ -n "$DNS_PID" ] && kill "$DNS_PID" 2>/dev/null && wait "$DNS_PID" 2>/dev/null
	[ -n "$DOVECOT_CONF" ] && stop_dovecot
	rm -rf "$T"
}
trap cleanup EXIT
cd "$T" || exit 1

tap_n=0
tap_failed=0

tap_result() {
	tap_n=$((tap_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $tap_n - $2"
	else
		echo "not ok $tap_n - $2"
		tap_failed=$((tap_failed + 1))
	fi
}

diag() {
	sed 's/^/# /' "$@"
}

run() {
	want=$1
	shift
	"$@" >out 2>err
	got=$?
	# An argument with a line break must not break the TAP line.
	what=$(printf '%s' "$*" | tr '\n' ' ')
	if [ "$got" -eq "$want" ]; then
		tap_result 0 "$what exits $want"
	else
		tap_result 1 "$what exits $want (got $got)"
		diag err
	fi
}

same() {
	if [ "$1" = - ]; then
		cat >expect
		set -- expect "$2" "$3"
	fi
	if diff -u "$1" "$2" >diff.out 2>&1; then
		tap_result 0 "$3"
	else
		tap_result 1 "$3"
		diag diff.out
	fi
}

has() {
	if grep -Fxq -- "$2" "$1"; then
		tap_result 0 "$3"
	else
		tap_result 1 "$3"
		echo "# no line '$2' in $1:"
		diag "$1"
	fi
}

lacks() {
	if grep -Fq -- "$2" "$1"; then
		tap_result 1 "$3"
		diag "$1"
	else
		tap_result 0 "$3"
	fi
}

is() {
	if [ "$1" = "$2" ]; then
		tap_result 0 "$3"
	else
		tap_result 1 "$3"
		echo "# got:  '$1'"
		echo "# want: '$2'"
	fi
}

sql() {
	sqlite3 -batch -noheader "${DB:-tocsin.db}" "$1"
}

# A fresh HMAC key in secret.key (mode 600), made once a test.
new_secret() {
	head -c 32 /dev/urandom >secret.key
	chmod 600 secret.key
}

# The [sender] section of the tests' config, naming secret.key, and a
# [blast] section that turns off the guards against mailing a person
# too often: the tests send many blasts to the same people in a minute
# (t3130 tests the guards).
sender_section() {
	cat <<X
[sender]
domain = river.example
bounce_domain = bounces.river.example
unsubscribe_url = https://river.example/unsubscribe
secret_file = secret.key
[blast]
duplicate_days = 0
max_per_day = 0
X
}

# The [smtp] section for the sink on port $1 (default $SINK_PORT), in
# plain text: the sink speaks no TLS.
smtp_section() {
	printf '[smtp]\nurl = smtp://127.0.0.1:%s\nstarttls = no\n' \
	    "${1:-$SINK_PORT}"
}

# free_port, wait_port
# shellcheck source=scripts/ports.sh
. "$TOP/scripts/ports.sh"

start_sink() {
	[ -x /usr/sbin/smtp-sink ] || { echo "Bail out! no /usr/sbin/smtp-sink (make deps installs postfix)"; exit 1; }
	SINK_PORT=$(free_port)
	SINK_DUMP=$T/dump
	rm -rf "$SINK_DUMP"
	mkdir -p "$SINK_DUMP"
	# As root, smtp-sink runs as nobody: it must reach the dump.
	chmod 711 "$T"
	chmod 777 "$SINK_DUMP"
	user=
	[ "$(id -u)" -eq 0 ] && user="-u nobody"
	# shellcheck disable=SC2086
	/usr/sbin/smtp-sink $user -4 -d "$SINK_DUMP/%M." "$@" \
		127.0.0.1:"$SINK_PORT" 256 >"$T/sink.log" 2>&1 &
	SINK_PID=$!
	wait_port "$SINK_PORT" || { echo "Bail out! smtp-sink did not start"; cat "$T/sink.log"; exit 1; }
}

# dnsmasq as an authoritative-only server for the test's records: no
# upstream, no /etc/hosts, no config file of the machine's.
start_dns() {
	[ -x /usr/sbin/dnsmasq ] || { echo "Bail out! no /usr/sbin/dnsmasq (make deps installs dnsmasq-base)"; exit 1; }
	DNS_PORT=$(free_port)
	user=
	[ "$(id -u)" -eq 0 ] && user="--user=nobody"
	# shellcheck disable=SC2086
	/usr/sbin/dnsmasq --keep-in-foreground --port="$DNS_PORT" \
		--listen-address=127.0.0.1 --bind-interfaces --no-resolv \
		--no-hosts --conf-file=/dev/null --pid-file= $user \
		--log-facility="$T/dns.log" "$@" 2>>"$T/dns.log" &
	DNS_PID=$!
	wait_port "$DNS_PORT" || { echo "Bail out! dnsmasq did not start"; cat "$T/dns.log"; exit 1; }
}

stop_dns() {
	[ -n "$DNS_PID" ] && kill "$DNS_PID" 2>/dev/null && wait "$DNS_PID" 2>/dev/null
	DNS_PID=
}

stop_sink() {
	[ -n "$SINK_PID" ] && kill "$SINK_PID" 2>/dev/null && wait "$SINK_PID" 2>/dev/null
	SINK_PID=
}

rcpt_counts() {
	cat "$SINK_DUMP"/* 2>/dev/null | sed -n 's/^X-Rcpt-Args: <\(.*\)>.*/\1/p' | sort | uniq -c |
		awk '{ print $1, $2 }'
}

alert_sent() {
	new_secret
	start_sink
	start_dovecot
	cat >tocsin.conf <<X
$(sender_section)
$(smtp_section)
$(imap_config)
X
	run 0 tocsin init
	run 0 tocsin list create river --from "River <alerts@river.example>" \
	    --address "1 Main St, Springfield"
	{
		echo "email,first_name"
		for i in $(seq 1 "$1"); do echo "p$i@example.org,P$i"; done
	} >people.csv
	run 0 tocsin sub import river people.csv
	run 0 tocsin action create resign-now --title "Resign now"
	cp "$TOP/templates/petition.alert" alert.alert
	run 0 tocsin blast create --schedule river alert.alert --action resign-now
	run 0 tocsin send --due
}

sunk_to() {
	grep -l "^X-Rcpt-Args: <$1>" "$SINK_DUMP"/*
}

done_testing() {
	echo "1..$tap_n"
	[ "$tap_failed" -eq 0 ]
}

# Dovecot on 127.0.0.1 (scripts/dovecot-local.sh): sets IMAP_PORT,
# IMAPS_PORT and MAILDIR (the INBOX of user tocsin, password in
# $T/imap.pass).
start_dovecot() {
	[ -x /usr/sbin/dovecot ] || { echo "Bail out! no /usr/sbin/dovecot (make deps installs dovecot-imapd)"; exit 1; }
	sh "$TOP/scripts/dovecot-local.sh" start "$T" >"$T/dovecot.env" ||
		{ echo "Bail out! dovecot did not start"; exit 1; }
	. "$T/dovecot.env"
	DOVECOT_CONF=$T/dovecot/dovecot.conf
}

restart_dovecot() {
	sh "$TOP/scripts/dovecot-local.sh" restart "$T" && DOVECOT_CONF=$T/dovecot/dovecot.conf
}

stop_dovecot() {
	sh "$TOP/scripts/dovecot-local.sh" stop "$T"
	DOVECOT_CONF=
}

imap_fixture() {
	new_secret
	start_dovecot
	cat >tocsin.conf <<X
$(sender_section)
$(imap_config)
X
	run 0 tocsin init
}

maildir_deliver() {
	sh "$TOP/scripts/dovecot-local.sh" deliver "$T" "$@"
}

# How many messages a folder holds ("INBOX", or a folder's name).
folder_count() {
	if [ "$1" = INBOX ]; then dir=$MAILDIR; else dir=$MAILDIR/.$1; fi
	find "$dir/new" "$dir/cur" -type f 2>/dev/null | wc -l
}

imap_config() {
	sh "$TOP/scripts/dovecot-local.sh" config "$T"
}

send_config() {
	cat >tocsin.conf <<X
$(sender_section)
$(smtp_section "$1")
sessions = 4
X
}

send_fixture() {
	new_secret
	start_sink
	send_config "$SINK_PORT"
	run 0 tocsin init
	run 0 tocsin list create river --from "River <alerts@river.example>" \
	    --address "1 Main St, Springfield"
	awk -v n="${1:-300}" 'BEGIN { print "email,first_name,city"; for (i = 1; i <= n; i++) printf "p%03d@example.org,Person%03d,%s\n", i, i, i % 3 ? "Lyon" : "Porto" }' >people.csv
	run 0 tocsin sub import river people.csv
	run 0 tocsin action create resign-now --title "Resign now"
	for i in 001 002 003; do
		run 0 tocsin action sign resign-now p$i@example.org
	done
	cp "$TOP/templates/petition.alert" alert.alert
}

web_config() {
	WEB_PORT=$(free_port)
	BASE=http://127.0.0.1:$WEB_PORT
	cat >tocsin.conf <<X
$(sender_section)
$(smtp_section)
[web]
listen = 127.0.0.1:$WEB_PORT
public_url = https://river.example
${1:-}
X
}

start_web() {
	tocsin web >web.out 2>web.log &
	WEB_PID=$!
	trap 'kill $WEB_PID 2>/dev/null; cleanup' EXIT
	wait_port "$WEB_PORT" ||
		{ echo "Bail out! tocsin web did not start"; cat web.log; exit 1; }
}

code() { curl -s -o body -D headers -w '%{http_code}' "$@"; }

text_of() {
	python3 -c 'import email, email.policy, sys; m = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.default); print(m.get_body(("plain",)).get_content())' "$1"
}

confirm_url() {
	text_of "$(sunk_to "$1")" |
	    sed -n 's|^https://river.example\(/c/[a-z0-9-]*\)$|\1|p'
}

petition_fixture() {
	new_secret
	start_sink
	web_config "posts_per_minute = 8"
	run 0 tocsin init
	run 0 tocsin list create river \
	    --from "River Alliance <alerts@river.example>" \
	    --address "1 Main St, Springfield"
	{ echo "email,first_name,last_name"; for i in $(seq 1 5); do echo "p$i@example.org,Pat$i,Lee"; done; } >people.csv
	run 0 tocsin sub import river people.csv
	run 0 tocsin action create resign-now \
	    --title "Demand that the minister resign now" --list river \
	    --goal 30 --text "The minister signed the permit.

He must go."
	# 40 signers, to see "Showing 30 of 40".
	{ echo "email,name,signed_at"; for i in $(seq 1 40); do printf 's%02d@example.org,Signer%02d Smith,2026-11-%02d 10:00\n' "$i" "$i" "$(( (i % 28) + 1 ))"; done; } >sigs.csv
	run 0 tocsin action import resign-now sigs.csv
	cp "$TOP/templates/petition.alert" alert.alert
	run 0 tocsin blast create --schedule river alert.alert \
	    --action resign-now
	run 0 tocsin send --due
	start_web
}
