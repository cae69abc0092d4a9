#!/bin/sh
# tocsin blast: the segment is fixed once (subscribed, not suppressed,
# --not-signed, --where), the template is linted and snapshotted, and
# blasts can be listed, shown, paused, resumed and cancelled.
. "$(dirname "$0")/lib.sh"

run 0 tocsin init
run 0 tocsin list create river --from "River <alerts@river.example>" \
    --address "1 Main St, Springfield"
cat >people.csv <<'X'
email,first_name,city
ann@example.org,Ann,Lyon
bob@example.org,Bob,Porto
cat@example.org,Cat,Lyon
dan@example.org,Dan,Lyon
eve@example.org,Eve,Lyon
X
run 0 tocsin sub import river people.csv
run 0 tocsin sub rm river dan@example.org
sql "INSERT INTO suppressions VALUES ('eve@example.org', 'complained', 1)"
run 0 tocsin action create resign-now --title "Resign now"
run 0 tocsin action sign resign-now cat@example.org
cp "$TOP/templates/petition.alert" alert.alert

run 0 tocsin blast create --schedule river alert.alert --action resign-now
has out "blast 1: 3 recipients, due $(date '+%Y-%m-%d %H:%M') UTC (now)" \
	"subscribed, unsuppressed members are the recipients"
is "$(sql 'SELECT group_concat(s.email) FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id WHERE d.blast_id = 1 ORDER BY s.email')" \
	"ann@example.org,bob@example.org,cat@example.org" "one delivery each, all queued"
run 0 tocsin blast create --schedule river alert.alert --action resign-now --not-signed resign-now
has out "blast 2: 2 recipients, due $(date '+%Y-%m-%d %H:%M') UTC (now)" "--not-signed leaves signers out"
run 0 tocsin blast create --schedule river alert.alert --action resign-now --where city=Lyon --not-signed resign-now
has out "blast 3: 1 recipient, due $(date '+%Y-%m-%d %H:%M') UTC (now)" "--where filters by a field"
run 0 tocsin blast create --schedule river alert.alert --action resign-now --at "2030-01-02 09:30" --rate 20
has out "blast 4: 3 recipients, due 2030-01-02 09:30 UTC" "--at schedules"
is "$(sql "SELECT rate || ' ' || due_at FROM blasts WHERE id = 4")" "20 1893576600" \
	"--rate and --at (local time) are stored"

# The template is a snapshot: editing the file changes no blast.
echo "edited" >>alert.alert
is "$(sql "SELECT count(*) FROM blasts WHERE template LIKE '%</html>%' AND template NOT LIKE '%edited%'")" "4" \
	"each blast keeps the template as it was"

# Lint refuses, and nothing is created.
run 65 tocsin blast create --schedule river alert.alert
grep -q "unknown variable 'action.signer_count'" err
tap_result $? "a template that needs an action is refused without one"
printf 'Subject: {{frist_name}}\n\nhi\n' >typo.alert
run 65 tocsin blast create --schedule river typo.alert
has err "tocsin-blast: typo.alert:1:10: unknown variable 'frist_name' in the Subject" \
	"an unknown variable is refused with its place"
is "$(sql 'SELECT count(*) FROM blasts')" "4" "a refused blast is not stored"
run 64 tocsin blast create --schedule river alert.alert --where "bad\"key=1"
run 65 tocsin blast create --schedule nolist alert.alert
run 64 tocsin blast create --schedule river alert.alert --at tomorrow

run 0 tocsin blast ls --format tsv
cat >expect <<'X'
id	list	template	state	due	recipients	sent	left
1	river	alert.alert	scheduled	X1 UTC	3	0	3
2	river	alert.alert	scheduled	X1 UTC	2	0	2
3	river	alert.alert	scheduled	X1 UTC	1	0	1
4	river	alert.alert	scheduled	2030-01-02 09:30 UTC	3	0	3
X
sed -i "s/X1/$(date '+%Y-%m-%d %H:%M')/" expect
same expect out "blast ls lists every blast"
run 0 tocsin blast show 2
has out "segment: subscribed members of 'river', not signers of 'resign-now'" "show gives the segment"
has out "  queued    2" "show counts deliveries by state"
run 0 tocsin blast pause 4
has out "blast 4 is paused" "pause"
run 65 tocsin blast pause 4
run 0 tocsin blast resume 4
run 0 tocsin blast cancel 4
run 65 tocsin blast resume 4
has err "tocsin-blast: blast 4 cannot become scheduled: it is not paused (see 'tocsin blast show 4')" \
	"a cancelled blast stays cancelled"
run 65 tocsin blast show 99
run 65 tocsin blast pause 999
has err "tocsin-blast: no blast 999 (see 'tocsin blast ls')" "pausing no blast says there is none"
run 64 tocsin blast show x
# The group's own time zone: --at is read, and times shown, in it.
printf '[blast]\ntimezone = America/La_Paz\n' >zone.conf
run 0 tocsin -c zone.conf blast create --schedule --at "2030-01-02 09:30" river alert.alert --action resign-now
has out "blast 5: 3 recipients, due 2030-01-02 09:30 -04" "--at in [blast] timezone, printed with its zone"
is "$(sql "SELECT due_at FROM blasts WHERE id = 5")" "1893591000" "stored as the instant it names (13:30 UTC)"
printf '[blast]\ntimezone = Mars/Olympus\n' >badzone.conf
run 78 tocsin -c badzone.conf blast ls
has err "tocsin-blast: badzone.conf: [blast] timezone 'Mars/Olympus' is not a zone of /usr/share/zoneinfo (say Europe/Paris, America/La_Paz or UTC)" \
	"an unknown zone is a configuration error, not a silent UTC"
done_testing
