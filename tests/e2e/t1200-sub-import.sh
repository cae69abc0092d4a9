#!/bin/sh
# tocsin sub import: RFC 4180 CSV, bad rows reported by line and the
# rest imported, re-import idempotent, files that are not CSV refused
# with nothing changed, export that imports back unchanged.
. "$(dirname "$0")/lib.sh"

run 0 tocsin init
run 0 tocsin list create news --from "News <news@example.org>" \
    --address "1 Main St, Springfield"

# A spreadsheet export: BOM, CRLF, quotes, embedded comma and newline,
# custom fields, and bad rows of every kind.
printf '\357\273\277email,First Name,last_name,zip,Team\r\n' >people.csv
printf 'ann@Example.ORG,Ann,Lee,75001,red\r\n' >>people.csv
printf '"bob@example.org","Bob ""Bobby""","Smith, Jr.",10001,\r\n' >>people.csv
printf 'not-an-address,Nobody,X,1,blue\r\n' >>people.csv
printf 'carol@example.org,"Carol\r\nAnne",King,2,blue\r\n' >>people.csv
printf 'dave@example.org,Dave,Short\r\n' >>people.csv
printf '"eve@example.org,Eve,Unclosed,3,red\r\n' >>people.csv
printf 'frank@example.org,Frank,Ok,4,red\r\n' >>people.csv
printf 'ANN@example.org,Ann,Lee,75001,red\r\n' >>people.csv
printf 'gina@exa mple.org,Gina,Space,5,red\r\n' >>people.csv
printf '\r\n' >>people.csv
printf 'hal@example.org,Hal,\351t\351,6,red\r\n' >>people.csv
printf ' ivy@example.org ,Ivy,Trim,7,\r\n' >>people.csv
printf 'gus@example.org,Gus "G" Lee,X,8,red\r\n' >>people.csv

run 0 tocsin sub import news people.csv
same - err "each bad row is reported with its line and reason" <<'X'
tocsin-sub: people.csv:4: rejected: 'not-an-address': not an email address: no '@'
tocsin-sub: people.csv:7: rejected: 3 fields, the header has 5
tocsin-sub: people.csv:8: rejected: a quote opened here ends badly on line 15 (a quote not closed?)
tocsin-sub: people.csv:11: rejected: 'gina@exa mple.org': not an email address: contains a space
tocsin-sub: people.csv:13: rejected: a field is not valid UTF-8 or holds a NUL byte (save the file as UTF-8)
tocsin-sub: people.csv:15: rejected: misplaced quote (a field with a quote must be quoted, and its quotes doubled)
X
has out "people.csv: 5 imported, 0 updated, 1 unchanged, 0 left alone (unsubscribed, bounced or complained), 6 rejected" \
	"the summary counts every row; a repeated address is one person"
run 0 tocsin sub ls news --format tsv
cut -f1-5 out >got
same - got "the good rows are imported, names and addresses as given" <<'X'
email	first_name	last_name	status	source
ann@example.org	Ann	Lee	subscribed	people.csv
bob@example.org	Bob "Bobby"	Smith, Jr.	subscribed	people.csv
carol@example.org	Carol\nAnne	King	subscribed	people.csv
frank@example.org	Frank	Ok	subscribed	people.csv
ivy@example.org	Ivy	Trim	subscribed	people.csv
X
is "$(sql "SELECT fields FROM subscribers WHERE email = 'ann@example.org'")" \
	'{"zip":"75001","Team":"red"}' "other columns become custom fields"
is "$(sql "SELECT fields FROM subscribers WHERE email = 'bob@example.org'")" \
	'{"zip":"10001"}' "an empty cell sets no field"

# Importing again changes nothing.
sql 'SELECT * FROM subscribers; SELECT * FROM memberships' >db.before
run 0 tocsin sub import news people.csv
has out "people.csv: 0 imported, 0 updated, 6 unchanged, 0 left alone (unsubscribed, bounced or complained), 6 rejected" \
	"a second import finds everyone unchanged"
sql 'SELECT * FROM subscribers; SELECT * FROM memberships' >db.after
same db.before db.after "a second import changes no row"

# A changed name is an update; an empty cell keeps what is stored.
printf 'email,first_name,last_name,zip\nbob@example.org,Robert,,10002\n' >update.csv
run 0 tocsin sub import news update.csv
has out "update.csv: 0 imported, 1 updated, 0 unchanged, 0 left alone (unsubscribed, bounced or complained), 0 rejected" \
	"a changed row is counted as updated"
is "$(sql "SELECT first_name || '|' || last_name || '|' || fields FROM subscribers WHERE email = 'bob@example.org'")" \
	'Robert|Smith, Jr.|{"zip":"10002"}' "the update keeps what the file leaves empty"

# Files that are not supporter CSV at all: exit 65, nothing changed.
sql 'SELECT * FROM subscribers; SELECT * FROM memberships' >db.before
head -c 2000 /dev/urandom >random.bin
printf '\211PNG\r\n\032\n\0\0\0\rIHDR' >image.png
printf 'ann@example.org,Ann\nbob@example.org,Bob\n' >noheader.csv
printf 'name,zip\nAnn,1\n' >noemail.csv
: >empty.csv
printf 'email,zip,ZIP\na@example.org,1,2\n' >dupcol.csv
for f in random.bin image.png noheader.csv noemail.csv empty.csv dupcol.csv; do
	run 65 tocsin sub import news $f
done
has err "tocsin-sub: dupcol.csv:1: column 'ZIP' appears twice in the header" \
	"a repeated column is named"
run 65 tocsin sub import news noheader.csv
has err "tocsin-sub: noheader.csv:1: no 'email' column in the header row; is this a CSV file of supporters?" \
	"a file without a header says what is missing"
run 65 tocsin sub import news empty.csv
has err "tocsin-sub: empty.csv: empty: a CSV file starts with a header row naming its columns (email, first_name, ...)" \
	"an empty file says so"
sql 'SELECT * FROM subscribers; SELECT * FROM memberships' >db.after
same db.before db.after "files that are not CSV change nothing"
run 66 tocsin sub import news missing.csv
has err "tocsin-sub: cannot open 'missing.csv': No such file or directory" \
	"a missing file is named"
run 65 tocsin sub import nolist people.csv
has err "tocsin-sub: no list named 'nolist' (see 'tocsin list ls')" \
	"an unknown list is named"

# Export, then import the export: everyone unchanged.
run 0 tocsin sub export news
cp out export.csv
same - export.csv "export is CSV with custom fields as columns" <<'X'
email,first_name,last_name,Team,zip
ann@example.org,Ann,Lee,red,75001
bob@example.org,Robert,"Smith, Jr.",,10002
carol@example.org,"Carol
Anne",King,blue,2
frank@example.org,Frank,Ok,red,4
ivy@example.org,Ivy,Trim,,7
X
run 0 tocsin sub import news export.csv
has out "export.csv: 0 imported, 0 updated, 5 unchanged, 0 left alone (unsubscribed, bounced or complained), 0 rejected" \
	"an export imports back unchanged"

# Hostile values: quotes, backslashes, tabs, control bytes, JSON and
# SQL look-alikes are stored as given and compare equal next time.
printf 'email,first_name,note\n' >hostile.csv
printf '"mal@example.org","Eve\r\nBcc: x@evil.example","a \\""q\\"" \\\\ b\t\001"\n' >>hostile.csv
printf "sql@example.org,\"Robert'); DROP TABLE subscribers;--\",\"{\"\"k\"\":1}\"\n" >>hostile.csv
run 0 tocsin sub import news hostile.csv
has out "hostile.csv: 2 imported, 0 updated, 0 unchanged, 0 left alone (unsubscribed, bounced or complained), 0 rejected" \
	"hostile values import"
is "$(sql "SELECT first_name FROM subscribers WHERE email = 'sql@example.org'")" \
	"Robert'); DROP TABLE subscribers;--" "SQL in a value is only text"
is "$(sql "SELECT json_extract(fields, '\$.note') FROM subscribers WHERE email = 'sql@example.org'")" \
	'{"k":1}' "JSON in a value is only a string"
is "$(sql "SELECT hex(first_name) FROM subscribers WHERE email = 'mal@example.org'")" \
	"$(printf 'Eve\nBcc: x@evil.example' | od -An -tx1 | tr -d ' \n' | tr a-f A-F)" \
	"a line break in a quoted field is kept as data (headers will refuse it)"
run 0 tocsin sub import news hostile.csv
has out "hostile.csv: 0 imported, 0 updated, 2 unchanged, 0 left alone (unsubscribed, bounced or complained), 0 rejected" \
	"hostile values compare equal on re-import"
run 0 tocsin sub ls news --format tsv
grep '^mal@example.org' out | cut -f1-2 >got
same - got "TSV escapes the line break" <<'X'
mal@example.org	Eve\nBcc: x@evil.example
X
run 0 tocsin sub ls news
lacks out "$(printf '\001')" "plain listings show no control bytes"
run 0 tocsin sub export news --status all
cp out export2.csv
run 0 tocsin sub import news export2.csv
grep -q " 0 imported, 0 updated, 7 unchanged," out
tap_result $? "an export with hostile values imports back unchanged"

# Standard input, and a file big enough for several batches.
awk 'BEGIN { print "email,first_name,n"; for (i = 0; i < 25000; i++) printf "p%d@Example.org,P%d,%d\n", i, i, i }' >big.csv
run 0 tocsin sub import news - <big.csv
has out "-: 25000 imported, 0 updated, 0 unchanged, 0 left alone (unsubscribed, bounced or complained), 0 rejected" \
	"stdin import over several batches"
is "$(sql "SELECT count(*) FROM memberships WHERE status = 'subscribed'")" "25007" \
	"every row is stored"
run 0 tocsin list ls --format tsv
cut -f1,4,5 out >got
same - got "list ls counts them" <<'X'
name	subscribed	members
news	25007	25007
X
# A spreadsheet in a European locale saves ';' between fields.
printf 'email;first_name;last_name\nines@example.org;In\303\251s;"Garc\303\255a; Ruiz"\nli@example.org;\346\235\216\345\260\217\351\276\215;Li\n' >semi.csv
run 0 tocsin sub import news semi.csv
has out "semi.csv: 2 imported, 0 updated, 0 unchanged, 0 left alone (unsubscribed, bounced or complained), 0 rejected" \
	"a file with ';' between fields imports"
is "$(sql "SELECT last_name FROM subscribers WHERE email = 'ines@example.org'")" "García; Ruiz" \
	"with its quoted fields as written"
run 0 tocsin sub ls news --status subscribed
/usr/bin/python3 -c '
import sys, unicodedata
def width(s):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 0 if unicodedata.combining(c) else 1 for c in s)
rows = [l.rstrip("\n") for l in open(sys.argv[1], encoding="utf-8") if "ines@" in l or "li@" in l]
cols = [width(r[:r.index("subscribed")]) for r in rows]
sys.exit(0 if len(cols) == 2 and cols[0] == cols[1] else 1)' out
tap_result $? "listings line up with accents and CJK names"
done_testing
