#!/usr/bin/env python3
"""Writes the container and office fixtures of the archive, mailbox and office-file tests into
tests/fixtures/containers/ (synthetic texts; tests/fixtures/containers/README.md lists every
file and the phrases a test can look for).

    python3 scripts/make_container_fixtures.py [OUT_DIR]

Needs python-docx 1, openpyxl 3, odfpy 1.4 and xlwt 1.3 (made with python-docx==1.2.0,
openpyxl==3.1.5, odfpy==1.4.1, xlwt==1.3.0):

    pip install 'python-docx==1.*' 'openpyxl==3.*' 'odfpy==1.4.*' 'xlwt==1.3.*'

Zip members carry the fixed time 2022-06-10 12:00:00, tar members mtime 1654862400
(2022-06-10 12:00:00 UTC), uid/gid 0 and owner "doctriage"; gzip headers carry mtime 0 and no
file name; the office files' core properties carry fixed dates. Two runs write the same bytes.

  plain.zip                a.txt, sub/b.json, c.bin (unsupported bytes), empty/ (deflate)
  traversal.zip            ../../evil.txt and /abs/path.txt, raw names
  nested.zip               inner.zip > deep.txt
  nested12.zip             level1.zip > level2.zip > ... > level12.zip > bottom.txt
  corrupt.zip              the first half of plain.zip
  badcrc.zip               one stored member whose bytes were changed after its CRC was written
  bundle.tar               a.txt, dir/, dir/b.md (ustar)
  bundle.tar.gz, bundle.tgz  the same tar, gzip-compressed
  with_attachments.eml     multipart/mixed: text body, notes.txt, docs.zip, a message/rfc822
  thread.mbox              three messages, 1 <- 2 (In-Reply-To) and 3 -> 2 (References only)
  letter.odt, sheet.ods    OpenDocument text (heading, paragraphs, table, header, footer) and
                           spreadsheet
  letter.docx, sheet.xlsx, sheet.xls   Office files (docx with header, footer, table)
  page.html                a title, a script and a style block, and body text
"""

import base64
import datetime as dt
import gzip
import io
import sys
import tarfile
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ZIP_TIME = (2022, 6, 10, 12, 0, 0)
TAR_MTIME = 1654862400  # 2022-06-10 12:00:00 UTC
FIXED = dt.datetime(2022, 6, 10, 12, 0, 0)


# ---------------------------------------------------------------------------------------
# Zip


def zip_bytes(members, compression=zipfile.ZIP_DEFLATED, sort=True):
    """members: [(name, bytes)]; a name ending in "/" is a directory entry. Names are written
    exactly as given (no normalisation), with fixed times."""
    buf = io.BytesIO()
    items = sorted(members, key=lambda m: m[0]) if sort else members
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in items:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.filename = name  # as given: ZipInfo() could rewrite separators
            info.compress_type = zipfile.ZIP_STORED if name.endswith("/") else compression
            info.create_system = 3
            if name.endswith("/"):
                info.external_attr = (0o40755 << 16) | 0x10
            else:
                info.external_attr = 0o100644 << 16
            z.writestr(info, data)
    return buf.getvalue()


def renormalise_zip(data, first=()):
    """An office file's zip again, with fixed member times and sorted members (the `first`
    names first, e.g. an ODF `mimetype`, stored)."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        members = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    head = [m for f in first for m in members if m[0] == f]
    rest = sorted((m for m in members if m[0] not in first), key=lambda m: m[0])
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, blob in head + rest:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            z.writestr(info, blob)
    return buf.getvalue()


PLAIN_JSON = b'{"id":"zip-json-1","kind":"letter","date":"2020-01-02","text":"Zip member json beta"}\n'
C_BIN = bytes([0x9F, 0x3A, 0xE1, 0x07, 0xC4, 0x5D, 0xB2, 0x68])


def plain_zip():
    return zip_bytes(
        [
            ("a.txt", b"Zip member text alpha\n"),
            ("sub/b.json", PLAIN_JSON),
            ("c.bin", C_BIN),
            ("empty/", b""),
        ]
    )


def traversal_zip():
    return zip_bytes(
        [
            ("../../evil.txt", b"traversal text gamma\n"),
            ("/abs/path.txt", b"absolute text delta\n"),
        ],
        sort=False,
    )


def nested_zip():
    inner = zip_bytes([("deep.txt", b"nested text epsilon\n")])
    return zip_bytes([("inner.zip", inner)])


def nested12_zip():
    """nested12.zip holds level1.zip, which holds level2.zip, ..., level12.zip holds
    bottom.txt: twelve zips inside the file, bottom.txt thirteen containers down."""
    data = zip_bytes([("bottom.txt", b"bottom text at level twelve\n")])
    for level in range(12, 0, -1):
        data = zip_bytes([(f"level{level}.zip", data)])  # the bytes of level{level - 1}
    return data


def corrupt_zip():
    data = plain_zip()
    return data[: len(data) // 2]


BADCRC_TEXT = b"Stored member text psi\n"
BADCRC_ALTERED = b"Stored member TEXT psi\n"


def badcrc_zip():
    data = zip_bytes([("crc.txt", BADCRC_TEXT)], compression=zipfile.ZIP_STORED)
    i = data.index(BADCRC_TEXT)
    assert data.count(BADCRC_TEXT) == 1
    return data[:i] + BADCRC_ALTERED + data[i + len(BADCRC_TEXT) :]


# ---------------------------------------------------------------------------------------
# Tar


def tar_bytes():
    def fixed(ti):
        ti.mtime = TAR_MTIME
        ti.uid = ti.gid = 0
        ti.uname = ti.gname = "doctriage"
        return ti

    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.USTAR_FORMAT) as t:
        for name, data in (
            ("a.txt", b"Tar member text zeta\n"),
            ("dir/", None),
            ("dir/b.md", b"# Tar markdown\n\nTar member markdown text zeta two.\n"),
        ):
            ti = tarfile.TarInfo(name.rstrip("/"))
            if data is None:
                ti.type, ti.mode = tarfile.DIRTYPE, 0o755
                t.addfile(fixed(ti))
            else:
                ti.size, ti.mode = len(data), 0o644
                t.addfile(fixed(ti), io.BytesIO(data))
    return buf.getvalue()


def tar_gz_bytes():
    return gzip.compress(tar_bytes(), compresslevel=9, mtime=0)


# ---------------------------------------------------------------------------------------
# Mail


def b64_lines(data, width=76):
    s = base64.b64encode(data).decode("ascii")
    return "\r\n".join(s[i : i + width] for i in range(0, len(s), width))


def crlf(text):
    return text.replace("\n", "\r\n").encode("ascii")


def with_attachments_eml():
    docs = zip_bytes([("inner.txt", b"attached zip text iota\n")])
    text = f"""From: Fixture Sender <sender@fixture.example>
To: Fixture Recipient <recipient@fixture.example>
Date: Fri, 10 Jun 2022 12:00:00 +0000
Subject: Fixture with attachments
Message-ID: <attachments.1@fixture.example>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="fixture-outer"

This is a multi-part message in MIME format.

--fixture-outer
Content-Type: text/plain; charset=us-ascii
Content-Transfer-Encoding: 7bit

Mail body eta

--fixture-outer
Content-Type: text/plain; charset=us-ascii; name="notes.txt"
Content-Transfer-Encoding: 7bit
Content-Disposition: attachment; filename="notes.txt"

Attachment text theta

--fixture-outer
Content-Type: application/zip; name="docs.zip"
Content-Transfer-Encoding: base64
Content-Disposition: attachment; filename="docs.zip"

{b64_lines(docs)}

--fixture-outer
Content-Type: message/rfc822
Content-Disposition: attachment; filename="forwarded.eml"

From: Forwarder <forwarder@fixture.example>
To: Fixture Sender <sender@fixture.example>
Date: Thu, 09 Jun 2022 08:30:00 +0000
Subject: Forwarded kappa
Message-ID: <forwarded.1@fixture.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=us-ascii
Content-Transfer-Encoding: 7bit

Forwarded body kappa

--fixture-outer--
"""
    return crlf(text)


THREAD = [
    (
        "From first@fixture.example Mon Jan  4 09:00:00 2021",
        """From: First Writer <first@fixture.example>
To: Second Writer <second@fixture.example>
Date: Mon, 04 Jan 2021 09:00:00 +0000
Subject: Thread start
Message-ID: <thread.1@fixture.example>

Mbox first body
""",
    ),
    (
        "From second@fixture.example Tue Jan  5 10:30:00 2021",
        """From: Second Writer <second@fixture.example>
To: First Writer <first@fixture.example>
Date: Tue, 05 Jan 2021 10:30:00 +0000
Subject: Re: Thread start
Message-ID: <thread.2@fixture.example>
In-Reply-To: <thread.1@fixture.example>
References: <thread.1@fixture.example>

Mbox second body
From here on the line was quoted in the mbox.
""",
    ),
    (
        "From third@fixture.example Wed Jan  6 11:45:00 2021",
        """From: Third Writer <third@fixture.example>
To: Second Writer <second@fixture.example>
Date: Wed, 06 Jan 2021 11:45:00 +0000
Subject: Re: Re: Thread start
Message-ID: <thread.3@fixture.example>
References: <thread.1@fixture.example> <thread.2@fixture.example>

Mbox third body
""",
    ),
]


def thread_mbox():
    out = []
    for sep, msg in THREAD:
        head, body = msg.split("\n\n", 1)
        out.append(sep)
        out.extend(head.split("\n"))
        out.append("")
        for line in body.split("\n")[:-1]:
            out.append(">" + line if line.startswith("From ") else line)
        out.append("")
    return ("\n".join(out) + "\n").encode("ascii")


# ---------------------------------------------------------------------------------------
# Office files


def letter_odt():
    from odf import style, table, text
    from odf.opendocument import OpenDocumentText

    doc = OpenDocumentText()
    layout = style.PageLayout(name="Page")
    doc.automaticstyles.addElement(layout)
    master = style.MasterPage(name="Standard", pagelayoutname=layout)
    header = style.Header()
    header.addElement(text.P(text="ODT header mu"))
    footer = style.Footer()
    footer.addElement(text.P(text="ODT footer mu-two"))
    master.addElement(header)
    master.addElement(footer)
    doc.masterstyles.addElement(master)
    doc.text.addElement(text.H(outlinelevel=1, text="ODT heading"))
    doc.text.addElement(text.P(text="ODT body lambda"))
    doc.text.addElement(text.P(text="ODT second paragraph lambda-two"))
    t = table.Table(name="Table1")
    t.addElement(table.TableColumn(numbercolumnsrepeated=2))
    for row in (("ODT cell A1", "ODT cell B1"), ("ODT cell A2", "ODT cell B2")):
        tr = table.TableRow()
        for cell in row:
            tc = table.TableCell(valuetype="string")
            tc.addElement(text.P(text=cell))
            tr.addElement(tc)
        t.addElement(tr)
    doc.text.addElement(t)
    return odf_bytes(doc)


def sheet_ods():
    from odf import table, text
    from odf.opendocument import OpenDocumentSpreadsheet

    doc = OpenDocumentSpreadsheet()
    t = table.Table(name="Data")
    for row in (("ODS header", "Number"), ("ODS cell nu", 42)):
        tr = table.TableRow()
        for cell in row:
            if isinstance(cell, int):
                tc = table.TableCell(valuetype="float", value=cell)
            else:
                tc = table.TableCell(valuetype="string")
            tc.addElement(text.P(text=str(cell)))
            tr.addElement(tc)
        t.addElement(tr)
    doc.spreadsheet.addElement(t)
    return odf_bytes(doc)


def odf_bytes(doc):
    from odf import dc, meta

    doc.meta.addElement(dc.Title(text="Fixture"))
    doc.meta.addElement(meta.InitialCreator(text="Fixture Author"))
    doc.meta.addElement(meta.CreationDate(text="2022-06-10T12:00:00"))
    buf = io.BytesIO()
    doc.write(buf)
    return renormalise_zip(buf.getvalue(), first=("mimetype",))


def letter_docx():
    import docx

    doc = docx.Document()
    # Leave out the template's thumbnail, custom XML and stylesWithEffects parts: the
    # fixture stays small.
    pkg = doc.part.package
    for rid, rel in list(pkg.rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            del pkg.rels[rid]
    for rid, rel in list(doc.part.rels.items()):
        if rel.reltype.endswith(("/customXml", "/stylesWithEffects")):
            del doc.part.rels[rid]
    cp = doc.core_properties
    cp.author = "Fixture Author"
    cp.last_modified_by = "Fixture Author"
    cp.title = "DOCX fixture"
    cp.created = cp.modified = cp.last_printed = FIXED
    cp.revision = 1
    sec = doc.sections[0]
    sec.header.paragraphs[0].text = "DOCX header omicron"
    sec.footer.paragraphs[0].text = "DOCX footer pi"
    doc.add_heading("DOCX heading", level=1)
    doc.add_paragraph("DOCX body xi")
    t = doc.add_table(rows=2, cols=2)
    t.cell(0, 0).text = "DOCX cell rho"
    t.cell(0, 1).text = "DOCX cell B1"
    t.cell(1, 0).text = "DOCX cell A2"
    t.cell(1, 1).text = "DOCX cell B2"
    doc.add_paragraph("DOCX last paragraph")
    buf = io.BytesIO()
    doc.save(buf)
    return renormalise_zip(buf.getvalue())


def sheet_xlsx():
    import re

    import openpyxl

    wb = openpyxl.Workbook()
    p = wb.properties
    p.creator = p.lastModifiedBy = "Fixture Author"
    p.created = p.modified = FIXED
    ws = wb.active
    ws.title = "First"
    ws.append(("XLSX cell sigma", 1))
    ws2 = wb.create_sheet("Second")
    ws2.append(("XLSX cell tau", 2))
    buf = io.BytesIO()
    wb.save(buf)
    # openpyxl stamps `modified` with the time of saving: put the fixed time back.
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as z:
        members = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    out = []
    for name, blob in members:
        if name == "docProps/core.xml":
            blob = re.sub(
                rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                rb"\g<1>2022-06-10T12:00:00Z\g<2>",
                blob,
            )
        out.append((name, blob))
    return zip_bytes(out)


def sheet_xls():
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("Old")
    ws.write(0, 0, "XLS cell upsilon")
    ws.write(0, 1, 3)
    ws.write(1, 0, "XLS second row")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


PAGE_HTML = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>HTML title phi</title>
<style>
body { font-family: sans-serif; } /* HTML style must not show */
</style>
<script>
var hidden = "HTML script must not show";
document.title = hidden;
</script>
</head>
<body>
<h1>HTML heading</h1>
<p>HTML body chi</p>
<p>Second paragraph &amp; an entity: caf&eacute;.</p>
</body>
</html>
"""


FILES = {
    "plain.zip": plain_zip,
    "traversal.zip": traversal_zip,
    "nested.zip": nested_zip,
    "nested12.zip": nested12_zip,
    "corrupt.zip": corrupt_zip,
    "badcrc.zip": badcrc_zip,
    "bundle.tar": tar_bytes,
    "bundle.tar.gz": tar_gz_bytes,
    "bundle.tgz": tar_gz_bytes,
    "with_attachments.eml": with_attachments_eml,
    "thread.mbox": thread_mbox,
    "letter.odt": letter_odt,
    "sheet.ods": sheet_ods,
    "letter.docx": letter_docx,
    "sheet.xlsx": sheet_xlsx,
    "sheet.xls": sheet_xls,
    "page.html": lambda: PAGE_HTML.encode("utf-8"),
}


def main():
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "tests" / "fixtures" / "containers"
    out.mkdir(parents=True, exist_ok=True)
    total = 0
    for name, make in FILES.items():
        data = make()
        (out / name).write_bytes(data)
        total += len(data)
        print(f"{len(data):>8}  {out / name}")
    print(f"{total:>8}  total")


if __name__ == "__main__":
    main()
