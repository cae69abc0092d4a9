#!/usr/bin/env python3
"""Makes the mail a blast gets back, from a message smtp-sink dumped.

usage: mkmail.py bounce DUMP STATUS TEXT   a DSN to the VERP address
       mkmail.py reply DUMP BODY           the recipient replies (Reply-To)
       mkmail.py mailto DUMP WHICH [BODY]  mail to the List-Unsubscribe
                                           (WHICH=unsubscribe) or sign link
       mkmail.py arf DUMP [NAMED]          a feedback loop's ARF report
                                           embedding the original (with its
                                           Return-Path), naming NAMED (the
                                           recipient by default)
       mkmail.py forged-dsn TO ADDR...     a stranger's DSN to TO, with no
                                           original, naming ADDR...
       mkmail.py legacy-token KEYFILE ID   the token tocsin made for delivery
                                           ID before tokens had purposes

The dump has smtp-sink's X-Mail-Args (envelope sender) and X-Rcpt-Args
(recipient) lines first. Writes the new message to stdout.
"""
import email
import email.policy
import re
import sys


def read_dump(path):
    raw = open(path, "rb").read().decode("utf-8", "replace")
    raw = raw.replace("\r\n", "\n")
    sender = re.search(r"^X-Mail-Args: <([^>]*)>", raw, re.M).group(1)
    rcpt = re.search(r"^X-Rcpt-Args: <([^>]*)>", raw, re.M).group(1)
    body = re.sub(r"^X-(Mail|Rcpt|Client)-Args:.*\n", "", raw, flags=re.M)
    return sender, rcpt, body


def bounce(path, status, text):
    sender, rcpt, orig = read_dump(path)
    headers = orig.split("\n\n", 1)[0]
    code = "550" if status.startswith("5") else "452"
    action = "failed"
    return f"""From: MAILER-DAEMON@mx.example.net (Mail Delivery System)
To: {sender}
Subject: Undelivered Mail Returned to Sender
Date: Mon, 2 Nov 2026 10:00:00 +0000
Message-ID: <bounce-{rcpt}-{status}@mx.example.net>
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
\tboundary="BOUNDARY"

--BOUNDARY
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.example.net.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients.

<{rcpt}>: host mx.example.org[192.0.2.1] said: {code} {status}
    {text} (in reply to RCPT TO command)

--BOUNDARY
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net

Final-Recipient: rfc822; {rcpt}
Original-Recipient: rfc822;{rcpt}
Action: {action}
Status: {status}
Diagnostic-Code: smtp; {code} {status} {text}

--BOUNDARY
Content-Type: text/rfc822-headers

{headers}

--BOUNDARY--
"""


def quoted(orig):
    msg = email.message_from_string(orig, policy=email.policy.default)
    part = msg.get_body(preferencelist=("plain",))
    text = part.get_content() if part is not None else ""
    return msg, "\n".join("> " + l for l in text.splitlines()[:5])


def reply(path, body):
    sender, rcpt, orig = read_dump(path)
    msg, q = quoted(orig)
    return f"""From: {rcpt}
To: {msg["Reply-To"]}
Subject: Re: {msg["Subject"]}
Date: Mon, 2 Nov 2026 11:00:00 +0000
Message-ID: <reply-{abs(hash(body))}-{rcpt}>
In-Reply-To: {msg["Message-ID"]}
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

{body}

On Mon, 2 Nov 2026, River wrote:
{q}
"""


def mailto(path, which, body):
    sender, rcpt, orig = read_dump(path)
    msg = email.message_from_string(orig, policy=email.policy.default)
    lu = str(msg["List-Unsubscribe"])
    addr = re.search(r"mailto:(%s\+[^>?]*)" % which, lu + " " + orig)
    if addr is None:
        addr = re.search(r"(%s\+[a-z0-9-]+@[a-z0-9.-]+)" % which, orig)
    return f"""From: {rcpt}
To: {addr.group(1)}
Subject: {which}
Date: Mon, 2 Nov 2026 12:00:00 +0000
Message-ID: <{which}-{rcpt}>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

{body}
"""


def arf(path, named):
    sender, rcpt, orig = read_dump(path)
    named = named or rcpt
    return f"""From: feedback@fbl.example.net
To: abuse@river.example
Subject: Complaint about message from 192.0.2.9
Date: Mon, 2 Nov 2026 13:00:00 +0000
Message-ID: <arf-{named}-{abs(hash(orig))}@fbl.example.net>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=feedback-report;
\tboundary="ARF"

--ARF
Content-Type: text/plain; charset=us-ascii

This is an email abuse report for an email message received from IP
192.0.2.9.

--ARF
Content-Type: message/feedback-report

Feedback-Type: abuse
User-Agent: fbl.example.net/1.0
Version: 1
Original-Rcpt-To: {named}
Arrival-Date: Mon, 2 Nov 2026 09:00:00 +0000

--ARF
Content-Type: message/rfc822

Return-Path: <{sender}>
{orig}
--ARF--
"""


def forged_dsn(to, addrs):
    recipients = "\n".join(f"""Final-Recipient: rfc822; {a}
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 <{a}>: User unknown
""" for a in addrs)
    return f"""From: MAILER-DAEMON@stranger.example
To: {to}
Subject: Undelivered Mail Returned to Sender
Date: Mon, 2 Nov 2026 10:00:00 +0000
Message-ID: <forged-{abs(hash(to + " ".join(addrs)))}@stranger.example>
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
\tboundary="BOUNDARY"

--BOUNDARY
Content-Type: text/plain; charset=us-ascii

Your message could not be delivered to these recipients.

--BOUNDARY
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.stranger.example

{recipients}
--BOUNDARY--
"""


def legacy_token(keyfile, delivery):
    import base64
    import hmac
    key = open(keyfile, "rb").read()
    payload = "d%d" % int(delivery)
    mac = hmac.new(key, b"tocsin-token-v1:" + payload.encode(), "sha256")
    return payload + "-" + base64.b32encode(mac.digest()[:10]).decode().lower()


def main():
    what = sys.argv[1]
    if what == "legacy-token":
        print(legacy_token(sys.argv[2], sys.argv[3]))
        return
    if what == "arf":
        out = arf(sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else "")
    elif what == "forged-dsn":
        out = forged_dsn(sys.argv[2], sys.argv[3:])
    elif what == "bounce":
        out = bounce(sys.argv[2], sys.argv[3], sys.argv[4])
    elif what == "reply":
        out = reply(sys.argv[2], sys.argv[3])
    else:
        out = mailto(sys.argv[2], sys.argv[3],
                     sys.argv[4] if len(sys.argv) > 4 else "")
    sys.stdout.write(out)


main()
