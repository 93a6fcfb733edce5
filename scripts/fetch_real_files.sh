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
#   containers/<kind>/  real mail and office files, one flat folder per kind:
#     msg/       the Outlook .msg samples of the msg_parser crate (data/*.msg)
#     eml/       40 e-mails of the mail-parser crate (resources/eml/{rfc,thirdparty,malformed}),
#                saved as <folder>-<file>.eml
#     mbox/      perceval's mbox test files (tests/data/{mbox,pipermail}/*.mbox), from its
#                sdist on PyPI (the mail-parser crate ships no mbox file)
#     docx/      python-docx's test documents (tests/test_files, features/steps/test_files),
#                from its sdist
#     odt/, ods/ odfpy's examples (tests/examples/*.odt, *.ods, and api-for-odfpy.odt), from
#                its sdist
#     xlsx/, xls/ readxl's example workbooks (extdata/), from Debian's r-cran-readxl package
#   The two crates are doctriage's own dependencies: they are taken from cargo's download
#   cache ($CARGO_HOME/registry/cache), where any build or `cargo fetch` puts them; when they
#   are not there, `cargo fetch --locked` is run once.
# and writes LICENSES.txt (origin, version and licence of each file) and .complete (the pins).
# A second run with the same pins does nothing. Needs python3 with pip, apt-get, dpkg-deb,
# tar and sha256sum, network access to PyPI and the Debian archive, and cargo when the crates
# are not in its cache.
set -euo pipefail

OCRMYPDF_VERSION=16.10.4
OCRMYPDF_SHA256=de749ef5f554b63d57e68d032e7cba5500cbd5030835bf24f658f7b7a04f3dc1
OCRMYPDF_FILES=(linn.pdf linn.txt skew.pdf rotated_skew.pdf multipage.pdf invalid.pdf type3_font_nomapping.pdf)

PYPDF_VERSION=5.4.0
PYPDF_SHA256=9af476a9dc30fcb137659b0dec747ea94aa954933c52cf02ee33e39a16fe9175

TEXLIVE_PACKAGE=texlive-lang-cyrillic
TEXLIVE_VERSION=2022.20230122-1
TEXLIVE_SHA256=a4ad6391ce4890f680aa0ae25b694a42fb5ce7dfc586e45499a85beff4d6e3ea

# containers/. A crate's SHA-256 is the checksum that Cargo.lock records for it.
MSG_PARSER_VERSION=0.3.6
MSG_PARSER_SHA256=5a0453ec98f292962f9972032a09211daaf7482dfbcaed7f9dfa12f0f6a750fb

MAIL_PARSER_VERSION=0.11.9
MAIL_PARSER_SHA256=4ec00bda90c6e645a54506c630c2820cd6b1890cfd2b0a169b50f74b2b8c7c86
MAIL_PARSER_EML_DIRS=(rfc thirdparty malformed) # in this order, until MAIL_PARSER_EML_MAX
MAIL_PARSER_EML_MAX=40

PERCEVAL_VERSION=1.6.1
PERCEVAL_SHA256=592b07d34ae0b382188d3b72c2fc7191091b94b56973dab2aef3221e0bd9721e

PYTHON_DOCX_VERSION=1.2.0
PYTHON_DOCX_SHA256=7bc9d7b7d8a69c9c02ca09216118c86552704edc23bac179283f2e38f86220ce

ODFPY_VERSION=1.4.1
ODFPY_SHA256=db766a6e59c5103212f3cc92ec8dd50a0f3a02790233ed0b52148b70d3c438ec

# An architecture-specific package (it holds a compiled R extension; only its extdata/ is
# read): the pin is that of the amd64 build.
READXL_PACKAGE=r-cran-readxl
READXL_VERSION=1.4.2-1
READXL_ARCH=amd64
READXL_SHA256=eb705525f906c968022162e8e58993a8b444ae900ff0487389769721bdcb4e67

PINS="ocrmypdf==$OCRMYPDF_VERSION sha256:$OCRMYPDF_SHA256
pypdf==$PYPDF_VERSION sha256:$PYPDF_SHA256
$TEXLIVE_PACKAGE=$TEXLIVE_VERSION sha256:$TEXLIVE_SHA256
msg_parser=$MSG_PARSER_VERSION sha256:$MSG_PARSER_SHA256
mail-parser=$MAIL_PARSER_VERSION sha256:$MAIL_PARSER_SHA256 eml:${MAIL_PARSER_EML_DIRS[*]} max:$MAIL_PARSER_EML_MAX
perceval==$PERCEVAL_VERSION sha256:$PERCEVAL_SHA256
python-docx==$PYTHON_DOCX_VERSION sha256:$PYTHON_DOCX_SHA256
odfpy==$ODFPY_VERSION sha256:$ODFPY_SHA256
$READXL_PACKAGE=$READXL_VERSION:$READXL_ARCH sha256:$READXL_SHA256"

# The folders of containers/, and one file of each that a complete fetch has.
CONTAINER_KINDS=(msg eml mbox docx odt ods xlsx xls)
CONTAINER_FILES=(msg/unicode.msg eml/rfc-000.eml mbox/mbox_single.mbox docx/test.docx
    odt/headerfooter.odt ods/pythagoras.ods xlsx/datasets.xlsx xls/datasets.xls)

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
    for f in "${OCRMYPDF_FILES[@]/#/ocrmypdf/}" texlive/lshortru.pdf pypdf/unencrypted.pdf \
        "${CONTAINER_FILES[@]/#/containers/}" LICENSES.txt; do
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
for k in "${CONTAINER_KINDS[@]}"; do
    mkdir -p "$tmp/out/containers/$k"
done

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
    # The sdist's file name may spell the project's name normalised (python-docx: python_docx).
    archive="$dir/$name-$version.tar.gz"
    [[ -f "$archive" ]] || archive="$dir/${name//-/_}-$version.tar.gz"
    [[ -f "$archive" ]] || die "pip did not save $name-$version.tar.gz (got: $(ls "$dir"))"
    check_sha "$archive" "$sha"
    echo "$archive"
}

# deb PACKAGE VERSION SHA256 [ARCH] -> prints the path of the verified .deb
deb() {
    local package=$1 version=$2 sha=$3 arch=${4:-} dir="$tmp/deb-$1" file
    mkdir -p "$dir"
    (cd "$dir" && apt-get download "$package${arch:+:$arch}=$version") >"$tmp/apt-$package.log" 2>&1 || {
        cat "$tmp/apt-$package.log" >&2
        die "apt-get download $package=$version failed (run apt-get update; the pinned version may have left the archive)"
    }
    file=$(find "$dir" -name "${package}_${version}_*.deb" -print -quit)
    [[ -n "$file" ]] || die "apt-get did not save ${package}_${version}_*.deb"
    check_sha "$file" "$sha"
    echo "$file"
}

# crate NAME VERSION SHA256 -> prints the path of the verified .crate in cargo's download cache
crate() {
    local name=$1 version=$2 sha=$3 cache found
    cache="${CARGO_HOME:-$HOME/.cargo}/registry/cache"
    found=$(find "$cache" -maxdepth 2 -name "$name-$version.crate" -print -quit 2>/dev/null || true)
    if [[ -z "$found" ]]; then
        command -v cargo >/dev/null || die "$name-$version.crate is not in $cache and cargo is not installed"
        cargo fetch --locked --manifest-path "$REPO/Cargo.toml" >"$tmp/cargo-fetch.log" 2>&1 || {
            cat "$tmp/cargo-fetch.log" >&2
            die "cargo fetch --locked failed"
        }
        found=$(find "$cache" -maxdepth 2 -name "$name-$version.crate" -print -quit 2>/dev/null || true)
        [[ -n "$found" ]] || die "$name $version is not in cargo's cache even after cargo fetch (is it in Cargo.lock?)"
    fi
    check_sha "$found" "$sha"
    echo "$found"
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
deb=$(deb "$TEXLIVE_PACKAGE" "$TEXLIVE_VERSION" "$TEXLIVE_SHA256")
dpkg-deb -x "$deb" "$tmp/debroot" || die "dpkg-deb -x $(basename "$deb") failed"
found=$(find "$tmp/debroot" \( -name lshortru.pdf -o -name lshortru.pdf.gz \) -print -quit)
[[ -n "$found" ]] || die "lshortru.pdf is not in $(basename "$deb")"
case "$found" in
    *.gz) gzip -dc "$found" >"$tmp/out/texlive/lshortru.pdf" ;;
    *) cp "$found" "$tmp/out/texlive/lshortru.pdf" ;;
esac
lshort_path=${found#"$tmp/debroot"}

# --- containers/msg: msg_parser ----------------------------------------------------------
c="$tmp/out/containers"
archive=$(crate msg_parser "$MSG_PARSER_VERSION" "$MSG_PARSER_SHA256")
top="msg_parser-$MSG_PARSER_VERSION/data"
tar -xzf "$archive" -C "$tmp" --wildcards "$top/*.msg" 2>/dev/null ||
    die "$top/*.msg is not in the msg_parser crate"
mv "$tmp/$top"/*.msg "$c/msg/"

# --- containers/eml: mail-parser ---------------------------------------------------------
archive=$(crate mail-parser "$MAIL_PARSER_VERSION" "$MAIL_PARSER_SHA256")
top="mail-parser-$MAIL_PARSER_VERSION/resources/eml"
n=0
for d in "${MAIL_PARSER_EML_DIRS[@]}"; do
    tar -xzf "$archive" -C "$tmp" --wildcards "$top/$d/*.eml" 2>/dev/null ||
        die "$top/$d/*.eml is not in the mail-parser crate"
    for f in "$tmp/$top/$d"/*.eml; do
        ((n < MAIL_PARSER_EML_MAX)) || break
        mv "$f" "$c/eml/$d-$(basename "$f")"
        n=$((n + 1))
    done
done

# --- containers/mbox: perceval -----------------------------------------------------------
archive=$(sdist perceval "$PERCEVAL_VERSION" "$PERCEVAL_SHA256")
top="perceval-$PERCEVAL_VERSION/tests/data"
tar -xzf "$archive" -C "$tmp" --wildcards "$top/mbox/*.mbox" "$top/pipermail/*.mbox" 2>/dev/null ||
    die "$top/{mbox,pipermail}/*.mbox is not in the perceval sdist"
mv "$tmp/$top"/mbox/*.mbox "$tmp/$top"/pipermail/*.mbox "$c/mbox/"

# --- containers/docx: python-docx --------------------------------------------------------
archive=$(sdist python-docx "$PYTHON_DOCX_VERSION" "$PYTHON_DOCX_SHA256")
top="python_docx-$PYTHON_DOCX_VERSION"
tar -xzf "$archive" -C "$tmp" --wildcards "$top/tests/test_files/*.docx" \
    "$top/features/steps/test_files/*.docx" 2>/dev/null ||
    die "$top/{tests,features/steps}/test_files/*.docx is not in the python-docx sdist"
# Both folders have a sct-inner-content.docx: the one of tests/ is kept (it is moved last).
mv "$tmp/$top"/features/steps/test_files/*.docx "$c/docx/"
mv -f "$tmp/$top"/tests/test_files/*.docx "$c/docx/"

# --- containers/odt, ods: odfpy ----------------------------------------------------------
archive=$(sdist odfpy "$ODFPY_VERSION" "$ODFPY_SHA256")
top="odfpy-$ODFPY_VERSION"
tar -xzf "$archive" -C "$tmp" --wildcards "$top/tests/examples/*.od[ts]" "$top/api-for-odfpy.odt" \
    2>/dev/null || die "$top/tests/examples/*.od[ts] is not in the odfpy sdist"
mv "$tmp/$top"/tests/examples/*.odt "$tmp/$top/api-for-odfpy.odt" "$c/odt/"
mv "$tmp/$top"/tests/examples/*.ods "$c/ods/"

# --- containers/xlsx, xls: r-cran-readxl -------------------------------------------------
deb=$(deb "$READXL_PACKAGE" "$READXL_VERSION" "$READXL_SHA256" "$READXL_ARCH")
dpkg-deb -x "$deb" "$tmp/readxl" || die "dpkg-deb -x $(basename "$deb") failed"
extdata="$tmp/readxl/usr/lib/R/site-library/readxl/extdata"
[[ -d "$extdata" ]] || die "${extdata#"$tmp/readxl"} is not in $(basename "$deb")"
mv "$extdata"/*.xlsx "$c/xlsx/"
mv "$extdata"/*.xls "$c/xls/"

# ls_line DIR -> the names in DIR on one line
ls_line() { (cd "$1" && ls | tr '\n' ' '); }

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
  $(ls_line "$tmp/out/pypdf")
             distributed in that sdist under pypdf's LICENSE (BSD-3-Clause,
             Copyright (c) 2006-2008 Mathieu Fenniak and contributors); no separate
             per-file licence is stated

texlive/   from the Debian package ${TEXLIVE_PACKAGE}_${TEXLIVE_VERSION}_all.deb, $lshort_path
  lshortru.pdf
             the Russian translation of "The Not So Short Introduction to LaTeX2e"
             (TeX Live package lshort-russian); licence: GPL (Debian's
             /usr/share/doc/$TEXLIVE_PACKAGE/Licenses.gz: "lshort-russian: gpl")

containers/msg/
           from the crate msg_parser-$MSG_PARSER_VERSION.crate (crates.io), data/
  $(ls_line "$c/msg")
             MIT (the crate's LICENSE: Copyright (c) 2021 marirs)

containers/eml/
           from the crate mail-parser-$MAIL_PARSER_VERSION.crate (crates.io),
           resources/eml/<folder>/<name>.eml saved as <folder>-<name>.eml ($(ls "$c/eml" | wc -l) files)
  rfc-*.eml  examples from the RFCs; the crate's licence, Apache-2.0 OR MIT
  thirdparty-*.eml, malformed-*.eml
             Copyright (c) 2003-2018 Dovecot authors, MIT (the COPYING file of each folder)

containers/mbox/
           from the perceval sdist perceval-$PERCEVAL_VERSION.tar.gz (PyPI), tests/data/mbox/ and
           tests/data/pipermail/
  $(ls_line "$c/mbox")
             GPL-3.0-or-later (perceval's LICENSE and PKG-INFO)

containers/docx/
           from the python-docx sdist python_docx-$PYTHON_DOCX_VERSION.tar.gz (PyPI),
           tests/test_files/ and features/steps/test_files/ ($(ls "$c/docx" | wc -l) files)
             MIT (the sdist's LICENSE and PKG-INFO)

containers/odt/, containers/ods/
           from the odfpy sdist odfpy-$ODFPY_VERSION.tar.gz (PyPI), tests/examples/ and
           api-for-odfpy.odt
  $(ls_line "$c/odt")
  $(ls_line "$c/ods")
             GPL-2.0-or-later or Apache-2.0, at the user's choice (odfpy's README.md,
             "REDISTRIBUTION LICENSE")

containers/xlsx/, containers/xls/
           from the Debian package ${READXL_PACKAGE}_${READXL_VERSION}_${READXL_ARCH}.deb,
           /usr/lib/R/site-library/readxl/extdata/
  $(ls_line "$c/xlsx")
  $(ls_line "$c/xls")
             readxl (Hadley Wickham and contributors): Debian's copyright file gives GPL-3
             for readxl's R/* and src/*; the package's DESCRIPTION says "MIT + file LICENSE"
EOF

# --- install -----------------------------------------------------------------------------
rm -f "$OUT/.complete"
rm -rf "$OUT/ocrmypdf" "$OUT/pypdf" "$OUT/texlive" "$OUT/containers"
mkdir -p "$OUT/containers"
for d in ocrmypdf pypdf texlive "${CONTAINER_KINDS[@]/#/containers/}"; do
    mv "$tmp/out/$d" "$OUT/$d"
    for f in "$OUT/$d"/*; do
        echo "fetched $d/$(basename "$f") ($(stat -c %s "$f") bytes)"
    done
done
mv "$tmp/out/LICENSES.txt" "$OUT/LICENSES.txt"
printf '%s' "$PINS" >"$OUT/.complete"
echo "done: $OUT"
