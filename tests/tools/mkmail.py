#!/usr/bin/env python3
"""Makes the mail a blast gets back, from a message smtp-sink dumped.

usage: mkmail.py bounce DUMP STATUS TEXT   a DSN to the VERP address
       mkmail.py reply DUMP BODY           the recipient replies (Reply-To)
       mkmail.py mailto DUMP WHICH [BODY]  mail to the List-Unsubscribe
                                           (WHICH=unsubscribe) or sign link

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


def main():
    what = sys.argv[1]
    if what == "bounce":
        out = bounce(sys.argv[2], sys.argv[3], sys.argv[4])
    elif what == "reply":
        out = reply(sys.argv[2], sys.argv[3])
    else:
        out = mailto(sys.argv[2], sys.argv[3],
                     sys.argv[4] if len(sys.argv) > 4 else "")
    sys.stdout.write(out)


main()
