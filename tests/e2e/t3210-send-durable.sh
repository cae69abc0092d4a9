#!/bin/sh
# Durable before it goes: under group commit, a message is handed to
# the relay only after the commit that marked it sending is synced to
# disk (fdatasync of the WAL), and the run's last outcomes are synced
# before it ends. Watched with strace: the order of the real syscalls.
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
# (LeakSanitizer cannot run under ptrace.)
ASAN_OPTIONS=detect_leaks=0 strace -f -qq -e trace=fdatasync,fsync,sendto -e signal=none -s 12 -o trace \
	tocsin send --due >out 2>err
is $? 0 "tocsin send under strace exits 0"
is "$(sql "SELECT count(*) FROM deliveries WHERE state = 'sent'")" "$N" "all sent"
# One line a call: "PID fdatasync(..." or "PID sendto(FD, \"MAIL FROM:<b\"...".
awk '
/fdatasync\(|fsync\(/ { syncs++; last = "sync"; next }
/sendto\(.*"MAIL FROM/ { mails++; if (syncs == 0) early++; last = "mail"; next }
/sendto\(/ { last = "other" }
END { printf "%d %d %d %s\n", mails, (syncs > 0), early, last }' trace >order
read -r mails synced early last <order
is "$mails" "$N" "strace saw every MAIL FROM"
is "$synced $early" "1 0" "no message goes before a sync of its sending mark"
is "$last" "sync" "the last outcomes are synced before the run ends"
echo "# $(grep -c 'fdatasync(' trace) syncs for $N messages"
done_testing
