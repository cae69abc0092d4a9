#!/usr/bin/python3
"""dkimverify: checks every DKIM-Signature of a message with dkimpy
(Debian's python3-dkim), an implementation independent of tocsin's.

usage: dkimverify.py RECORDS [MESSAGE]

RECORDS holds the DNS records the test publishes, one a line:
"NAME TEXT", e.g. "s1._domainkey.river.example v=DKIM1; k=rsa; p=...".
The message is read from MESSAGE or stdin. One line per signature:
"d=DOMAIN s=SELECTOR a=ALGORITHM h=NAMES pass|fail"; exit 0 if there
is at least one signature and every one passes, 1 otherwise.
"""
import sys

import dkim


def main():
    records = {}
    with open(sys.argv[1], encoding="ascii") as f:
        for line in f:
            name, _, text = line.rstrip("\n").partition(" ")
            records[name.rstrip(".").lower()] = text.encode("ascii")
    if len(sys.argv) > 2:
        with open(sys.argv[2], "rb") as f:
            message = f.read()
    else:
        message = sys.stdin.buffer.read()

    def lookup(name, timeout=5):
        return records.get(name.decode("ascii").rstrip(".").lower())

    d = dkim.DKIM(message)
    sigs = [v for k, v in d.headers if k.lower() == b"dkim-signature"]
    ok = len(sigs) > 0
    for i, _ in enumerate(sigs):
        d = dkim.DKIM(message)
        try:
            good = d.verify(idx=i, dnsfunc=lookup)
        except dkim.DKIMException as e:
            print("error: %s" % e)
            good = False
        tags = d.signature_fields
        print("d=%s s=%s a=%s h=%s %s" % (
            tags.get(b"d", b"").decode(), tags.get(b"s", b"").decode(),
            tags.get(b"a", b"").decode(),
            b"".join(tags.get(b"h", b"").split()).decode(),
            "pass" if good else "fail"))
        ok = ok and good
    sys.exit(0 if ok else 1)


main()
