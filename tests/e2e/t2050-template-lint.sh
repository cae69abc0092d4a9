#!/bin/sh
# tocsin template lint: the alert file format, syntax errors and
# unknown variables, each with file, line and column.
. "$(dirname "$0")/lib.sh"

run 0 tocsin template lint "$TOP/templates/petition.alert"
has out "$TOP/templates/petition.alert: ok" "the petition example is clean"
run 65 tocsin template lint "$TOP/templates/sign-on-letter.alert"
grep -q "sign-on-letter.alert:1:15: unknown variable 'org' in the Subject$" err
tap_result $? "a custom field is unknown until a list or --field declares it"
run 0 tocsin template lint "$TOP/templates/sign-on-letter.alert" --field org

cat >a.alert <<'X'
Subject: Hi {{frist_name}}
Preheader: {{action.signer_count}} signed

Dear {{first_name}},
{{#action.recent_signers}}{{name}} {{agoo}}{{/action.recent_signers}}
{{#nosuch}}{{also_unknown}}{{/nosuch}}
--- html ---
<p>{{email}} {{list.nmae}}</p>
X
run 65 tocsin template lint a.alert
same - err "unknown variables are named with line and column, in every part" <<'X'
tocsin-template: a.alert:1:13: unknown variable 'frist_name' in the Subject
tocsin-template: a.alert:5:36: unknown variable 'agoo' in the text part
tocsin-template: a.alert:6:1: unknown variable 'nosuch' in the text part
tocsin-template: a.alert:8:14: unknown variable 'list.nmae' in the HTML part
tocsin-template: a.alert: 4 unknown variables
X
printf 'Subject: x\n\nHello {{#a}}\nthere\n' >unclosed.alert
run 65 tocsin template lint unclosed.alert
has err "tocsin-template: unclosed.alert:3:7: text part: section 'a' is never closed" \
	"a syntax error in the text part names its line in the file"
printf 'Subject: x\n\ntext\n--- html ---\n<p>\n{{/p}}\n' >html.alert
run 65 tocsin template lint html.alert
has err "tocsin-template: html.alert:6:1: HTML part: '{{/p}}' closes no open section" \
	"a syntax error in the HTML part names its line in the file"
printf 'Subject: {{#a}}x\n\ntext\n' >subj.alert
run 65 tocsin template lint subj.alert
has err "tocsin-template: subj.alert:1:10: Subject: section 'a' is never closed" \
	"a syntax error in the Subject names its column"
printf 'Subject: x\nBcc: all@example.org\n\ntext\n' >bcc.alert
run 65 tocsin template lint bcc.alert
has err "tocsin-template: bcc.alert:2: unknown header 'Bcc' (an alert has Subject, Preheader and From)" \
	"an unknown header is refused"
printf 'Preheader: x\n\ntext\n' >nosubject.alert
run 65 tocsin template lint nosubject.alert
has err "tocsin-template: nosubject.alert: no Subject header" "a Subject is required"
printf 'Subject: x\nFrom: Bad <not-an-address>\n\ntext\n' >from.alert
run 65 tocsin template lint from.alert
has err "tocsin-template: from.alert: From 'Bad <not-an-address>': no '@'" \
	"a bad From is refused"
printf 'Subject: x\nno colon here\n' >noblank.alert
run 65 tocsin template lint noblank.alert
run 66 tocsin template lint missing.alert

# --list: the custom fields of the list's subscribers are known.
run 0 tocsin init
run 0 tocsin list create river --from a@example.org
printf 'email,org,city\nann@example.org,Rivers United,Lyon\n' >people.csv
run 0 tocsin sub import river people.csv
run 0 tocsin template lint "$TOP/templates/sign-on-letter.alert" --list river
run 65 tocsin template lint a.alert --list nolist
done_testing
