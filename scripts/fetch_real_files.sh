#!/usr/bin/env bash
# Downloads real third-party test files that doctriage may be tried on but that we may not
# commit (their licences differ from ours). Nothing here is written into the repository
# except under target/.
#
#     scripts/fetch_real_files.sh            # into $REPO/target/real-files
#     DOCTRIAGE_REAL_FILES=/some/dir scripts/fetch_real_files.sh
#
# What it fetches (every archive is checked against the SHA-256 pinned below):
#   ocrmypdf/  OCRmyPDF's test PDFs, from the ocrmypdf sdist on PyPI (pip download)
#   pypdf/     pypdf's encrypted samples (resources/encryption/*.pdf), from the pypdf sdist
#   texlive/   lshortru.pdf (the Russian "not so short introduction to LaTeX"), from Debian's
#              texlive-lang-cyrillic package (apt-get download)
# and writes LICENSES.txt (origin, version and licence of each file) and .complete (the pins).
# A second run with the same pins does nothing. Needs python3 with pip, apt-get, dpkg-deb,
# tar and sha256sum, and network access to PyPI and the Debian archive.
set -euo pipefail

OCRMYPDF_VERSION=16.10.4
OCRMYPDF_SHA256=de749ef5f554b63d57e68d032e7cba5500cbd5030835bf24f658f7b7a04f3dc1
OCRMYPDF_FILES=(linn.pdf linn.txt skew.pdf rotated_skew.pdf multipage.pdf invalid.pdf type3_font_nomapping.pdf)

PYPDF_VERSION=5.4.0
PYPDF_SHA256=9af476a9dc30fcb137659b0dec747ea94aa954933c52cf02ee33e39a16fe9175

TEXLIVE_PACKAGE=texlive-lang-cyrillic
TEXLIVE_VERSION=2022.20230122-1
TEXLIVE_SHA256=a4ad6391ce4890f680aa0ae25b694a42fb5ce7dfc586e45499a85beff4d6e3ea

PINS="ocrmypdf==$OCRMYPDF_VERSION sha256:$OCRMYPDF_SHA256
pypdf==$PYPDF_VERSION sha256:$PYPDF_SHA256
$TEXLIVE_PACKAGE=$TEXLIVE_VERSION sha256:$TEXLIVE_SHA256"

die() {
    echo "fetch_real_files.sh: error: $*" >&2
    exit 1
}

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
OUT=${DOCTRIAGE_REAL_FILES:-$REPO/target/real-files}
OUT=$(realpath -m "$OUT")
case "$OUT/" in
    "$REPO/target/"*) ;;
    "$REPO/"*) die "$OUT is inside the repository but not under target/; refusing to write there" ;;
esac
mkdir -p "$OUT" || die "cannot create $OUT"

for tool in python3 apt-get dpkg-deb tar sha256sum realpath; do
    command -v "$tool" >/dev/null || die "$tool is not installed"
done

complete() {
    [[ -f "$OUT/.complete" && "$(cat "$OUT/.complete")" == "$PINS" ]] || return 1
    local f
    for f in "${OCRMYPDF_FILES[@]/#/ocrmypdf/}" texlive/lshortru.pdf pypdf/unencrypted.pdf LICENSES.txt; do
        [[ -f "$OUT/$f" ]] || return 1
    done
}
if complete; then
    echo "up to date: $OUT (delete $OUT/.complete to fetch again)"
    exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/out/ocrmypdf" "$tmp/out/pypdf" "$tmp/out/texlive"

# check_sha FILE SHA256
check_sha() {
    local got
    got=$(sha256sum "$1" | cut -d' ' -f1)
    [[ "$got" == "$2" ]] || die "$(basename "$1"): SHA-256 is $got, expected $2 (the download changed or is corrupt)"
}

# sdist NAME VERSION SHA256 -> prints the path of the verified .tar.gz
sdist() {
    local name=$1 version=$2 sha=$3 dir="$tmp/pip-$1" archive
    # --no-binary for this package only: the sdist itself; its build backend (needed by pip to
    # read the metadata) may come as a wheel.
    python3 -m pip download --quiet --no-deps --no-binary "$name" "$name==$version" -d "$dir" \
        >"$tmp/pip-$name.log" 2>&1 || {
        cat "$tmp/pip-$name.log" >&2
        die "pip download $name==$version failed"
    }
    archive="$dir/$name-$version.tar.gz"
    [[ -f "$archive" ]] || die "pip did not save $name-$version.tar.gz (got: $(ls "$dir"))"
    check_sha "$archive" "$sha"
    echo "$archive"
}

# --- OCRmyPDF ----------------------------------------------------------------------------
archive=$(sdist ocrmypdf "$OCRMYPDF_VERSION" "$OCRMYPDF_SHA256")
top="ocrmypdf-$OCRMYPDF_VERSION/tests/resources"
for f in "${OCRMYPDF_FILES[@]}"; do
    tar -xzf "$archive" -C "$tmp" "$top/$f" 2>/dev/null || die "$top/$f is not in the ocrmypdf sdist"
    mv "$tmp/$top/$f" "$tmp/out/ocrmypdf/$f"
done

# --- pypdf -------------------------------------------------------------------------------
archive=$(sdist pypdf "$PYPDF_VERSION" "$PYPDF_SHA256")
top="pypdf-$PYPDF_VERSION/resources/encryption"
tar -xzf "$archive" -C "$tmp" --wildcards "$top/*.pdf" 2>/dev/null ||
    die "$top/*.pdf is not in the pypdf sdist"
mv "$tmp/$top"/*.pdf "$tmp/out/pypdf/"

# --- texlive-lang-cyrillic ---------------------------------------------------------------
mkdir -p "$tmp/deb"
(cd "$tmp/deb" && apt-get download "$TEXLIVE_PACKAGE=$TEXLIVE_VERSION") >"$tmp/apt.log" 2>&1 || {
    cat "$tmp/apt.log" >&2
    die "apt-get download $TEXLIVE_PACKAGE=$TEXLIVE_VERSION failed (run apt-get update; the pinned version may have left the archive)"
}
deb="$tmp/deb/${TEXLIVE_PACKAGE}_${TEXLIVE_VERSION}_all.deb"
[[ -f "$deb" ]] || die "apt-get did not save $(basename "$deb")"
check_sha "$deb" "$TEXLIVE_SHA256"
dpkg-deb -x "$deb" "$tmp/debroot" || die "dpkg-deb -x $(basename "$deb") failed"
found=$(find "$tmp/debroot" \( -name lshortru.pdf -o -name lshortru.pdf.gz \) -print -quit)
[[ -n "$found" ]] || die "lshortru.pdf is not in $(basename "$deb")"
case "$found" in
    *.gz) gzip -dc "$found" >"$tmp/out/texlive/lshortru.pdf" ;;
    *) cp "$found" "$tmp/out/texlive/lshortru.pdf" ;;
esac
lshort_path=${found#"$tmp/debroot"}

# --- LICENSES.txt ------------------------------------------------------------------------
cat >"$tmp/out/LICENSES.txt" <<EOF
Real third-party test files fetched by doctriage's scripts/fetch_real_files.sh.
They are NOT part of doctriage and must not be committed to its repository.

ocrmypdf/  from the OCRmyPDF sdist ocrmypdf-$OCRMYPDF_VERSION.tar.gz (PyPI), tests/resources/
           (licences as stated in that sdist's REUSE.toml)
  linn.pdf, linn.txt, skew.pdf, rotated_skew.pdf
             (C) 1985 Forat Electronics; GFDL-1.2-or-later or CC-BY-SA-3.0
  multipage.pdf
             public domain
  invalid.pdf, type3_font_nomapping.pdf
             (C) 2025 James R. Barlow; CC-BY-SA-4.0

pypdf/     from the pypdf sdist pypdf-$PYPDF_VERSION.tar.gz (PyPI), resources/encryption/
  $(cd "$tmp/out/pypdf" && ls | tr '\n' ' ')
             distributed in that sdist under pypdf's LICENSE (BSD-3-Clause,
             Copyright (c) 2006-2008 Mathieu Fenniak and contributors); no separate
             per-file licence is stated

texlive/   from the Debian package ${TEXLIVE_PACKAGE}_${TEXLIVE_VERSION}_all.deb, $lshort_path
  lshortru.pdf
             the Russian translation of "The Not So Short Introduction to LaTeX2e"
             (TeX Live package lshort-russian); licence: GPL (Debian's
             /usr/share/doc/$TEXLIVE_PACKAGE/Licenses.gz: "lshort-russian: gpl")
EOF

# --- install -----------------------------------------------------------------------------
rm -f "$OUT/.complete"
rm -rf "$OUT/ocrmypdf" "$OUT/pypdf" "$OUT/texlive"
for d in ocrmypdf pypdf texlive; do
    mv "$tmp/out/$d" "$OUT/$d"
    for f in "$OUT/$d"/*; do
        echo "fetched $d/$(basename "$f") ($(stat -c %s "$f") bytes)"
    done
done
mv "$tmp/out/LICENSES.txt" "$OUT/LICENSES.txt"
printf '%s' "$PINS" >"$OUT/.complete"
echo "done: $OUT"
