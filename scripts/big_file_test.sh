#!/usr/bin/env bash
# Memory stays bounded on a huge record: generates a cache holding one 300 MB text file (in /tmp,
# never in the repository), runs `doctriage scan` on it under /usr/bin/time -v, prints the peak
# RSS and checks that the record was truncated at the size limit (64 MiB) with a visible warning.
#
#   scripts/big_file_test.sh            # 300 MB, release build
#   SIZE_MB=1000 scripts/big_file_test.sh
#   MAX_RSS_MB=600 scripts/big_file_test.sh   # fail above this peak RSS (default 1024)
#   DOCTRIAGE_BIN=target/debug/doctriage scripts/big_file_test.sh   # use an existing binary
#
# Not part of `cargo test` (it writes 300 MB and takes a while).
set -euo pipefail
cd "$(dirname "$0")/.."

SIZE_MB="${SIZE_MB:-300}"
MAX_RSS_MB="${MAX_RSS_MB:-1024}"
WORK="$(mktemp -d /tmp/doctriage-big.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT

if [ ! -x /usr/bin/time ]; then
    echo "needs GNU time (/usr/bin/time): apt-get install -y time" >&2
    exit 2
fi

if [ -n "${DOCTRIAGE_BIN:-}" ]; then
    BIN="$DOCTRIAGE_BIN"
else
    cargo build --release --quiet
    BIN=target/release/doctriage
fi

mkdir -p "$WORK/cache"
printf 'Title: A very large report\nDate: 2020-05-01\n\n' > "$WORK/cache/big.txt"
# One line of 100 bytes repeated: about SIZE_MB megabytes of text.
# (`yes` ends on SIGPIPE when `head` has enough: not an error.)
{ yes 'Line of a very long synthetic report about artillery sights and EW stations, 2020. SYNTHETIC.....' || true; } \
    | head -c "$((SIZE_MB * 1000 * 1000))" >> "$WORK/cache/big.txt"
printf 'Title: Small\n\nA small record beside the big one.\n' > "$WORK/cache/small.txt"
ls -l "$WORK/cache"

/usr/bin/time -v "$BIN" scan "$WORK/cache" --json > "$WORK/scan.json" 2> "$WORK/time.txt" || {
    cat "$WORK/time.txt" >&2
    echo "FAIL: doctriage scan exited with an error" >&2
    exit 1
}
RSS_KB="$(sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): //p' "$WORK/time.txt")"
ELAPSED="$(sed -n 's/^[[:space:]]*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$WORK/time.txt")"
echo "peak RSS: $((RSS_KB / 1024)) MiB; wall time: $ELAPSED; file: $(du -h "$WORK/cache/big.txt" | cut -f1)"

status=0
if grep -q '"truncated at 64 MiB of ' "$WORK/scan.json"; then
    echo "OK: the record is truncated at 64 MiB with a warning: $(grep -o '"truncated at 64 MiB of [^"]*"' "$WORK/scan.json" | head -1)"
else
    echo "FAIL: no truncation warning in \`doctriage scan --json\` output" >&2
    status=1
fi
if grep -q '"small.txt"' "$WORK/scan.json"; then
    echo "OK: the other record is read"
else
    echo "FAIL: small.txt missing from the scan" >&2
    status=1
fi
if [ "$((RSS_KB / 1024))" -gt "$MAX_RSS_MB" ]; then
    echo "FAIL: peak RSS above ${MAX_RSS_MB} MiB" >&2
    status=1
fi
exit "$status"
