#!/bin/sh
# Durable before it goes: under group commit, a message's envelope and
# data may cross the wire while the commit that marked it sending is
# synced (fdatasync of the WAL), but its end of data, which makes the
# relay take it, goes only after; and the run's last outcomes are
# synced before it ends. Watched with strace: the order of the real
# syscalls.
. "$(dirname "$0")/lib.sh"

command -v strace >/dev/null || { echo "Bail out! no strace (make deps installs it)"; exit 1; }
N=60
new_secret
start_sink
cat >tocsin.conf <<X
$(sender_section)
$(smtp_section)
sessions = 3
X
run 0 tocsin init
run 0 tocsin list create river --from "River <alerts@river.example>" \
	--address "1 Main St, Springfield"
awk -v n=$N 'BEGIN { print "email,first_name"; for (i = 1; i <= n; i++) printf "d%03d@example.org,D%03d\n", i, i }' >people.csv
run 0 tocsin sub import river people.csv
printf 'Subject: Hello {{first_name}}\n\nHi {{first_name}}. {{list.address}} {{unsubscribe_url}}\n' >short.alert
run 0 tocsin blast create --schedule river short.alert
# Every sync made slow (20 ms, strace's fault injection), so that each
# message's data is out before the sync of its mark ends: the relay must
# still get no end of data before it. (LeakSanitizer cannot run under
# ptrace.)
ASAN_OPTIONS=detect_leaks=0 strace -f -qq -y -e trace=fdatasync,pwrite64,sendto \
	-e inject=fdatasync:delay_enter=20000 -e signal=none -s 12 -o trace \
	tocsin send --due >out 2>err
is $? 0 "tocsin send under strace exits 0"
is "$(sql "SELECT count(*) FROM deliveries WHERE state = 'sent'")" "$N" "all sent"
# strace prints "PID call(FD, ...) = R", or, around other threads'
# calls, "PID call(FD, ... <unfinished ...>" then "PID <... call
# resumed>"; -y names each descriptor's file ("FD</path/x.db-wal>"), so
# SQLite's writes to the WAL and tocsin's syncs of it (through another
# descriptor) are seen together. A write counts once it returns; a sync
# covers the writes that returned before it began. A message's mark is
# in a commit written before its MAIL FROM: its end of data ("PID
# sendto(FD, ".\r\n", 3, ...") must wait for a sync that covers every
# WAL write made before that MAIL FROM. Any other write to a socket
# while a sync runs (but the one-byte wakeups of the poll) is data
# that went early, as it should. Any other write to a socket
# while a sync runs (but the one-byte wakeups of the poll) is data
# that went early, as it should.
awk '
function fd_of(call) { match($0, call "\\([0-9]+"); return substr($0, RSTART + length(call) + 1, RLENGTH - length(call) - 1) }
function wrote() { seq++; written = seq }
function synced(upto) { if (upto > durable) durable = upto; last = "sync" }
/fdatasync\([0-9]/ { if (!/-wal>/) next; syncs++; if (/unfinished/) { began[$1] = written; if (++syncing > most) most = syncing } else synced(written); next }
/fdatasync resumed/ { if ($1 in began) { synced(began[$1]); delete began[$1]; syncing-- } next }
/pwrite64\([0-9]/ { if (!/-wal>/) next; if (/unfinished/) writing[$1] = 1; else wrote(); next }
/pwrite64 resumed/ { if ($1 in writing) { wrote(); delete writing[$1] } next }
/sendto\(.*"MAIL FROM/ { mails++; need[fd_of("sendto")] = written; last = "mail"; next }
/sendto\([0-9]+[^"]*"(\\r\\n)?\.\\r\\n", [35],/ { ends++; if (durable < need[fd_of("sendto")]) bad++; last = "end"; next }
/sendto\([0-9]+<(TCP|socket)/ { if (syncing > 0 && !/", 1,/) early++; next }
END { printf "%d %d %d %d %s %d %d\n", mails, ends, bad + 0, (durable >= written && syncs > 0), last, early + 0, most + 0 }' trace >order
read -r mails ends bad synced last early most <order
is "$mails $ends" "$N $N" "strace saw every MAIL FROM and every end of data"
is "$bad" "0" "no end of data goes before its sending mark is synced"
is "$synced $last" "1 sync" "the last outcomes are synced before the run ends"
tap_result $([ "$early" -gt 0 ]; echo $?) "the data went while the sync ran, its end of data held ($early writes)"
is "$most" "2" "a commit made while one sync runs has its own begun at once, two at most"
echo "# $(grep -c 'fdatasync(' trace) syncs for $N messages"
done_testing
