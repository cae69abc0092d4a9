#!/bin/sh
# tocsin action: an alert takes as many recent signers as it names.
. "$(dirname "$0")/lib.sh"

run 0 tocsin init
run 0 tocsin list create news --from news@example.org \
    --address "1 Main St, Springfield"
# An alert takes as many recent signers as it names: recent_signers_N.
for i in $(seq 1 35); do echo "s$i@many.example,Signer$i,2026-01-01 10:$(printf %02d $((i % 60)))"; done |
	sed '1i email,name,signed_at' >many.csv
run 0 tocsin action create many --title "Many"
run 0 tocsin action import many many.csv
cat >many.alert <<'X'
Subject: {{action.signer_count}} signed

{{#action.recent_signers_30}}
- {{name}}
{{/action.recent_signers_30}}
{{#action.recent_signers}}
+ {{name}}
{{/action.recent_signers}}
{{list.address}} {{unsubscribe_url}}
X
run 0 tocsin template lint many.alert
run 0 tocsin sub add news reader@many.example
new_secret
printf '%s\n' "$(sender_section)" >tocsin.conf
run 0 tocsin render many.alert --list news --to reader@many.example --action many
is "$(grep -c '^- Signer' out)" "30" "recent_signers_30 gives 30"
is "$(grep -c '^+ Signer' out)" "10" "recent_signers still gives 10"
printf 'Subject: x\n\n{{#action.recent_signers_500}}{{name}}{{/action.recent_signers_500}}\n' >toomany.alert
run 65 tocsin template lint toomany.alert
grep -q "unknown variable 'action.recent_signers_500' in the text part (recent_signers_N takes N from 1 to 100" err
tap_result $? "lint says how many recent signers an alert may take"
done_testing
