#!/bin/sh
# tocsin classify over the bounce corpus (tests/corpus/bounces, from
# sisimai/set-of-emails, labelled by Sisimai): prints the agreement with
# MANIFEST.tsv per column. The floors catch a regression; the target
# (97% on recipients and reason) is reported as TODO until it is met.
. "$(dirname "$0")/lib.sh"

CORPUS=$TOP/tests/corpus/bounces
n=$(ls "$CORPUS"/*.eml | wc -l | tr -d ' ')
(cd "$CORPUS" && tocsin classify *.eml) >classified.tsv 2>err
tap_result $? "tocsin classify reads the corpus"
is "$(sed 1d classified.tsv | cut -f1 | sort -u | wc -l | tr -d ' ')" "$n" "every one of the $n files has a row"
is "$(head -1 classified.tsv)" "$(printf 'file\tkind\trecipient\treason\tstatus\thard')" "the header row"
python3 "$TOP/tests/tools/corpus-score.py" "$CORPUS/MANIFEST.tsv" classified.tsv >score
sed 's/^/# /' score
pct() { awk -v c="$1" '$2 == c { sub(/%/, "", $4); print int($4) }' score; }
floor() {
	[ "$(pct "$1")" -ge "$2" ]
	tap_result $? "$1 agree on at least $2% (got $(pct "$1")%)"
}
floor recipients 94
floor reason 78
floor status 72
floor hard 89
for c in recipients reason; do
	if [ "$(pct $c)" -ge 97 ]; then
		echo "ok $((tap_n + 1)) - $c agree on the target 97%"
	else
		echo "not ok $((tap_n + 1)) - $c agree on the target 97% # TODO $(pct $c)% so far"
	fi
	tap_n=$((tap_n + 1))
done
# Nothing in the corpus is a person's reply.
is "$(sed 1d classified.tsv | cut -f2 | grep -c -E '^(reply|sign|unsubscribe)$')" "0" "no bounce or auto-reply passes for a person"
is "$(grep -c -P '^[^\t]*rfc3834[^\t]*\tautoreply\t' classified.tsv)" "7" "the 7 RFC 3834 auto-replies are auto-replies"
done_testing
