#!/bin/sh
# Rejects C library calls that invite overflows or hidden state; see
# STYLE.md. snprintf, strlcpy-style copies and strtol are the way instead.
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
echo "style: no banned calls, raw allocations or assignments inside if"
