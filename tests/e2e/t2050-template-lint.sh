#!/bin/sh
# tocsin template lint: the alert file format, syntax errors and
# unknown variables, each with file, line and column.
. "$(dirname "$0")/lib.sh"

run 0 tocsin template lint "$TOP/templates/petition.alert"
has out "$TOP/templates/petition.alert: ok" "the petition example is clean"
run 0 tocsin template lint "$TOP/templates/sign-on-letter.alert"
has out "$TOP/templates/sign-on-letter.alert: ok" "so is the sign-on letter, on any list"
# The letter for a list of organisations, with their name in it.
sed '1s/.*/Subject: Will {{#org}}{{org}}{{\/org}}{{^org}}your organisation{{\/org}} sign?/' \
	"$TOP/templates/sign-on-letter.alert" >org.alert
run 65 tocsin template lint org.alert
grep -q "org.alert:1:15: unknown variable 'org' in the Subject$" err
tap_result $? "a custom field is unknown until a list or --field declares it"
run 0 tocsin template lint org.alert --field org

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
# lint_refuses FILE CONTENT SAYS WHAT: a template holding CONTENT is
# refused (65), and the error is "tocsin-template: FILE" and SAYS.
lint_refuses() {
	printf '%b' "$2" >"$1"
	run 65 tocsin template lint "$1"
	has err "tocsin-template: $1$3" "$4"
}
lint_refuses unclosed.alert 'Subject: x\n\nHello {{#a}}\nthere\n' \
	":3:7: text part: section 'a' is never closed" \
	"a syntax error in the text part names its line in the file"
lint_refuses html.alert 'Subject: x\n\ntext\n--- html ---\n<p>\n{{/p}}\n' \
	":6:1: HTML part: '{{/p}}' closes no open section" \
	"a syntax error in the HTML part names its line in the file"
lint_refuses subj.alert 'Subject: {{#a}}x\n\ntext\n' \
	":1:10: Subject: section 'a' is never closed" \
	"a syntax error in the Subject names its column"
lint_refuses bcc.alert 'Subject: x\nBcc: all@example.org\n\ntext\n' \
	":2: unknown header 'Bcc' (an alert has Subject, Preheader and From)" \
	"an unknown header is refused"
lint_refuses nosubject.alert 'Preheader: x\n\ntext\n' \
	": no Subject header" "a Subject is required"
lint_refuses from.alert 'Subject: x\nFrom: Bad <not-an-address>\n\ntext\n' \
	": From 'Bad <not-an-address>': no '@'" "a bad From is refused"
printf 'Subject: x\nno colon here\n' >noblank.alert
run 65 tocsin template lint noblank.alert
run 66 tocsin template lint missing.alert

# --list: the custom fields of the list's subscribers are known.
run 0 tocsin init
run 0 tocsin list create river --from a@example.org \
    --address "1 Main St, Springfield"
printf 'email,org,city\nann@example.org,Rivers United,Lyon\n' >people.csv
run 0 tocsin sub import river people.csv
run 0 tocsin template lint org.alert --list river
run 65 tocsin template lint a.alert --list nolist
done_testing
