#!/usr/bin/env bash
# Whole-process benchmark: what a user waits for, each figure next to its peer run the same way.
#
#   scripts/bench_process.sh                 # 10 000 and 100 000 records
#   scripts/bench_process.sh 10000           # one size
#   DOCTRIAGE_BENCH_NO_BUILD=1 scripts/bench_process.sh 10000   # use target/release as it is
#
# Every command is a fresh process (cold process) over a warm page cache (one `cat` pass of
# the cache first), timed with hyperfine (--warmup 1, median of 5 runs; first scans: 3 runs at
# 100 000 records and above, 1 run at 1 000 000). Prints one table per size:
# measure | figure | peer | ratio | target | met?
#
#   doctriage search DIR groza, index cached        vs rg -il groza DIR            <= 0.2x
#   doctriage scan DIR again, state kept (reopen)   vs the first scan              <= 0.1x
#   doctriage scan DIR, no saved state (first)      vs find DIR -type f -exec cat  <= 2x
#   doctriage search DIR groza, no saved state      vs the same cat                <= 4x
#   peak RSS (/usr/bin/time %M) of scan and scan --json, first and reopen
#                                <= 2 x text bytes + 2 KB per document (and <= 2.5 GB at 1 000 000)
#   window start to interactive (DOCTRIAGE_BENCH_READY hook, under xvfb-run), first open and
#                                reopen; reopen <= 1 s at 100 000 records
#
# Text bytes (the UTF-8 length of every document's text): `scan --json` gives each document's
# `chars` (Unicode scalar values) and `language` but not its text, so the bytes per char of
# each language are measured exactly on up to 10 documents of that language with
# `doctriage text DIR ID`, and the total is the sum over languages of chars x that ratio.
#
# Caches are the ones the cargo benches use (examples/gen_cache.rs, seed 42, folder
# $DOCTRIAGE_BENCH_DIR/cache-N, default /tmp/doctriage-bench, marked done by cache-N.done),
# generated once. All state of the app (XDG cache, data and config homes, OCR cache) lives under
# $DOCTRIAGE_BENCH_DIR/process-N, made anew on every run; "no saved state" removes
# $XDG_CACHE_HOME/doctriage (search index and file manifest) before each timed run.
set -euo pipefail
cd "$(dirname "$0")/.."

for tool in hyperfine rg python3 xvfb-run; do
    if ! command -v "$tool" >/dev/null; then
        echo "bench_process.sh: $tool is needed (apt-get install hyperfine ripgrep python3 xvfb)" >&2
        exit 2
    fi
done
if [ ! -x /usr/bin/time ]; then
    echo "bench_process.sh: /usr/bin/time is needed for peak RSS (apt-get install time)" >&2
    exit 2
fi

sizes=("$@")
if [ ${#sizes[@]} -eq 0 ]; then sizes=(10000 100000); fi
start=$(date +%s)
bench=${DOCTRIAGE_BENCH_DIR:-/tmp/doctriage-bench}
mkdir -p "$bench"
bench=$(cd "$bench" && pwd)
bin=$PWD/target/release/doctriage
gen=$PWD/target/release/examples/gen_cache
term=groza

if [ "${DOCTRIAGE_BENCH_NO_BUILD:-0}" != 1 ]; then
    cargo build --release --quiet --bin doctriage --example gen_cache
fi
for f in "$bin" "$gen"; do
    if [ ! -x "$f" ]; then
        echo "bench_process.sh: $f is missing: cargo build --release --bin doctriage --example gen_cache" >&2
        exit 2
    fi
done

# Only the XDG folders below may decide where the app keeps state.
unset DOCTRIAGE_CONFIG_DIR DOCTRIAGE_AUTOSAVE_DIR DOCTRIAGE_ANALYST DOCTRIAGE_BENCH_READY

# ---- helpers ---------------------------------------------------------------------------------

# The median in seconds of the hyperfine export $1.
median() {
    python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["results"][0]["median"])' "$1"
}

# hyperfine NAME RUNS [hyperfine options...] -- COMMAND: times COMMAND (no shell in between),
# prints its median in seconds.
hf() {
    local name=$1 runs=$2 warmup=1
    shift 2
    if [ "$runs" -le 1 ]; then warmup=0; fi
    hyperfine --style none --shell=none --warmup "$warmup" --runs "$runs" \
        --export-json "$state/hf-$name.json" "$@" >"$state/hf-$name.log" 2>&1 || {
        echo "bench_process.sh: hyperfine failed for $name: see $state/hf-$name.log" >&2
        tail -5 "$state/hf-$name.log" >&2
        exit 1
    }
    median "$state/hf-$name.json"
}

# A command line for hyperfine's --shell=none (split like a shell would, quotes kept).
cmdline() {
    local out="" a
    for a in "$@"; do out+="$(printf '%q' "$a") "; done
    printf '%s' "${out% }"
}

# Human time of $1 seconds.
fmt_s() { awk -v s="$1" 'BEGIN { if (s < 1) printf "%.0f ms", s * 1000; else printf "%.2f s", s }'; }
# Human size of $1 KiB.
fmt_kib() { awk -v k="$1" 'BEGIN { if (k < 1048576) printf "%.0f MB", k * 1024 / 1e6; else printf "%.2f GB", k * 1024 / 1e9 }'; }

rows=()
# row MEASURE FIGURE PEER RATIO TARGET MET
row() {
    local IFS=$'\t'
    rows+=("$*")
}
# compare MEASURE FIG PEER TARGET_RATIO FIG_TEXT PEER_TEXT: a row whose ratio is FIG/PEER,
# met when that is at most TARGET_RATIO.
compare() {
    local ratio met
    ratio=$(awk -v a="$2" -v b="$3" 'BEGIN { printf "%.3f", a / b }')
    met=$(awk -v r="$ratio" -v t="$4" 'BEGIN { print (r <= t) ? "yes" : "NO" }')
    row "$1" "$5" "$6" "${ratio}x" "<= ${4}x" "$met"
}
# The rows as a Markdown table, columns padded.
print_table() {
    printf 'measure\tfigure\tpeer\tratio\ttarget\tmet?\n' | cat - <(printf '%s\n' "${rows[@]}") |
        awk -F '\t' '
            { for (i = 1; i <= NF; i++) { cell[NR, i] = $i; if (length($i) > w[i]) w[i] = length($i) } }
            END {
                for (r = 1; r <= NR; r++) {
                    line = "|"
                    for (i = 1; i <= 6; i++) line = line sprintf(" %-" w[i] "s |", cell[r, i])
                    print line
                    if (r == 1) {
                        line = "|"
                        for (i = 1; i <= 6; i++) { d = ""; for (k = 0; k < w[i]; k++) d = d "-"; line = line " " d " |" }
                        print line
                    }
                }
            }'
}

# Peak RSS in KiB of one run of the app with ARGS, stdout discarded.
rss() {
    /usr/bin/time -f %M -o "$state/rss.txt" "$bin" "$@" >/dev/null 2>"$state/rss.err"
    tail -1 "$state/rss.txt"
}

forget() { rm -rf "$XDG_CACHE_HOME/doctriage"; }

# window LABEL: start to interactive of `doctriage open DIR` under a virtual screen, in ms, or a
# sentence saying why not.
window() {
    local f="$state/ready-$1.txt" rc=0 ms
    : >"$f"
    XDG_RUNTIME_DIR=$state/runtime xvfb-run -a -s '-screen 0 1600x1000x24' \
        timeout -k 5 60 env DOCTRIAGE_BENCH_READY="$f" "$bin" --no-ocr open "$dir" \
        >"$state/window-$1.log" 2>&1 || rc=$?
    ms=$(sed -n 's/^ready_ms=\([0-9][0-9]*\)$/\1/p' "$f" | head -1)
    if [ -n "$ms" ]; then
        echo "$ms"
    elif [ "$rc" = 124 ]; then
        echo "not measured (no ready hook: no figure in 60 s)"
    else
        echo "not measured (no ready hook: window exited with status $rc, see $state/window-$1.log)"
    fi
}

# ---- one size --------------------------------------------------------------------------------

for n in "${sizes[@]}"; do
    dir=$bench/cache-$n
    if [ ! -e "$bench/cache-$n.done" ]; then
        rm -rf "$dir"
        "$gen" "$dir" "$n" 42 >"$bench/cache-$n.done.tmp"
        mv "$bench/cache-$n.done.tmp" "$bench/cache-$n.done"
    fi
    state=$bench/process-$n
    rm -rf "$state"
    mkdir -p "$state/xdg-cache" "$state/xdg-data" "$state/xdg-config/doctriage" "$state/ocr"
    export XDG_CACHE_HOME=$state/xdg-cache XDG_DATA_HOME=$state/xdg-data \
        XDG_CONFIG_HOME=$state/xdg-config DOCTRIAGE_OCR_CACHE=$state/ocr
    echo '{"analyst":"Bench"}' >"$XDG_CONFIG_HOME/doctriage/preferences.json"
    mkdir -m 700 "$state/runtime" # the window's XDG_RUNTIME_DIR
    first_runs=5
    if [ "$n" -ge 1000000 ]; then first_runs=1; elif [ "$n" -ge 100000 ]; then first_runs=3; fi

    files=$(find "$dir" -type f | wc -l)
    bytes=$(find "$dir" -type f -printf '%s\n' | awk '{ s += $1 } END { print s }')
    echo
    echo "== $n records: $files files, $(awk -v b="$bytes" 'BEGIN { printf "%.1f MB", b / 1e6 }'): $dir"
    find "$dir" -type f -exec cat {} + >/dev/null # warm the page cache

    rows=()
    cat_s=$(hf cat 5 -- "find $(printf '%q' "$dir") -type f -exec cat {} +")
    rg_s=$(hf rg 5 -- "$(cmdline rg -il "$term" "$dir")")
    scan=$(cmdline "$bin" --no-ocr scan "$dir")
    search=$(cmdline "$bin" --no-ocr search "$dir" "$term")
    prep=$(cmdline rm -rf "$XDG_CACHE_HOME/doctriage")
    first_s=$(hf first-scan "$first_runs" --prepare "$prep" -- "$scan")
    first_index_s=$(hf first-search "$first_runs" --prepare "$prep" -- "$search")
    forget
    reopen_s=$(hf reopen-scan 5 -- "$scan")       # the warmup run saves the state
    search_s=$(hf indexed-search 5 -- "$search")  # the warmup run builds the index

    compare "search '$term', index cached" "$search_s" "$rg_s" 0.2 \
        "$(fmt_s "$search_s")" "rg -il $(fmt_s "$rg_s")"
    compare "reopen scan, unchanged cache" "$reopen_s" "$first_s" 0.1 \
        "$(fmt_s "$reopen_s")" "first scan $(fmt_s "$first_s")"
    compare "first scan" "$first_s" "$cat_s" 2 "$(fmt_s "$first_s")" "cat $(fmt_s "$cat_s")"
    compare "first scan + index + search" "$first_index_s" "$cat_s" 4 \
        "$(fmt_s "$first_index_s")" "cat $(fmt_s "$cat_s")"

    # Peak memory, with no saved state and then with it (reopen).
    forget
    rss_scan_first=$(rss --no-ocr scan "$dir")
    rss_scan_reopen=$(rss --no-ocr scan "$dir")
    forget
    rss_json_first=$(rss --no-ocr scan --json "$dir")
    rss_json_reopen=$(rss --no-ocr scan --json "$dir")

    # Text bytes: chars per language from scan --json, bytes per char sampled with `text`.
    "$bin" --no-ocr scan --json "$dir" >"$state/scan.json" 2>/dev/null
    python3 - "$state/scan.json" "$bin" "$dir" >"$state/text-bytes.txt" <<'EOF'
import json, subprocess, sys

scan, binary, cache = sys.argv[1:4]
# Streamed line by line (at 1 000 000 records the output is too big to load whole): in the
# pretty-printed output a document's own keys are the lines indented 6 spaces inside
# "documents", and each document closes with a line "    }" (4 spaces).
docs, cur, inside = [], {}, False
with open(scan, encoding="utf-8") as f:
    for line in f:
        if line.startswith('  "documents": ['):
            inside = not line.rstrip().endswith("[],")
            continue
        if not inside:
            continue
        if line.startswith("  ]"):
            break
        if line.rstrip() in ("    }", "    },"):
            docs.append((cur["id"], cur["chars"], cur.get("language")))
            cur = {}
        elif line.startswith('      "') and not line.startswith('       '):
            key, _, value = line.strip().partition(": ")
            key = json.loads(key)
            if key in ("id", "chars", "language"):
                cur[key] = json.loads(value.rstrip(","))
by_lang = {}
for d in docs:
    by_lang.setdefault(d[2], []).append(d)
text_bytes = 0.0
for lang, group in by_lang.items():
    step = max(1, len(group) // 10)
    sample = group[::step][:10]
    sb = sc = 0
    for doc_id, chars, _ in sample:
        out = subprocess.run([binary, "--no-ocr", "text", cache, doc_id], check=True,
                             capture_output=True).stdout
        if len(out.decode("utf-8")) != chars:
            sys.exit(f"text of {doc_id}: {len(out.decode())} chars, scan --json says {chars}")
        sb += len(out)
        sc += chars
    ratio = sb / sc if sc else 1.0
    text_bytes += ratio * sum(d[1] for d in group)
    print(f"  language {lang}: {len(group)} documents, {ratio:.3f} bytes/char "
          f"(from {len(sample)})", file=sys.stderr)
print(len(docs), round(text_bytes), sum(d[1] for d in docs))
EOF
    read -r docs text_bytes text_chars <"$state/text-bytes.txt"
    budget_kib=$(awk -v t="$text_bytes" -v d="$docs" 'BEGIN { printf "%.0f", (2 * t + 2048 * d) / 1024 }')
    budget_text="$(fmt_kib "$budget_kib") (2x$(fmt_kib "$((text_bytes / 1024))") + 2 KB x $docs)"
    for m in "scan, first:$rss_scan_first" "scan, reopen:$rss_scan_reopen" \
        "scan --json, first:$rss_json_first" "scan --json, reopen:$rss_json_reopen"; do
        kib=${m##*:}
        compare "peak RSS ${m%:*}" "$kib" "$budget_kib" 1 "$(fmt_kib "$kib")" "$budget_text"
    done
    if [ "$n" -eq 1000000 ]; then
        for m in "scan:$rss_scan_first" "scan --json:$rss_json_first"; do
            kib=${m##*:}
            compare "peak RSS ${m%:*}, first (1M)" "$kib" 2441406 1 "$(fmt_kib "$kib")" "2.50 GB"
        done
    fi

    # Window start to interactive: first open (no saved state at all), then reopen.
    forget
    rm -rf "$XDG_DATA_HOME/doctriage"
    for label in first reopen; do
        ms=$(window "$label")
        if [[ $ms =~ ^[0-9]+$ ]]; then
            if [ "$label" = reopen ] && [ "$n" -eq 100000 ]; then
                compare "window start to interactive, reopen" "$ms" 1000 1 "$ms ms" "1 s"
            else
                row "window start to interactive, $label" "$ms ms" "-" "-" "-" "-"
            fi
            first=$(sed -n 's/^first_ms=\([0-9][0-9]*\)$/\1/p' "$state/ready-$label.txt" | head -1)
            if [ -n "$first" ]; then
                row "window start to first documents listed, $label" "$first ms" "-" "-" "-" "-"
            fi
        else
            row "window start to interactive, $label" "$ms" "-" "-" \
                "$( [ "$label" = reopen ] && [ "$n" -eq 100000 ] && echo '<= 1 s' || echo -)" "-"
        fi
    done

    echo "  $docs documents, text $text_bytes bytes ($text_chars chars);" \
        "rg -il $term: $(rg -il "$term" "$dir" | wc -l) files;" \
        "doctriage search: $("$bin" --no-ocr search "$dir" "$term" 2>/dev/null | tail -1)"
    echo
    print_table
done

echo
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GB", $2/1048576}' /proc/meminfo) RAM;" \
    "doctriage $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src || echo ' (src modified)');" \
    "rg $(rg --version | sed -n '1s/^ripgrep //p'); $(hyperfine --version)"
echo "binary: $bin, built $(date -r "$bin" '+%F %T')"
echo "wall time (including generation on first use): $(( $(date +%s) - start )) s"
