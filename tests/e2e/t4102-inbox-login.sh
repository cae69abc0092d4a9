#!/bin/sh
# tocsin inbox when the IMAP server refuses us or is down: a refused
# login or a password too long is a config error (78) that never shows
# the password; a server down is "try later" (75) with nothing done.
. "$(dirname "$0")/lib.sh"

imap_fixture

# Down, or refusing us: try later; a wrong password is a config error.
cp "$T/imap.pass" right.pass
printf 'wrong\n' >"$T/imap.pass"
run 78 tocsin inbox --once
has err "tocsin-inbox: the IMAP server 127.0.0.1 refused the login of 'tocsin'" "a refused login says so (78)"
lacks err "wrong" "and never shows the password"
# A password from the environment too long to hold: refused, not cut.
long=$(head -c 2000 /dev/zero | tr '\0' x)
sed '/^password_file/d' tocsin.conf >env-pass.conf
TOCSIN_IMAP_PASSWORD=$long run 78 tocsin -c env-pass.conf inbox --once
has err "tocsin-inbox: \$TOCSIN_IMAP_PASSWORD is longer than a [imap] password may be (511 bytes)" "a password in the environment longer than the limit is a config error (78), not cut short"
lacks err "xxxxxxxx" "and is never shown"
cp right.pass "$T/imap.pass"
run 0 tocsin inbox --once
is "$(cat err)" "" "with the right password it logs in, and finds nothing"
stop_dovecot
run 75 tocsin inbox --once
lacks out "moved" "a server that is down: exit 75, nothing done"
done_testing
