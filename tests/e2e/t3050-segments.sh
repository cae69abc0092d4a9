#!/bin/sh
# Segments an organiser can say: field names and text without case,
# = != ~ < > and IN, an unknown field named with the likeliest ("did you
# mean city?"), --any for OR, signed or not, received a blast or not,
# joined after a date; tocsin segment count shows the count and who
# before any blast is made.
. "$(dirname "$0")/lib.sh"

run 0 tocsin init
run 0 tocsin list create river --from "River <alerts@river.example>" \
    --address "1 Main St, Springfield"
cat >people.csv <<'X'
email,first_name,city,country,age,Tags
ann@example.org,Ann,Washington DC,BO,34,"volunteer, donor"
bob@example.org,Bob,washington dc,pe,19,Donor
cat@example.org,Cat,Lyon,FR,52,volunteers
dan@example.org,Dan,Lyon,bo,,
eve@example.org,Eve,Porto,PT,41,press
X
run 0 tocsin sub import river people.csv
run 0 tocsin action create resign-now --title "Resign now"
run 0 tocsin action sign resign-now cat@example.org
count() { tocsin segment count river "$@" >out 2>err; sed -n '1s/ .*//p' out; }

is "$(count --where 'City=Washington DC')" "2" "a field name in another case, a value in another case"
has out "2 people: subscribed members of 'river', where city=Washington DC" "and the words say it as resolved"
has out "  ann@example.org" "with a sample"
is "$(count --where country=bo)" "2" "country=bo finds BO and bo"
is "$(count --where 'country!=bo')" "3" "!= (an empty field is not bo either)"
is "$(count --where 'city~ash')" "2" "~ contains"
is "$(count --where 'age>30')" "3" "> on numbers"
is "$(count --where 'age<20')" "1" "< on numbers"
is "$(count --where 'country IN (bo, pt)')" "3" "IN a list"
is "$(count --where city=Lyon --where age=52)" "1" "conditions together are AND"
is "$(count --any --where city=Porto --where country=FR)" "2" "--any makes them OR"
is "$(count --tag donor)" "2" "--tag: one of the tags, without case, in a field named Tags"
is "$(count --tag volunteer)" "1" "whole tags only (volunteers is not volunteer)"
is "$(count --any --tag press --tag volunteer)" "2" "tags with --any"
has out "2 people: subscribed members of 'river', tagged press or tagged volunteer" "and the words say it"
is "$(count --not-signed resign-now)" "4" "--not-signed"
is "$(count --signed resign-now)" "1" "--signed"
tocsin segment count river --where 'cty=Lyon' >out 2>err
is "$?" "65" "an unknown field: 65"
has err "tocsin-segment: no field 'cty' on this list: did you mean city? (its fields: first_name, last_name, email, Tags, age, city, country)" \
	"the error names the likeliest field and all of them"
tocsin segment count river --where 'city' >out 2>err
is "$?" "64" "a condition with no operator: 64"
sql "UPDATE memberships SET subscribed_at = 1000 WHERE subscriber_id IN (SELECT id FROM subscribers WHERE email IN ('ann@example.org', 'bob@example.org'))"
is "$(count --joined-after 2020-01-01)" "3" "--joined-after a date"

# A blast uses the same conditions; --received and --not-received.
cp "$TOP/templates/petition.alert" alert.alert
run 0 tocsin blast create river alert.alert --action resign-now --where 'country IN (BO)'
has out "blast 1: a draft, 2 recipients: subscribed members of 'river', where country in (BO)" \
	"blast create takes the same conditions"
sql "UPDATE deliveries SET state = 'sent' WHERE blast_id = 1"
is "$(count --received 1)" "2" "--received a blast"
is "$(count --not-received 1)" "3" "--not-received a blast"
is "$(sql 'SELECT count(*) FROM blasts')" "1" "segment count made no blast"

# The longest segment there can be (16 conditions of 16 values of 250
# characters) is described whole, never cut, by count and by the blast.
long=$(awk 'BEGIN { for (c = 1; c <= 16; c++) { printf "--where \047city in ("; for (v = 1; v <= 16; v++) { s = sprintf("c%02dv%02d", c, v); while (length(s) < 250) s = s "x"; if (c == 1 && v == 1) s = "Lyon"; printf "%s%s", (v > 1 ? ", " : ""), s } printf ")\047 " } }')
last=$(awk 'BEGIN { s = "c16v16"; while (length(s) < 250) s = s "x"; print s }')
eval "tocsin segment count river --any $long" >out 2>err
is "$?" "0" "segment count takes the longest segment"
grep -q "$last)\$" out
tap_result $? "and names its last value"
eval "run 0 tocsin blast create river alert.alert --action resign-now --any $long"
is "$(sql "SELECT substr(segment, -251) FROM blasts WHERE id = 2")" "$last)" \
	"the blast keeps the whole description"
done_testing
