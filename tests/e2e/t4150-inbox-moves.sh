#!/bin/sh
# Where the inbox moves its messages: on a second IMAP session beside
# the reading one when the server allows it, on the reading session
# when it does not, and by COPY and EXPUNGE on a server without MOVE;
# either way every message ends in its folder once, each move is noted,
# and the run exits 0.
. "$(dirname "$0")/lib.sh"

new_secret
start_dovecot
{ printf '[sender]\nsecret_file = secret.key\n'; imap_config; } >tocsin.conf
run 0 tocsin init

# Replies (to "replies") and auto-replies (to "processed"), more than two
# batches of them, so that several rounds of moves happen.
deliver_batch() {
	rm -rf msgs
	mkdir msgs
	python3 - "$1" "$2" <<'PY'
import sys
tag, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    if i % 4 == 3:
        m = ("From: away%d@example.com\nTo: reply+d%d-aaaaaaaaaaaaaaaa@river.example\n"
             "Auto-Submitted: auto-replied\nSubject: Out of office\n"
             "Message-ID: <%s-a%d@example.com>\n\nI am away until Monday.\n") % (i, i, tag, i)
    else:
        m = ("From: reader%d@example.com\nTo: reply+d%d-aaaaaaaaaaaaaaaa@river.example\n"
             "Subject: Re: Resign now\nMessage-ID: <%s-q%d@example.com>\n\n"
             "Question %d: who pays for %s?\n") % (i, i, tag, i, i, tag)
    open("msgs/%s%05d" % (tag, i), "w").write(m)
PY
	find msgs -type f | xargs sh "$TOP/scripts/dovecot-local.sh" deliver "$T"
}

n=1200
deliver_batch two "$n"
run 0 tocsin inbox --once
lacks err "tocsin-inbox: no second IMAP session for moving: moving on the reading session, in turn" "a server that allows it gets a second session for the moves"
has err "tocsin-inbox: 0 bounced, 0 soft bounces, 0 complained, 0 unsubscribed, 0 new signatures, 0 unattributed; $n moved" "every message moved and counted"
is "$(folder_count INBOX)" "0" "the INBOX is empty"
is "$(folder_count replies)" "900" "the replies are in replies"
is "$(folder_count processed)" "300" "the auto-replies are in processed"
is "$(sql 'SELECT count(*) FROM inbox_messages WHERE moved = 0')" "0" "each move is noted"

# A server that allows one session per user and address.
printf 'mail_max_userip_connections = 1\n' >>"$DOVECOT_CONF"
stop_dovecot
restart_dovecot
deliver_batch one "$n"
run 0 tocsin inbox --once
has err "tocsin-inbox: no second IMAP session for moving: moving on the reading session, in turn" "a server that allows one session: the moves go on the reading session, and it says so"
has err "tocsin-inbox: 0 bounced, 0 soft bounces, 0 complained, 0 unsubscribed, 0 new signatures, 0 unattributed; $n moved" "every message moved and counted"
is "$(folder_count INBOX)" "0" "the INBOX is empty"
is "$(folder_count replies)" "1800" "the replies are in replies"
is "$(folder_count processed)" "600" "the auto-replies are in processed"
is "$(sql 'SELECT count(*) FROM inbox_messages WHERE moved = 0')" "0" "each move is noted"

# Over imaps://, both sessions in TLS.
sed -i '/^mail_max_userip_connections/d' "$DOVECOT_CONF"
stop_dovecot
restart_dovecot
sed -i "s|^url = imap://.*|url = imaps://127.0.0.1:$IMAPS_PORT|" tocsin.conf
deliver_batch tls "$n"
run 0 tocsin inbox --once
lacks err "no second IMAP session" "imaps://: a second session for the moves"
is "$(folder_count INBOX)/$(folder_count replies)/$(folder_count processed)" "0/2700/900" "imaps://: every message in its folder"

# A folder the server refuses to create: the moves stop, the run exits
# 75 with what it read committed, the messages wait in the INBOX; with
# the config put right, the next run moves them and acts on none again.
printf 'replies_folder = ~held\n' >>tocsin.conf
deliver_batch held "$n"
run 75 tocsin inbox --once
grep -Fq "tocsin-inbox: cannot create the IMAP folder '~held'" err
tap_result $? "a folder that cannot be made: exit 75, and the log says which"
held=$(sql "SELECT count(*) FROM inbox_messages WHERE folder = '~held'")
echo "# $held replies were read before the run stopped"
is "$(sql "SELECT count(*) FROM inbox_messages WHERE folder = '~held' AND moved = 0")" "$held" "what was read is recorded, and not marked moved"
is "$(($(folder_count INBOX) + $(folder_count processed)))/$(folder_count replies)" "2100/2700" "nothing lost: each message waits in the INBOX or went to processed"
sed -i '/^replies_folder = ~held/d' tocsin.conf
sql "UPDATE inbox_messages SET folder = 'replies' WHERE folder = '~held'"
left=$(sql 'SELECT count(*) FROM inbox_messages WHERE moved = 0')
run 0 tocsin inbox --once
has err "tocsin-inbox: finishing $left moves a previous run left" "the next run finishes the moves"
is "$(folder_count INBOX)/$(folder_count replies)/$(folder_count processed)" "0/3600/1200" "every message in its folder once"
is "$(sql 'SELECT count(*) FROM inbox_messages WHERE moved = 0')" "0" "and each move noted"
run 0 tocsin inbox --once
is "$(cat out)" "" "a last run finds nothing, and says nothing"

# A server without MOVE (RFC 6851) gets COPY, \Deleted and UID EXPUNGE
# (UIDPLUS): each message still ends in its folder once, none left
# behind, none doubled. Without UIDPLUS either, the only EXPUNGE would
# remove what anyone else flagged \Deleted: the messages are copied and
# left in the INBOX, and nothing is expunged.
caps='IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ NAMESPACE UNSELECT CHILDREN LIST-EXTENDED SPECIAL-USE'
replies=3600 processed=1200
for extra in UIDPLUS ''; do
	sed -i '/^imap_capability/d' "$DOVECOT_CONF"
	printf 'imap_capability = %s %s\n' "$caps" "$extra" >>"$DOVECOT_CONF"
	stop_dovecot
	restart_dovecot
	deliver_batch "nomove$extra" 400
	left=0
	if [ -z "$extra" ]; then
		# someone else's message, flagged \Deleted by their client
		printf 'From: op@river.example\nSubject: old\nMessage-ID: <op@river.example>\n\nAn operator deleted this.\n' \
			>"$MAILDIR/cur/operator.1:2,ST"
		left=401
	fi
	run 0 tocsin inbox --once
	what="no MOVE, no UIDPLUS"
	[ -n "$extra" ] && what="no MOVE, with $extra"
	replies=$((replies + 300)) processed=$((processed + 100))
	if [ -z "$extra" ]; then
		has err "tocsin-inbox: 0 bounced, 0 soft bounces, 0 complained, 0 unsubscribed, 0 new signatures, 1 unattributed; 401 moved" "$what: every message copied and counted"
		grep -q "the IMAP server has neither MOVE nor UIDPLUS: messages are copied to their folders and left in the mailbox" err
		tap_result $? "$what: the log says the originals stay"
		unknown=1
	else
		has err "tocsin-inbox: 0 bounced, 0 soft bounces, 0 complained, 0 unsubscribed, 0 new signatures, 0 unattributed; 400 moved" "$what: every message moved and counted"
		unknown=0
	fi
	is "$(folder_count INBOX)/$(folder_count replies)/$(folder_count processed)/$(folder_count unknown)" "$left/$replies/$processed/$unknown" "$what: every message in its folder once; nothing expunged that tocsin did not flag"
	is "$(sql 'SELECT count(*) FROM inbox_messages WHERE moved = 0')" "0" "$what: each move noted"
done
ls "$MAILDIR/cur" | grep -q '^operator\.1'
tap_result $? "the message someone else flagged \\Deleted is still there"
done_testing
