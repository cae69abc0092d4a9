#!/bin/sh
# Checks what STYLE.md asks that a machine can see (curl's checksrc is
# the model): banned calls, raw allocation, assignment inside if, long
# lines, and buf_ results nobody checks.
set -u
cd "$(dirname "$0")/.."
hits=$(grep -nE '\b(v?sprintf|strcpy|strcat|strtok|atoi|atol|gets)[[:space:]]*\(' \
	src/lib/*.c src/lib/*.h src/cmd/*.c tests/unit/*.c bench/*.c 2>/dev/null)
if [ -n "$hits" ]; then
	echo "style: banned calls (use snprintf, memcpy with a length, strtol):" >&2
	echo "$hits" >&2
	exit 1
fi
# Allocation goes through xalloc.c, which never returns NULL.
hits=$(grep -nE '\b(malloc|calloc|realloc|reallocarray|strdup|strndup)[[:space:]]*\(' \
	src/lib/*.c src/cmd/*.c 2>/dev/null | grep -v '^src/lib/xalloc.c:')
if [ -n "$hits" ]; then
	echo "style: raw allocation (use xmalloc, xcalloc, xreallocarray, xstrdup):" >&2
	echo "$hits" >&2
	exit 1
fi
# STYLE.md: no assignment inside if ("if ((p = f()) != NULL)").
hits=$(grep -nE '\bif \(\(?[A-Za-z_][A-Za-z0-9_>.-]* = [^=]' \
	src/lib/*.c src/cmd/*.c tests/unit/*.c bench/*.c 2>/dev/null)
if [ -n "$hits" ]; then
	echo "style: assignment inside if (assign first, then test):" >&2
	echo "$hits" >&2
	exit 1
fi
# STYLE.md: 80 columns, a tab being 8.
hits=$(for f in src/lib/*.c src/lib/*.h src/cmd/*.c tests/unit/*.c bench/*.c; do
	expand -t 8 "$f" | awk -v f="$f" 'length($0) > 80 { print f ":" NR }'
done)
if [ -n "$hits" ]; then
	echo "style: lines over 80 columns (a tab is 8):" >&2
	echo "$hits" >&2
	exit 1
fi
# A buffer's failure is sticky (buf.h): a function that ignores what a
# buf_ call returns must check the buffer's failed itself, or say in
# the comment above it who does (or why a cut is the design there).
hits=$(awk '
FNR == 1 { above = ""; body = ""; in_body = 0 }
/^}/ && in_body {
	if (body ~ /\(void\)buf_/ && body !~ /(->|\.)failed/ && above !~ /failed/)
		printf "%s:%d: %s\n", FILENAME, start, name
	in_body = 0; above = ""; body = ""; next
}
in_body { body = body "\n" $0; next }
/^{/ { in_body = 1; next }
/^[a-z_][A-Za-z0-9_]*\(/ { name = $0; sub(/\(.*/, "", name); start = FNR }
/^$/ { above = ""; next }
{ above = above "\n" $0 }
' src/lib/*.c src/cmd/*.c)
if [ -n "$hits" ]; then
	echo "style: buf_ results ignored with nobody checking failed:" >&2
	echo "$hits" >&2
	exit 1
fi
echo "style: no banned calls, raw allocations, assignments inside if,"
echo "  unchecked buffers or lines over 80 columns"
