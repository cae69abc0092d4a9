#!/usr/bin/env python3
"""Compares `tocsin classify` output with a corpus MANIFEST.tsv.

usage: corpus-score.py MANIFEST.tsv CLASSIFY.tsv [--misses]

Prints agreement per column (recipients, reason, status, hard) over the
files of the manifest, and with --misses every file that disagrees.
A file agrees on a column when the comma-joined values, in order, match
(case-insensitively for addresses). Exit 0; the caller judges the rate.
"""
import csv
import os
import sys


def load_manifest(path):
    rows = {}
    with open(path, newline="") as f:
        for r in csv.DictReader(f, delimiter="\t"):
            rows[r["file"]] = r
    return rows


def load_output(path):
    out = {}
    with open(path, newline="") as f:
        for r in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            out.setdefault(os.path.basename(r["file"]), []).append(r)
    return out


def spread(value, n):
    parts = value.split(",")
    return parts if len(parts) == n else [value] * n


def main():
    manifest = load_manifest(sys.argv[1])
    output = load_output(sys.argv[2])
    misses = "--misses" in sys.argv
    cols = ["recipients", "reason", "status", "hard"]
    agree = dict.fromkeys(cols, 0)
    for name, want in sorted(manifest.items()):
        got = output.get(name, [])
        rcpts = want["recipients"].lower().split(",")
        n = len(rcpts)
        expect = {
            "recipients": rcpts,
            "reason": spread(want["reason"], n),
            "status": spread(want["status"], n),
            "hard": spread(want["hardbounce"], n),
        }
        have = {
            "recipients": [g["recipient"].lower() for g in got],
            "reason": [g["reason"] for g in got],
            "status": [g["status"] or "-" for g in got],
            "hard": [g["hard"] for g in got],
        }
        bad = []
        for c in cols:
            if expect[c] == have[c]:
                agree[c] += 1
            else:
                bad.append(c)
        if misses and bad and ("recipients" in bad or "reason" in bad):
            print("miss %s [%s] want %s/%s got %s/%s kind=%s" % (
                name, ",".join(bad), ",".join(expect["recipients"]),
                ",".join(expect["reason"]), ",".join(have["recipients"]),
                ",".join(have["reason"]),
                got[0]["kind"] if got else "-"))
    total = len(manifest)
    for c in cols:
        print("agreement %-10s %4d/%d %6.2f%%" % (
            c, agree[c], total, 100.0 * agree[c] / total))


main()
