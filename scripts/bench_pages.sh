#!/usr/bin/env bash
# Benchmark of paged documents, as a user runs the commands (whole processes, warm page cache):
#   text layer: `doctriage scan --no-ocr` of a folder of PDFs against `pdftotext` of the same
#               files one after another (goal: ≤ 1.5×);
#   OCR:        `doctriage scan` with an empty OCR cache against `tesseract` over the same page
#               images one after another, with the languages doctriage chose (goal: ≤ 0.8×: pages
#               run in parallel); the images are rendered beforehand for tesseract, not for us;
#   reopen:     `doctriage scan` again with the OCR cache filled (goal: 0 pages OCR'd).
#
#   scripts/bench_pages.sh      # needs hyperfine, poppler-utils, tesseract, the real files
#
# Inputs: the fetched real files (scripts/fetch_real_files.sh) and the sample cache's scans,
# copied to $DOCTRIAGE_BENCH_DIR/pages (default /tmp/doctriage-bench; never the repository).
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in hyperfine pdftotext pdftoppm tesseract; do
    command -v "$tool" >/dev/null || { echo "bench_pages.sh: $tool is needed" >&2; exit 2; }
done
scripts/fetch_real_files.sh >/dev/null
real="${DOCTRIAGE_REAL_FILES:-$PWD/target/real-files}"
cargo build --release --locked -q
bin="${CARGO_TARGET_DIR:-$PWD/target}/release/doctriage"
base="${DOCTRIAGE_BENCH_DIR:-/tmp/doctriage-bench}/pages"
rm -rf "$base"
mkdir -p "$base/text" "$base/ocr" "$base/images"

# Text layers: a 153-page Russian manual, a 6-page scan with one text page, the sample letter.
cp "$real/texlive/lshortru.pdf" "$real/ocrmypdf/multipage.pdf" \
    sample_cache/scans/letter_2020_12_01_ru_en.pdf "$base/text/"
# Scans: OCRmyPDF's three (one page each), the sample cache's four scanned records (5 pages).
cp "$real/ocrmypdf/linn.pdf" "$real/ocrmypdf/skew.pdf" "$real/ocrmypdf/rotated_skew.pdf" \
    sample_cache/scans/scan_*.png sample_cache/scans/scan_*.pdf \
    sample_cache/scans/export_passport_2021_0035.tif "$base/ocr/"

export DOCTRIAGE_CONFIG_DIR="$base/config" DOCTRIAGE_ANALYST=bench
export DOCTRIAGE_OCR_CACHE="$base/ocr-cache"
mkdir -p "$DOCTRIAGE_CONFIG_DIR"

json="$base/results"
mkdir -p "$json"
text_files=("$base"/text/*.pdf)
hyperfine -N --warmup 1 --runs 10 --export-json "$json/text.json" \
    -n "doctriage scan --no-ocr" "$bin scan $base/text --no-ocr" \
    -n "pdftotext (each file)" "sh -c 'for f in ${text_files[*]}; do pdftotext -enc UTF-8 \$f - >/dev/null; done'" \
    >/dev/null

# The languages doctriage chose, page by page, and the page images for the bare loop.
rm -rf "$DOCTRIAGE_OCR_CACHE"
"$bin" scan "$base/ocr" --json 2>/dev/null >"$base/ocr.json"
python3 - "$base/ocr.json" "$base/ocr" "$base/images" >"$base/pages.txt" <<'PY'
import json, subprocess, sys, pathlib
scan, src, out = json.load(open(sys.argv[1])), pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3])
for d in scan["documents"]:
    for i, (source, langs) in enumerate(zip(d["page_sources"], d["ocr_languages"] or [])):
        if source != "ocr" or not langs:
            continue
        f = src / d["path"]
        img = out / f"{f.stem}-{i + 1}.pgm"
        if f.suffix == ".pdf":
            subprocess.run(["pdftoppm", "-r", "300", "-gray", "-f", str(i + 1), "-l", str(i + 1),
                            "-singlefile", str(f), str(img.with_suffix(""))], check=True)
        else:
            subprocess.run(["convert", f"{f}[{i}]", "-colorspace", "Gray", str(img)], check=True)
        print(img, langs)
PY
pages=$(wc -l <"$base/pages.txt")
loop="$base/loop.sh"
{
    echo 'while read -r img langs; do'
    echo '    tesseract "$img" stdout --psm 1 -l "$langs" tsv >/dev/null 2>&1'
    echo "done <$base/pages.txt"
} >"$loop"
# Two peers: tesseract as it runs by default (its OpenMP threads), and with one thread a page.
hyperfine -N --runs 3 --export-json "$json/ocr.json" \
    --prepare "rm -rf $DOCTRIAGE_OCR_CACHE" \
    -n "doctriage scan (OCR, empty OCR cache)" "$bin scan $base/ocr" \
    -n "tesseract, page after page ($pages pages)" "sh $loop" \
    -n "tesseract, page after page, OMP_THREAD_LIMIT=1" "env OMP_THREAD_LIMIT=1 sh $loop" \
    >/dev/null
# Reopen: the OCR cache filled by one run, then nothing read again.
"$bin" scan "$base/ocr" >/dev/null 2>&1
"$bin" scan "$base/ocr" >/dev/null 2>"$base/reopen.err"
reread=$(grep -c "^doctriage: OCR [0-9]" "$base/reopen.err" || true)
hyperfine -N --warmup 1 --runs 10 --export-json "$json/reopen.json" \
    -n "doctriage scan (OCR cache filled)" "$bin scan $base/ocr" >/dev/null

python3 - "$json" "$pages" "$reread" <<'PY'
import json, sys
d, pages, reread = sys.argv[1], sys.argv[2], sys.argv[3]
def means(name):
    return [(r["command"], r["mean"], r["stddev"] or 0.0) for r in json.load(open(f"{d}/{name}.json"))["results"]]
t, o, r = means("text"), means("ocr"), means("reopen")
print("| measure | doctriage | peer, same run | ratio | goal |")
print("| --- | --- | --- | --- | --- |")
print(f"| text layer, 3 PDFs (160 pages) | {t[0][1]:.2f} s ± {t[0][2]:.2f} | pdftotext {t[1][1]:.2f} s ± {t[1][2]:.2f} | {t[0][1]/t[1][1]:.2f}× | ≤ 1.5× |")
print(f"| OCR, {pages} pages, empty OCR cache | {o[0][1]:.1f} s ± {o[0][2]:.1f} | tesseract page after page {o[1][1]:.1f} s ± {o[1][2]:.1f} | {o[0][1]/o[1][1]:.2f}× | ≤ 0.8× |")
print(f"| the same | | tesseract page after page, `OMP_THREAD_LIMIT=1`, {o[2][1]:.1f} s ± {o[2][2]:.1f} | {o[0][1]/o[2][1]:.2f}× | ≤ 0.8× |")
print(f"| reopen of the OCR'd scans | {r[0][1]:.2f} s ± {r[0][2]:.2f}, {reread} pages OCR'd | | | 0 pages |")
PY
echo "machine: $(nproc) cores; $(tesseract --version 2>&1 | head -1); $(pdftotext -v 2>&1 | head -1)"
