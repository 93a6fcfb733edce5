#!/usr/bin/env bash
# Runs every cargo-fuzz target of fuzz/ for N seconds each (default 600).
#
#   scripts/fuzz.sh            # every target, 600 s each
#   scripts/fuzz.sh 60         # every target, 60 s each
#   scripts/fuzz.sh 300 dates  # only `dates`, 300 s
#
# Needs cargo-fuzz (`cargo install cargo-fuzz`). Uses the project's stable toolchain with
# RUSTC_BOOTSTRAP=1, since cargo-fuzz passes nightly-only flags (-Zsanitizer=address, ...);
# FUZZ_TOOLCHAIN=nightly uses a nightly toolchain instead.
# Seeds are in fuzz/corpus/<target>/seed_*; inputs libFuzzer adds while it runs stay in the same
# folder (git-ignored). A crash is saved as fuzz/artifacts/<target>/crash-<hash>; reproduce it with
#
#   cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run <target> artifacts/<target>/crash-<hash>
#
# and add it as a regression test: copy it to tests/fixtures/bad/fuzz/<target>/ (the test
# `fuzz_regressions_do_not_panic` in tests/robustness.rs replays every file there).
set -euo pipefail
cd "$(dirname "$0")/../fuzz"

SECONDS_PER_TARGET="${1:-600}"
shift || true
TARGETS=("$@")
if [ "${#TARGETS[@]}" -eq 0 ]; then
    TARGETS=(parse_json parse_jsonl parse_text parse_frontmatter parse_eml dates statements session_load)
fi

if ! command -v cargo-fuzz >/dev/null 2>&1; then
    echo "cargo-fuzz is not installed: cargo install cargo-fuzz" >&2
    exit 2
fi
if [ -n "${FUZZ_TOOLCHAIN:-}" ]; then
    TOOLCHAIN=("+$FUZZ_TOOLCHAIN")
else
    TOOLCHAIN=()
    export RUSTC_BOOTSTRAP=1
fi
# Sanitizer builds need more than libFuzzer's default 2 GB RSS limit for the big inputs some
# targets grow; each input is capped at 64 KiB. Builds are optimised with debug assertions and
# overflow checks on (cargo-fuzz's default).
FUZZ_ARGS=(-max_total_time="$SECONDS_PER_TARGET" -max_len=65536 -rss_limit_mb=4096 -timeout=10)

status=0
for target in "${TARGETS[@]}"; do
    mkdir -p "corpus/$target"
    echo "=== $target: ${SECONDS_PER_TARGET}s ==="
    if cargo "${TOOLCHAIN[@]}" fuzz run "$target" "corpus/$target" -- "${FUZZ_ARGS[@]}"; then
        echo "=== $target: no crash in ${SECONDS_PER_TARGET}s ==="
    else
        status=1
        echo "=== $target: CRASH; input saved under fuzz/artifacts/$target/" >&2
        echo "    reproduce: (cd fuzz && RUSTC_BOOTSTRAP=1 cargo ${TOOLCHAIN[*]} fuzz run $target artifacts/$target/<file>)" >&2
    fi
done
exit "$status"
