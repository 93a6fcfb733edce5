#!/usr/bin/env bash
# Scale benchmark of ingest, indexed search, reopen, session save/load and peak memory.
#
#   scripts/bench.sh            # 10 000 and 100 000 records
#   scripts/bench.sh 10000      # one size
#
# Synthetic caches are generated once (examples/gen_cache.rs, deterministic) under
# $DOCTRIAGE_BENCH_DIR (default /tmp/doctriage-bench; never inside the repository) and reused.
# Prints a table: measure | figure | floor | ratio | target | met?, where the floors are
# `find DIR -type f -exec cat {} +` (reading every file once) and `rg -i -l` of the same term.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v rg >/dev/null; then
    echo "bench.sh: ripgrep (rg) is needed for the search floor: apt-get install ripgrep" >&2
    exit 2
fi
sizes=("$@")
if [ ${#sizes[@]} -eq 0 ]; then sizes=(10000 100000); fi
start=$(date +%s)
cargo bench --bench scale -- "${sizes[@]}"
cargo bench --bench gui_frames -- "${sizes[@]}"
scripts/bench_process.sh "${sizes[@]}"
echo
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo) RAM; rg $(rg --version | head -1 | cut -d' ' -f2)"
echo "wall time (including generation on first use and the build): $(( $(date +%s) - start )) s"
