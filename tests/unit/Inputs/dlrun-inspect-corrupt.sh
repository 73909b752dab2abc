#!/bin/sh
# `dlrun --inspect` on a corrupt plan ($1: dlrun) must exit 1 with exactly
# one line on stderr, "dlrun: error: ...", and print nothing on stdout.
dir=$(mktemp -d) || exit 1
trap 'rm -rf "$dir"' EXIT
# Plan magic, version 1, a wrong crc, payload size 16, 16 payload bytes.
printf 'DLCPLAN\000\001\000\000\000\336\255\276\357\020\000\000\000\000\000\000\0000123456789abcdef' \
  > "$dir/corrupt.plan"
"$1" --inspect "$dir/corrupt.plan" >"$dir/out" 2>"$dir/err"
rc=$?
cat "$dir/err"
[ "$rc" -eq 1 ] || { echo "exit status $rc, expected 1"; exit 1; }
[ "$(wc -l <"$dir/err")" -eq 1 ] || { echo "expected one line"; exit 1; }
grep -q '^dlrun: error: .*checksum mismatch' "$dir/err" || exit 1
[ ! -s "$dir/out" ] || { echo "unexpected stdout"; exit 1; }
exit 0
