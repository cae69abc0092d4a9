#!/bin/sh
# tocsin web's petition form against abuse: bad input, a forged form
# token, the honeypot and the rate limit per client behind the proxy.
. "$(dirname "$0")/lib.sh"

petition_fixture

code "$BASE/a/resign-now" >/dev/null
form=$(sed -n 's|.*name="form" value="\([^"]*\)".*|\1|p' body)
post() { code --data-urlencode "form=$form" "$@" "$BASE/a/resign-now/sign"; }
# Guards: bad input, the form token, the honeypot, the rate limit.
is "$(post -d first_name=Al -d email=not-an-address -d consent=yes)" "400" "a bad address: 400"
has body '<p id="error" role="alert">Please give an email address we can write to.</p>' "and the page says why"
is "$(post -d first_name=Al -d email=al@example.net)" "400" "no consent choice: 400"
is "$(post -d first_name=%FF%FE -d email=al@example.net -d consent=no)" "400" "a name that is not UTF-8: 400"
has body '<p id="error" role="alert">Your first name is not in an encoding we can read (UTF-8).</p>' "and the page says why"
is "$(code -d form=fm1x1-aaaaaaaaaaaaaaaa -d first_name=Al -d email=al@example.net -d consent=no "$BASE/a/resign-now/sign")" "400" \
	"a forged form token (a cross-site post): 400"
is "$(post -d first_name=Bot -d email=bot@example.net -d consent=no -d website=http://spam.example)" "200" "the honeypot filled: 200"
is "$(sql "SELECT count(*) FROM subscribers WHERE email = 'bot@example.net'")" "0" "and nothing kept"
# Every post counts, whatever became of it: 8 a minute, then 429. The
# minute is the clock's: ten posts that straddle its turn would count
# in two, so they wait for a new one when this one is nearly over.
[ "$(date +%S | sed 's/^0//')" -lt 50 ] || sleep $((61 - $(date +%S | sed 's/^0//')))
codes=""
for i in 1 2 3 4 5 6 7 8 9 10; do codes="$codes $(post -H 'X-Forwarded-For: 198.51.100.20' -d first_name=Al -d email=al$i@example.net -d consent=no)"; done
is "$codes" " 200 200 200 200 200 200 200 200 429 429" "past posts_per_minute, a client gets 429"
is "$(post -d first_name=Al -d email=al11@example.net -d consent=no)" "200" \
	"one client past its limit holds back no other"
# Behind the proxy every client is 127.0.0.1: X-Forwarded-For tells them apart.
is "$(post -H 'X-Forwarded-For: 198.51.100.7' -d first_name=Al -d email=al9@example.net -d consent=no)" "200" \
	"another client behind the proxy has a limit of its own"
is "$(post -H 'X-Forwarded-For: 203.0.113.1, 198.51.100.8' -d first_name=Al -d email=al10@example.net -d consent=no)" "200" \
	"the proxy's own (last) address counts"
done_testing
