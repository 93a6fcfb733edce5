#!/usr/bin/env python3
"""Writes the PDF fixtures of tests/pdf.rs into tests/fixtures/pdf/ (synthetic text, by hand).

    python3 scripts/make_pdf_fixtures.py [OUT_DIR]

two_pages.pdf (a text layer, two pages, pdfinfo title/author/date), truncated.pdf (its first
third), not_a_pdf.pdf (text with a .pdf name), page_two_without_text.pdf (page 2 is only a grey
rectangle, as a scan without OCR looks to pdftotext), and, when pypdf is installed
(`pip install pypdf`), encrypted_user.pdf (user password) and encrypted_owner_only.pdf.
"""

import sys
from pathlib import Path


def pdf(page_streams, info=None, font="<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"):
    objs = []

    def add(s):
        objs.append(s)
        return len(objs)

    font_id = add(font)
    contents = [add(f"<< /Length {len(t)} >>\nstream\n{t}\nendstream") for t in page_streams]
    pages_id = len(objs) + len(page_streams) + 1
    kids = [
        add(
            f"<< /Type /Page /Parent {pages_id} 0 R /MediaBox [0 0 612 792] "
            f"/Resources << /Font << /F1 {font_id} 0 R >> >> /Contents {c} 0 R >>"
        )
        for c in contents
    ]
    assert add("<< /Type /Pages /Kids [" + " ".join(f"{k} 0 R" for k in kids) + f"] /Count {len(kids)} >>") == pages_id
    info_id = add(info) if info else None
    catalog = add(f"<< /Type /Catalog /Pages {pages_id} 0 R >>")
    out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
    offsets = []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n{o}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{off:010d} 00000 n \n".encode() for off in offsets)
    trailer = f"<< /Size {len(objs) + 1} /Root {catalog} 0 R" + (f" /Info {info_id} 0 R" if info_id else "") + " >>"
    out += f"trailer\n{trailer}\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def text_page(lines):
    esc = lambda l: l.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return "\n".join(["BT", "/F1 12 Tf", "72 720 Td", "14 TL"] + [f"({esc(l)}) Tj T*" for l in lines] + ["ET"])


def main():
    out = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "tests/fixtures/pdf")
    out.mkdir(parents=True, exist_ok=True)
    two = pdf(
        [
            text_page(["SYNTHETIC SAMPLE - invented record for testing.", "Minsk, 14 March 2019", "Order of Groza-S stations."]),
            text_page(["Page two of the letter.", "The OV-7M panoramic artillery sight was delivered."]),
        ],
        info="<< /Title (Order of Groza-S stations) /Author (State arms-export agency \\(synthetic\\)) "
        "/CreationDate (D:20190314093000+03'00') >>",
        font="<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    )
    (out / "two_pages.pdf").write_bytes(two)
    (out / "truncated.pdf").write_bytes(two[: len(two) // 3])
    (out / "not_a_pdf.pdf").write_bytes(b"This is a text file with a .pdf name.\n")
    (out / "page_two_without_text.pdf").write_bytes(
        pdf(["BT /F1 12 Tf 72 720 Td (SYNTHETIC SAMPLE - page one has text.) Tj ET", "0.5 g 72 72 468 648 re f"])
    )
    try:
        from pypdf import PdfReader, PdfWriter
    except ImportError:
        print("pypdf is not installed: the encrypted fixtures are left as they are", file=sys.stderr)
        return
    for name, user in [("encrypted_user.pdf", "s3cret"), ("encrypted_owner_only.pdf", "")]:
        w = PdfWriter()
        for p in PdfReader(out / "two_pages.pdf").pages:
            w.add_page(p)
        w.encrypt(user_password=user, owner_password="owner", algorithm="RC4-128")
        with open(out / name, "wb") as f:
            w.write(f)


if __name__ == "__main__":
    main()
