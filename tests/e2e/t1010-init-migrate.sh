#!/bin/sh
# tocsin init: creates, is idempotent, and upgrades a database made at
# the first migration without losing what it holds.
. "$(dirname "$0")/lib.sh"

latest=$(ls "$TOP"/migrations/[0-9][0-9][0-9][0-9]_*.sql | wc -l)

run 0 tocsin init
has out "database 'tocsin.db' created (schema version $latest)" "init creates"
is "$(sql 'PRAGMA journal_mode')" "wal" "the database is in WAL mode"
is "$(sql 'SELECT count(*) FROM schema_migrations')" "$latest" \
	"every migration is recorded"
is "$(stat -c %a tocsin.db)" "600" "the database is private to its owner"
sql '.schema' >schema.before
run 0 tocsin init
has out "database 'tocsin.db' is up to date (schema version $latest)" \
	"init again does nothing"
sql '.schema' >schema.after
same schema.before schema.after "the schema is unchanged by a second init"
is "$(sql 'SELECT count(*) FROM schema_migrations')" "$latest" \
	"no migration is recorded twice"

# A database made at the first migration, with people in it.
DB=old.db
run 0 tocsin -d old.db init --to 1
has out "database 'old.db' created (schema version 1)" "init --to 1 stops at 1"
run 78 tocsin -d old.db list ls
has err "tocsin-list: database 'old.db' has schema version 1: run 'tocsin init' to upgrade it to $latest" \
	"an old database is refused with what to do"
sql "INSERT INTO lists (name, from_addr, created_at) VALUES ('news', 'a@example.org', 1);
INSERT INTO subscribers (email, first_name, created_at, updated_at) VALUES ('Ann@example.org', 'Ann', 1, 1);
INSERT INTO memberships VALUES (1, 1, 'unsubscribed', 'old.csv', 1, 2, NULL);"
run 0 tocsin -d old.db init
has out "database 'old.db' upgraded from schema version 1 to $latest" \
	"init upgrades it"
run 0 tocsin -d old.db sub ls news --format tsv
same - out "its subscribers survive the upgrade" <<'X'
email	first_name	last_name	status	source	subscribed_at	status_at
Ann@example.org	Ann		unsubscribed	old.csv	1970-01-01 00:00	1970-01-01 00:00
X
run 0 tocsin -d old.db action create pipeline --title "Stop the pipeline"
run 0 tocsin -d old.db action sign pipeline ann@example.org
is "$(sql 'SELECT count(*) FROM signatures')" "1" \
	"the upgraded database takes signatures"
sql '.schema' | grep -v '^CREATE TABLE sqlite_' >schema.upgraded
DB=tocsin.db
sql '.schema' | grep -v '^CREATE TABLE sqlite_' >schema.fresh
same schema.fresh schema.upgraded "an upgraded schema equals a fresh one"

# A database from a newer tocsin is not touched.
sql "INSERT INTO schema_migrations VALUES (999, '0999_future', 1)"
run 78 tocsin init
has err "tocsin-init: database 'tocsin.db' has schema version 999, made by a newer tocsin; this one knows up to $latest" \
	"a newer schema is refused"
run 64 tocsin init --to 0
printf 'not a database at all, just text\n' >junk.db
run 65 tocsin -d junk.db init
done_testing
