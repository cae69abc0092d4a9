#!/bin/sh
# Installs the Debian 12 packages tocsin needs to build, test and demo,
# and only those that are missing: on a machine that has them all it
# changes nothing and needs no root. Arguments name more packages (make
# bench adds libsisimai-perl, the reference bounce analyser).
set -eu

PACKAGES="gcc make pkg-config libc6-dev perl sqlite3 libsqlite3-dev \
libinih-dev libcsv-dev libcjson-dev libcurl4-gnutls-dev libetpan-dev \
nettle-dev libssl-dev libldns-dev libpsl-dev libgnutls28-dev \
libmicrohttpd-dev libidn2-dev libunistring-dev \
ca-certificates python3 python3-dkim python3-nacl \
postfix dovecot-imapd dnsmasq-base systemd openssl curl tzdata strace $*"

missing=""
for p in $PACKAGES; do
	status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$status" in
	*" installed") ;;
	*) missing="$missing $p" ;;
	esac
done
[ -z "$missing" ] && exit 0

echo "deps: installing:$missing"
if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing packages; run as root: apt-get install$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# Postfix (smtp-sink, for the send tests) must not configure or start an MTA.
echo "postfix postfix/main_mailer_type select No configuration" |
	debconf-set-selections
# Nor may Dovecot start a system IMAP server: the tests run their own on
# 127.0.0.1. policy-rc.d tells the packages' scripts not to start
# services (unless the machine already has its own policy).
policy=
if [ ! -e /usr/sbin/policy-rc.d ]; then
	policy=/usr/sbin/policy-rc.d
	printf '#!/bin/sh\nexit 101\n' >"$policy"
	chmod 755 "$policy"
	trap 'rm -f "$policy"' EXIT
fi
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing
