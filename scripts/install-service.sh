#!/bin/sh
# make install-service: what a package's postinst would do, on this
# machine, as root, after make install: the system user tocsin, its
# directories, a config and a secret if there are none, and the timers
# enabled where systemd runs. Run it again and it changes nothing; it
# says what it did and what it left.
#
# usage: scripts/install-service.sh BINDIR SYSCONFDIR LOCALSTATEDIR UNITDIR
set -eu
bindir=$1
etc=$2/tocsin
lib=$3/lib/tocsin
log=$3/log/tocsin
unitdir=$4

[ "$(id -u)" -eq 0 ] || { echo "install-service: run it as root" >&2; exit 1; }
[ -x "$bindir/tocsin" ] || { echo "install-service: no $bindir/tocsin: make install first" >&2; exit 1; }

if id tocsin >/dev/null 2>&1; then
	echo "install-service: the user tocsin exists"
else
	# (adduser warns that the home, made below, is not there yet)
	out=$(adduser --system --group --home "$lib" --no-create-home \
		--gecos "tocsin mail alerts" tocsin 2>&1) || { echo "$out" >&2; exit 1; }
	echo "install-service: made the system user tocsin"
fi

# The database and the secret are the group's: tocsin's alone. The
# config directory is root's, readable by tocsin.
dir() {
	if [ -d "$1" ]; then
		echo "install-service: $1 exists"
	else
		echo "install-service: made $1"
	fi
	install -d -m "$2" -o "$3" -g "$4" "$1"
}
dir "$lib" 0700 tocsin tocsin
dir "$etc" 0750 root tocsin
dir "$log" 0750 tocsin adm

if [ -e "$etc/tocsin.conf" ]; then
	echo "install-service: $etc/tocsin.conf exists: left as it is"
else
	sed -e "s|^path = tocsin.db|path = $lib/tocsin.db|" \
		-e "s|^secret_file = secret.key|secret_file = $lib/secret.key|" \
		"$etc/tocsin.conf.example" >"$etc/tocsin.conf"
	chown root:tocsin "$etc/tocsin.conf"
	chmod 0640 "$etc/tocsin.conf"
	echo "install-service: wrote $etc/tocsin.conf from the example: set its [sender], [smtp] and [imap]"
fi
if [ -e "$lib/secret.key" ]; then
	echo "install-service: $lib/secret.key exists"
else
	(umask 077; head -c 32 /dev/urandom >"$lib/secret.key")
	chown tocsin:tocsin "$lib/secret.key"
	echo "install-service: made the token secret $lib/secret.key"
fi
if [ -e "$lib/tocsin.db" ]; then
	su -s /bin/sh tocsin -c "TOCSIN_CONFIG=$etc/tocsin.conf $bindir/tocsin init" ||
		echo "install-service: tocsin init failed: see above" >&2
else
	su -s /bin/sh tocsin -c "TOCSIN_CONFIG=$etc/tocsin.conf $bindir/tocsin init"
fi

if [ -d /run/systemd/system ]; then
	systemctl daemon-reload
	systemctl enable --now tocsin-send.timer tocsin-inbox.timer
	echo "install-service: enabled tocsin-send.timer and tocsin-inbox.timer (every minute);"
	echo "  tocsin web: systemctl enable --now tocsin-web.service once [web] is set"
else
	echo "install-service: systemd is not running here: the units in $unitdir wait;"
	echo "  for cron, install the docs' examples/cron.d-tocsin as /etc/cron.d/tocsin"
fi
