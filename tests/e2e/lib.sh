# lib.sh: shared by the end-to-end tests. Each test runs the programs in
# $TOCSIN_BIN (the sanitizer build, from `make check`) in a scratch
# directory that is removed on exit, and prints TAP.
#
#   run CODE CMD...       run CMD, stdout to ./out, stderr to ./err;
#                         ok if it exits CODE
#   same EXPECT FILE WHAT ok if FILE equals EXPECT (a file, or - for stdin)
#   has FILE TEXT WHAT    ok if FILE has a line that is exactly TEXT
#   lacks FILE TEXT WHAT  ok if FILE has no line containing TEXT
#   is GOT WANT WHAT      ok if the strings are equal
#   sql QUERY             print a query's result on the test database

set -u
: "${TOCSIN_BIN:?set TOCSIN_BIN to the directory of the built programs}"
PATH=$TOCSIN_BIN:$PATH
export TZ=UTC
unset TOCSIN_CONFIG TOCSIN_DB

# The source tree, found before the test leaves for its scratch directory.
TOP=$(cd "$(dirname "$0")/../.." && pwd)
T=$(mktemp -d "${TMPDIR:-/tmp}/tocsin-test.XXXXXX")
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1

tap_n=0
tap_failed=0

tap_result() {
	tap_n=$((tap_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $tap_n - $2"
	else
		echo "not ok $tap_n - $2"
		tap_failed=$((tap_failed + 1))
	fi
}

diag() {
	sed 's/^/# /' "$@"
}

run() {
	want=$1
	shift
	"$@" >out 2>err
	got=$?
	# An argument with a line break must not break the TAP line.
	what=$(printf '%s' "$*" | tr '\n' ' ')
	if [ "$got" -eq "$want" ]; then
		tap_result 0 "$what exits $want"
	else
		tap_result 1 "$what exits $want (got $got)"
		diag err
	fi
}

same() {
	if [ "$1" = - ]; then
		cat >expect
		set -- expect "$2" "$3"
	fi
	if diff -u "$1" "$2" >diff.out 2>&1; then
		tap_result 0 "$3"
	else
		tap_result 1 "$3"
		diag diff.out
	fi
}

has() {
	if grep -Fxq -- "$2" "$1"; then
		tap_result 0 "$3"
	else
		tap_result 1 "$3"
		echo "# no line '$2' in $1:"
		diag "$1"
	fi
}

lacks() {
	if grep -Fq -- "$2" "$1"; then
		tap_result 1 "$3"
		diag "$1"
	else
		tap_result 0 "$3"
	fi
}

is() {
	if [ "$1" = "$2" ]; then
		tap_result 0 "$3"
	else
		tap_result 1 "$3"
		echo "# got:  '$1'"
		echo "# want: '$2'"
	fi
}

sql() {
	sqlite3 -batch -noheader "${DB:-tocsin.db}" "$1"
}

done_testing() {
	echo "1..$tap_n"
	[ "$tap_failed" -eq 0 ]
}
