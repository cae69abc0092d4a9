#!/bin/sh
# A throwaway Dovecot on 127.0.0.1 for the tests, the demo and the
# benchmarks: its own config in DIR (no /etc/dovecot, no systemd), one
# passwd-file user "tocsin" whose password is in DIR/imap.pass, and a
# Maildir under DIR/mail. As root, mail belongs to nobody: Dovecot
# refuses uid 0 for mail access.
#
#   dovecot-local.sh start DIR     start it; prints IMAP_PORT=, IMAPS_PORT=
#                                  and MAILDIR= lines for eval
#   dovecot-local.sh restart DIR   start it again with the same config
#   dovecot-local.sh stop DIR      stop it and wait for it to be gone
#   dovecot-local.sh deliver DIR FILE...
#                                  put messages in the INBOX as an MTA would
#   dovecot-local.sh config DIR    print an [imap] section for tocsin
set -eu

cmd=$1
dir=$(cd "$2" && pwd)
shift 2
d=$dir/dovecot
maildir=$dir/mail/tocsin/Maildir

# shellcheck source=scripts/ports.sh
. "$(dirname "$0")/ports.sh"

owner() {
	if [ "$(id -u)" -eq 0 ]; then echo nobody:nogroup; else echo "$(id -un):$(id -gn)"; fi
}

start() {
	[ -x /usr/sbin/dovecot ] || { echo "dovecot-local: no /usr/sbin/dovecot (make deps installs dovecot-imapd)" >&2; exit 1; }
	imap_port=$(free_port)
	imaps_port=$(free_port)
	mkdir -p "$d/run" "$d/state" "$maildir/new" "$maildir/cur" "$maildir/tmp"
	chmod 711 "$dir" "$dir/mail"
	printf 'imap-local-password\n' >"$dir/imap.pass"
	chmod 600 "$dir/imap.pass"
	echo 'tocsin:{PLAIN}imap-local-password::::::' >"$d/users"
	# Its own certificate, for the names tocsin reaches it by: tocsin
	# checks it against [imap] ca_file, which the config below names.
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$d/key.pem" \
		-out "$d/cert.pem" -days 2 -subj /CN=localhost \
		-addext "subjectAltName=DNS:localhost,IP:127.0.0.1" >/dev/null 2>&1
	user=${1%%:*}
	group=${1##*:}
	extra=
	if [ "$(id -u)" -ne 0 ]; then
		extra="default_internal_user = $user
default_login_user = $user"
	fi
	cat >"$d/dovecot.conf" <<CONF
base_dir = $d/run
state_dir = $d/state
log_path = $d/dovecot.log
protocols = imap
listen = 127.0.0.1
disable_plaintext_auth = no
auth_mechanisms = plain login
ssl = yes
ssl_cert = <$d/cert.pem
ssl_key = <$d/key.pem
$extra
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $d/users
}
userdb {
  driver = static
  args = uid=$user gid=$group home=$dir/mail/%u
}
mail_location = maildir:~/Maildir
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $imap_port
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = $imaps_port
    ssl = yes
  }
}
CONF
	chown -R "$1" "$dir/mail"
	printf 'IMAP_PORT=%s\nIMAPS_PORT=%s\n' "$imap_port" "$imaps_port" >"$d/ports"
	restart
	cat "$d/ports"
	echo "MAILDIR=$maildir"
}

restart() {
	/usr/sbin/dovecot -c "$d/dovecot.conf" || { cat "$d/dovecot.log" >&2; exit 1; }
	wait_port "$(sed -n 's/^IMAP_PORT=//p' "$d/ports")" ||
		{ echo "dovecot-local: dovecot is not listening" >&2; cat "$d/dovecot.log" >&2; exit 1; }
}

stop() {
	pid=$(cat "$d/run/master.pid" 2>/dev/null || true)
	/usr/sbin/dovecot -c "$d/dovecot.conf" stop 2>/dev/null || true
	# Wait for the master to go, or a restart finds it "already running".
	while [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
}

# Into new/, named with the current time: older names make Dovecot
# rescan its whole index in every session.
deliver() {
	python3 - "$maildir" "$@" <<'PY'
import os, shutil, sys, time
box = sys.argv[1]
now = int(time.time())
for i, src in enumerate(sys.argv[2:]):
    size = os.path.getsize(src)
    name = "%d.M%dP%d.tocsin,S=%d" % (now, i, os.getpid(), size)
    shutil.copyfile(src, os.path.join(box, "tmp", name))
    os.rename(os.path.join(box, "tmp", name), os.path.join(box, "new", name))
PY
	chown -R "$(owner)" "$maildir"
}

config() {
	cat <<CONF
[imap]
url = imap://127.0.0.1:$(sed -n 's/^IMAP_PORT=//p' "$d/ports")
starttls = no      ; allowed only because the server is on loopback
user = tocsin
password_file = $dir/imap.pass
ca_file = $d/cert.pem    ; Dovecot's own certificate, for imaps:// or STARTTLS
mailbox = INBOX
CONF
}

case $cmd in
start) start "$(owner)" ;;
restart) restart ;;
stop) stop ;;
deliver) deliver "$@" ;;
config) config ;;
*) echo "usage: dovecot-local.sh start|restart|stop|deliver|config DIR ..." >&2; exit 64 ;;
esac
