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
echo "style: no banned calls"
