#!/bin/sh
# tocsin merge: a Mustache file with JSON data, partials beside it,
# syntax errors with file, line and column, and no path tricks.
. "$(dirname "$0")/lib.sh"

cat >alert.mustache <<'X'
Hi {{#first_name}}{{first_name}}{{/first_name}}{{^first_name}}Friend{{/first_name}},
{{! a comment that leaves no line }}
{{action.signer_count}} people signed:
{{#action.recent_signers}}
  {{> signer}}
{{/action.recent_signers}}
{{{raw}}} / {{raw}}
X
printf -- '- {{name}} signed {{ago}}\n' >signer.mustache
cat >data.json <<'X'
{"first_name": "Zoë", "raw": "<b>&</b>",
 "action": {"signer_count": 12408, "recent_signers": [
   {"name": "Gabrielle", "ago": "9 days ago"}, {"name": "Li", "ago": "just now"}]}}
X
run 0 tocsin merge alert.mustache data.json
same - out "merge renders sections, partials with indentation, escaping" <<'X'
Hi Zoë,
12408 people signed:
  - Gabrielle signed 9 days ago
  - Li signed just now
<b>&</b> / &lt;b&gt;&amp;&lt;/b&gt;
X
run 0 tocsin merge --text alert.mustache data.json
has out "<b>&</b> / <b>&</b>" "--text does not escape"
echo '{"first_name": "", "action": {"recent_signers": []}}' >empty.json
run 0 tocsin merge alert.mustache empty.json
has out "Hi Friend," "an empty value takes the default"

printf 'line one\n{{#a}}\n  {{/b}}\n' >mismatch.mustache
run 65 tocsin merge mismatch.mustache data.json
has err "tocsin-merge: mismatch.mustache:3:3: '{{/b}}' does not close the section 'a' opened at line 2" \
	"a mismatched close names file, line and column"
printf 'x\n\n{{#open}}\nno close\n' >unclosed.mustache
run 65 tocsin merge unclosed.mustache data.json
has err "tocsin-merge: unclosed.mustache:3:1: section 'open' is never closed" \
	"an unclosed section names where it opened"
printf 'ab {{name\n' >untagged.mustache
run 65 tocsin merge untagged.mustache data.json
has err "tocsin-merge: untagged.mustache:1:4: a tag opened here is not closed (no '}}')" \
	"an unclosed tag is named"
printf '{{=<%% %%>=}}ok <%%x%%>\n<%%=a b c=%%>\n' >delim.mustache
run 65 tocsin merge delim.mustache data.json
has err "tocsin-merge: delim.mustache:2:1: bad delimiter change 'a b c': write {{=<% %>=}}, two markers without spaces or '='" \
	"a bad delimiter is named"
printf '{{#a}}{{> broken}}{{/a}}' >uses.mustache
printf 'fine\n{{/x}}' >broken.mustache
echo '{"a": true}' >a.json
run 65 tocsin merge uses.mustache a.json
has err "tocsin-merge: broken.mustache:2:1: '{{/x}}' closes no open section" \
	"an error in a partial names the partial's file"
mkdir sub
echo 'SECRET' >secret.mustache
printf '[{{> ../secret}}][{{> /etc/hostname}}][{{> .hidden}}]\n' >sub/t.mustache
run 0 tocsin merge sub/t.mustache a.json
has out "[][][]" "partial names cannot leave the template's directory"
echo '{"a": ' >bad.json
run 65 tocsin merge alert.mustache bad.json
has err "tocsin-merge: bad.json: not valid JSON" "bad JSON is named"
run 66 tocsin merge missing.mustache a.json
run 64 tocsin merge alert.mustache
done_testing
