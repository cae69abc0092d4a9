#!/bin/sh
# tocsin inbox over TLS against a real Dovecot: imaps:// and STARTTLS
# with the server's certificate trusted by [imap] ca_file, and every
# certificate there is no reason to trust refused before the login.
. "$(dirname "$0")/lib.sh"

imap_fixture

# imaps:// and STARTTLS, Dovecot's own certificate trusted by ca_file.
sed -i "s|^url = imap://.*|url = imaps://127.0.0.1:$IMAPS_PORT|" tocsin.conf
run 0 tocsin inbox --once
is "$(cat out)$(cat err)" "" "imaps:// works, its certificate checked against [imap] ca_file"
sed -i "s|^url = .*|url = imap://localhost:$IMAP_PORT|; s|^starttls = no|starttls = required|" tocsin.conf
run 0 tocsin inbox --once
is "$(cat out)$(cat err)" "" "imap:// with STARTTLS works, by name (localhost)"

# A certificate we have no reason to trust is refused before the login:
# no ca_file (the system's authorities), another self-signed one, or
# the right one for another name. The password never leaves.
untrusted="tocsin-inbox: the certificate of the IMAP server 127.0.0.1 is not trusted"
sed -i "s|^url = .*|url = imaps://127.0.0.1:$IMAPS_PORT|" tocsin.conf
grep -v '^ca_file' tocsin.conf >no-ca.conf
run 78 tocsin -c no-ca.conf inbox --once
grep -Fq "$untrusted: The certificate is NOT trusted. The certificate issuer is unknown. (a private authority's certificate goes in [imap] ca_file)" err
tap_result $? "imaps:// to a self-signed server without ca_file: refused (78), and why"
lacks err "refused the login" "no login was tried"
openssl req -x509 -newkey rsa:2048 -nodes -keyout other.key -out other.pem \
	-days 2 -subj /CN=localhost \
	-addext "subjectAltName=DNS:localhost,IP:127.0.0.1" >/dev/null 2>&1
sed "s|^ca_file = .*|ca_file = other.pem|" tocsin.conf >other-ca.conf
run 78 tocsin -c other-ca.conf inbox --once
grep -Fq "$untrusted" err
tap_result $? "another certificate than the server's: refused"
sed "s|^url = .*|url = imap://127.0.0.1:$IMAP_PORT|" other-ca.conf >other-starttls.conf
run 78 tocsin -c other-starttls.conf inbox --once
grep -Fq "$untrusted" err
tap_result $? "the same through STARTTLS: refused"
sed "s|^ca_file = .*|ca_file = missing.pem|" tocsin.conf >missing-ca.conf
run 78 tocsin -c missing-ca.conf inbox --once
has err "tocsin-inbox: cannot start TLS with the IMAP server 127.0.0.1: no trusted authority in missing.pem: Error while reading file." "a ca_file that cannot be read says so (78)"
# The server's own certificate, made for another name.
stop_dovecot
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/dovecot/key.pem" \
	-out "$T/dovecot/cert.pem" -days 2 -subj /CN=imap.elsewhere.example \
	-addext "subjectAltName=DNS:imap.elsewhere.example" >/dev/null 2>&1
restart_dovecot
run 78 tocsin inbox --once
grep -Fq "$untrusted: The certificate is NOT trusted. The name in the certificate does not match the expected." err
tap_result $? "a trusted certificate for another name: refused"

done_testing
