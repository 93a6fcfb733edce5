#!/usr/bin/env python3
"""Writes the container records of the sample cache: an e-mail with a real PDF attached, a zip
bundle of office files and an mbox mailbox.

    python3 scripts/make_sample_containers.py [CACHE_DIR]        (default: sample_cache)

Needs reportlab 4, python-docx 1 and openpyxl 3 (made with reportlab==4.5.1,
python-docx==1.2.0, openpyxl==3.1.5):

    pip install 'reportlab==4.*' 'python-docx==1.*' 'openpyxl==3.*'

Every text below is invented (SYNTHETIC SAMPLE) and follows the story of
sample_cache/README.md; it names no real company. Zip members carry the fixed time
2022-06-10 12:00:00 and are written in sorted order; the office files' core properties carry
fixed dates; the PDF is written with reportlab's invariant mode. Two runs write the same bytes:

  emails/attachment_2022_06_10_passport_0042.eml
        The e-mail of 10 June 2022 (every header and the body text unchanged) whose attachment
        export_passport_0042.pdf is a one-page PDF with a text layer (NotoSans embedded):
        export passport EP-2022-0042, 40 TS-3 thermal sights and 40 laser rangefinders.
  archive/bundle_2020_10.zip
        Deflated zip: README.txt, letters/letter_2020_10_20_groza_delivery.docx (header,
        footer, a table and a footnote) and tables/shipments_2020.xlsx (sheets "Shipments"
        and "Payments").
  mail/export_desk.mbox
        mboxo mailbox of four messages from 2021: a thread of three (1 <- 2 <- 3, with
        In-Reply-To and References) and one unrelated message; message 2 has a schedule.txt
        attachment; a body line that starts with "From " is written as ">From ".
"""

import base64
import datetime as dt
import io
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FONT = REPO / "assets" / "fonts" / "NotoSans-Regular.ttf"

ZIP_TIME = (2022, 6, 10, 12, 0, 0)
MARKER = "SYNTHETIC SAMPLE - invented record for testing; it names no real company."

# ---------------------------------------------------------------------------------------
# Zip helpers


def zip_bytes(members, compression=zipfile.ZIP_DEFLATED, keep_order=False):
    """members: [(name, bytes)] -> the bytes of a zip with fixed times, in sorted order."""
    buf = io.BytesIO()
    items = members if keep_order else sorted(members, key=lambda m: m[0])
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in items:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = compression
            info.create_system = 3
            info.external_attr = (0o40755 << 16) | 0x10 if name.endswith("/") else 0o100644 << 16
            z.writestr(info, data)
    return buf.getvalue()


def renormalise_zip(data, first=()):
    """Rewrites an office file's zip with fixed member times, in sorted order (`first` names
    go first, as they are, e.g. an ODF `mimetype`)."""
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


# ---------------------------------------------------------------------------------------
# The export passport PDF

PASSPORT_0042 = [
    "# EXPORT PASSPORT No. EP-2022-0042",
    "",
    MARKER,
    "",
    "Date of issue: 10 June 2022",
    "Exporter: State arms-export agency",
    "Manufacturer: Minsk Aiming Systems Works (fictional)",
    "End user: Ministry of Defence of Azerbaijan",
    "Country of destination: Republic of Azerbaijan",
    "Basis: order SAEA/2021/205 of 21 June 2021",
    "",
    "Goods:",
    "1. TS-3 thermal sight - 40 (forty)",
    "2. Laser rangefinder - 40 (forty)",
    "",
    "Consignment EP-2022-0042 cleared for air transport from Minsk to Baku on 10 June 2022.",
    "",
    "The goods are military products. Re-export or transfer to third parties without the "
    "written consent of the State arms-export agency is prohibited.",
    "",
    "For the State arms-export agency",
    "Head of the Export Department (signed) V. D. Lisovsky (fictional)",
]


def wrap_pts(text, fontname, size, width):
    from reportlab.pdfbase.pdfmetrics import stringWidth

    words, lines, cur = text.split(" "), [], ""
    for w in words:
        trial = w if not cur else cur + " " + w
        if stringWidth(trial, fontname, size) <= width or not cur:
            cur = trial
        else:
            lines.append(cur)
            cur = w
    lines.append(cur)
    return lines


def passport_pdf():
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("NotoSans", str(FONT)))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1, pageCompression=1, initialFontName="NotoSans")
    c.setTitle("Export passport EP-2022-0042")
    c.setAuthor("State arms-export agency")
    c.setSubject("SYNTHETIC SAMPLE")
    c.setCreator("doctriage scripts/make_sample_containers.py")
    c.setDateFormatter(lambda *_: "D:20220610160000+03'00'")
    w, h = A4
    y = h - 72
    for line in PASSPORT_0042:
        if line == "":
            y -= 8
            continue
        size = 14 if line.startswith("# ") else 10.5
        text = line[2:] if line.startswith("# ") else line
        c.setFont("NotoSans", size)
        for part in wrap_pts(text, "NotoSans", size, w - 144):
            c.drawString(72, y, part)
            y -= size * 1.45
    c.showPage()
    c.save()
    return buf.getvalue()


# The e-mail as it was, up to the attachment's base64 body (CRLF line ends on the wire).
EML_HEAD = """From: Shipping Department <shipping@masw.example>
To: Export Desk <export.desk@saea.example>
Date: Fri, 10 Jun 2022 17:20:45 +0300
Subject: Export passport 0042 - TS-3 thermal sights shipped
Message-ID: <20220610172045.42@masw.example>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="mixed-boundary-0042"

--mixed-boundary-0042
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Dear colleagues,

SYNTHETIC SAMPLE - invented record for testing; it names no real company.

Today 40 TS-3 thermal sights and 40 laser rangefinders for the Ministry of Defence of Azerbaijan left Minsk by air. A scan of export passport EP-2022-0042 is attached.

Regards,
Shipping Department, Minsk Aiming Systems Works (fictional)

--mixed-boundary-0042
Content-Type: application/pdf; name="export_passport_0042.pdf"
Content-Transfer-Encoding: base64
Content-Disposition: attachment; filename="export_passport_0042.pdf"

"""


def b64_lines(data, width=76):
    s = base64.b64encode(data).decode("ascii")
    return [s[i : i + width] for i in range(0, len(s), width)]


def passport_eml(cache):
    lines = EML_HEAD.split("\n")[:-1] + b64_lines(passport_pdf()) + ["--mixed-boundary-0042--"]
    path = cache / "emails" / "attachment_2022_06_10_passport_0042.eml"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("ascii"))
    return [path]


# ---------------------------------------------------------------------------------------
# The zip bundle

BUNDLE_README = """Bundle 2020-10 (SYNTHETIC SAMPLE)

SYNTHETIC SAMPLE - invented record for testing; it names no real company.

Papers of the export desk of the State arms-export agency for October 2020, packed for the
archive:

  letters/letter_2020_10_20_groza_delivery.docx  letter to Pryazha-Signal OJSC (fictional)
                                                 on the Groza-S delivery schedule
  tables/shipments_2020.xlsx                     shipments and payments of 2020

Packed by the export desk on 30 October 2020.
"""

LETTER_2020_10_20 = [
    "Ref. No. SAEA/2020/231                                Minsk, 20 October 2020",
    "",
    "The General Director",
    "Pryazha-Signal OJSC (fictional)",
    "",
    MARKER,
    "",
    "On the delivery schedule of the Groza-S stations under contract CT-2020-003",
    "",
    "Under contract CT-2020-003 of 1 October 2020 the Agency asks your enterprise to keep to "
    "the following schedule for the four Groza-S mobile counter-drone EW stations ordered for "
    "the armed forces of Azerbaijan.",
]

LETTER_2020_10_20_AFTER = [
    "The first Groza-S station will be accepted at your works in Minsk after the factory "
    "tests; the second Groza-S station will be handed over in Baku to the acceptance team of "
    "the Ministry of Defence of Azerbaijan.",
    "",
    "Please confirm the schedule by 2 November 2020.",
    "",
    "For the State arms-export agency",
    "Head of the Export Department (signed) V. D. Lisovsky (fictional)",
]

SCHEDULE_ROWS = [
    ("Stations", "Factory tests", "Delivery", "Place of hand-over"),
    ("1", "April 2021", "May 2021", "Minsk"),
    ("2", "April 2021", "May 2021", "Baku"),
    ("3-4", "September 2021", "Q4 2021", "Baku"),
]

FOOTNOTE = "Contract CT-2020-003 follows note No. 02-11/2290 of 14 September 2020."

FOOTNOTES_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
    "</w:r></w:p></w:footnote>"
    '<w:footnote w:id="1"><w:p>'
    '<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteRef/></w:r>'
    '<w:r><w:t xml:space="preserve"> {text}</w:t></w:r></w:p></w:footnote>'
    "</w:footnotes>"
)


def add_footnote(doc, paragraph, text):
    """python-docx has no footnote API: adds a footnotes part holding one footnote (id 1)
    and a reference to it at the end of `paragraph`."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml.ns import qn
    from docx.oxml.parser import OxmlElement

    part = Part(
        PackURI("/word/footnotes.xml"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
        FOOTNOTES_XML.format(text=text).encode("utf-8"),
        doc.part.package,
    )
    doc.part.relate_to(part, RT.FOOTNOTES)
    run = paragraph.add_run()
    rpr = OxmlElement("w:rPr")
    va = OxmlElement("w:vertAlign")
    va.set(qn("w:val"), "superscript")
    rpr.append(va)
    run._r.append(rpr)
    ref = OxmlElement("w:footnoteReference")
    ref.set(qn("w:id"), "1")
    run._r.append(ref)


def set_core(props, title, author, when):
    props.title = title
    props.author = author
    props.last_modified_by = author
    props.created = when
    props.modified = when
    props.last_printed = when
    props.revision = 1


def letter_docx():
    import docx

    doc = docx.Document()
    # Leave out the template's thumbnail (a picture of another document) and its custom XML.
    for rid, rel in list(doc.part.package.rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            del doc.part.package.rels[rid]
    for rid, rel in list(doc.part.rels.items()):
        if rel.reltype.endswith("/customXml"):
            del doc.part.rels[rid]
    set_core(
        doc.core_properties,
        "On the delivery schedule of the Groza-S stations",
        "V. D. Lisovsky (fictional)",
        dt.datetime(2020, 10, 20, 9, 30, 0),
    )
    doc.core_properties.subject = "SYNTHETIC SAMPLE"
    doc.core_properties.comments = MARKER
    sec = doc.sections[0]
    sec.header.paragraphs[0].text = "STATE ARMS-EXPORT AGENCY (synthetic) - SYNTHETIC SAMPLE"
    sec.footer.paragraphs[0].text = "Export desk, export.desk@saea.example - page 1 of 1"
    doc.add_heading("STATE ARMS-EXPORT AGENCY (synthetic)", level=1)
    ref_para = None
    for line in LETTER_2020_10_20:
        if line.startswith("Under contract"):
            ref_para = doc.add_paragraph(line)
        elif line:
            doc.add_paragraph(line)
    table = doc.add_table(rows=len(SCHEDULE_ROWS), cols=len(SCHEDULE_ROWS[0]))
    table.style = "Table Grid"
    for r, row in enumerate(SCHEDULE_ROWS):
        for c, cell in enumerate(row):
            table.cell(r, c).text = cell
    for line in LETTER_2020_10_20_AFTER:
        if line:
            doc.add_paragraph(line)
    add_footnote(doc, ref_para, FOOTNOTE)
    buf = io.BytesIO()
    doc.save(buf)
    return renormalise_zip(buf.getvalue())


SHIPMENTS = [
    ("Date", "Reference", "Equipment", "Quantity", "Consignee"),
    (dt.date(2020, 2, 18), "EP-2020-0008", "SUO-12 fire-control kit", 6, "Ministry of Defence of Azerbaijan"),
    (dt.date(2020, 6, 9), "EP-2020-0021", "OV-7M panoramic artillery sight", 12, "Ministry of Defence of Azerbaijan"),
    (dt.date(2020, 9, 3), "EP-2020-0029", "Pryazha-4 jammer spare parts", 20, "Ministry of Defence of Azerbaijan"),
    (dt.date(2020, 10, 12), "EP-2020-0031", "Artillery modernisation kit", 8, "Ministry of Defence of Azerbaijan"),
]

PAYMENTS = [
    ("Date", "Invoice", "Payer", "Amount", "Currency"),
    (dt.date(2020, 3, 16), "inv-2019-002", "Ministry of Defence of Azerbaijan", 252000.00, "USD"),
    (dt.date(2020, 7, 8), "OV-INV-2020-019", "Ministry of Defence of Azerbaijan", 220800.00, "USD"),
    (dt.date(2020, 10, 26), "inv-2020-007", "Ministry of Defence of Azerbaijan", 186400.00, "USD"),
]


def shipments_xlsx():
    import openpyxl

    wb = openpyxl.Workbook()
    set_core(
        wb.properties,
        "Shipments and payments 2020",
        "Export desk (fictional)",
        dt.datetime(2020, 10, 30, 15, 0, 0),
    )
    wb.properties.subject = "SYNTHETIC SAMPLE"
    for ws, rows in ((wb.active, SHIPMENTS), (wb.create_sheet(), PAYMENTS)):
        ws.title = "Shipments" if rows is SHIPMENTS else "Payments"
        for row in rows:
            ws.append(row)
        for cell in ws["A"][1:]:
            cell.number_format = "yyyy-mm-dd"
        ws.append(())
        ws.append((MARKER,))
    for cell in wb["Payments"]["D"][1 : len(PAYMENTS)]:
        cell.number_format = "#,##0.00"
    buf = io.BytesIO()
    # openpyxl stamps `modified` with the time of saving; the rewrite below puts it back.
    wb.save(buf)
    return fix_xlsx_modified(renormalise_zip(buf.getvalue()), "2020-10-30T15:00:00Z")


def fix_xlsx_modified(data, when):
    import re

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        members = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    out = []
    for name, blob in members:
        if name == "docProps/core.xml":
            blob = re.sub(
                rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                rb"\g<1>" + when.encode() + rb"\g<2>",
                blob,
            )
        out.append((name, blob))
    return renormalise_zip(zip_bytes(out))


def bundle_zip(cache):
    path = cache / "archive" / "bundle_2020_10.zip"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(
        zip_bytes(
            [
                ("README.txt", BUNDLE_README.encode("utf-8")),
                ("letters/letter_2020_10_20_groza_delivery.docx", letter_docx()),
                ("tables/shipments_2020.xlsx", shipments_xlsx()),
            ]
        )
    )
    return [path]


# ---------------------------------------------------------------------------------------
# The mbox

MBOX_MESSAGES = [
    (
        "From export.desk@saea.example Mon Mar 15 09:12:00 2021",
        """From: Export Desk <export.desk@saea.example>
To: Shipping Department <shipping@pryazha-signal.example>
Date: Mon, 15 Mar 2021 09:12:00 +0300
Subject: Groza-S stations 1-2: shipment by air in May 2021
Message-ID: <20210315091200.201@saea.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=us-ascii
Content-Transfer-Encoding: 7bit

Dear colleagues,

SYNTHETIC SAMPLE - invented record for testing; it names no real company.

Under contract CT-2020-003 the first two Groza-S stations are to be shipped to Baku
by air in May 2021, after the factory acceptance tests in April 2021.
Please send us the shipping schedule and the weight of each station with its spare parts.

Export Desk
For the State arms-export agency
""",
    ),
    (
        "From shipping@pryazha-signal.example Wed Mar 17 14:05:30 2021",
        """From: Shipping Department <shipping@pryazha-signal.example>
To: Export Desk <export.desk@saea.example>
Date: Wed, 17 Mar 2021 14:05:30 +0300
Subject: Re: Groza-S stations 1-2: shipment by air in May 2021
Message-ID: <20210317140530.77@pryazha-signal.example>
In-Reply-To: <20210315091200.201@saea.example>
References: <20210315091200.201@saea.example>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="mbox-boundary-2021-77"

--mbox-boundary-2021-77
Content-Type: text/plain; charset=us-ascii
Content-Transfer-Encoding: 7bit

Dear colleagues,

SYNTHETIC SAMPLE - invented record for testing; it names no real company.

The schedule is attached (schedule.txt). Each Groza-S station weighs 11.4 t with its
spare parts; both fit one freighter.
From our side the stations will be ready for loading on 12 May 2021.

Shipping Department
Pryazha-Signal OJSC (fictional)

--mbox-boundary-2021-77
Content-Type: text/plain; charset=us-ascii; name="schedule.txt"
Content-Transfer-Encoding: 7bit
Content-Disposition: attachment; filename="schedule.txt"

SYNTHETIC SAMPLE - schedule of the Groza-S stations 1-2 (invented)
2021-04-19  factory acceptance tests begin, Minsk
2021-04-30  acceptance certificate signed
2021-05-12  stations ready for loading
2021-05-14  air shipment to Baku, export passport EP-2021-0035
--mbox-boundary-2021-77--
""",
    ),
    (
        "From export.desk@saea.example Thu Mar 18 10:40:00 2021",
        """From: Export Desk <export.desk@saea.example>
To: Shipping Department <shipping@pryazha-signal.example>
Date: Thu, 18 Mar 2021 10:40:00 +0300
Subject: Re: Groza-S stations 1-2: shipment by air in May 2021
Message-ID: <20210318104000.209@saea.example>
In-Reply-To: <20210317140530.77@pryazha-signal.example>
References: <20210315091200.201@saea.example>
 <20210317140530.77@pryazha-signal.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=us-ascii
Content-Transfer-Encoding: 7bit

Dear colleagues,

SYNTHETIC SAMPLE - invented record for testing; it names no real company.

Thank you. We confirm the air shipment of the two Groza-S stations on 14 May 2021
and will book the freighter.
From 12 May 2021 our inspector will stay at your works until the loading.

Export Desk
For the State arms-export agency
""",
    ),
    (
        "From office@listoval.example Fri Jul  9 08:00:00 2021",
        """From: Listoval Office Supply <office@listoval.example>
To: Export Desk <export.desk@saea.example>
Date: Fri, 09 Jul 2021 08:00:00 +0300
Subject: Your order of printer paper
Message-ID: <20210709080000.5@listoval.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=us-ascii
Content-Transfer-Encoding: 7bit

Hello,

SYNTHETIC SAMPLE - invented record for testing; it names no real company.

Your order of 40 reams of A4 printer paper will be delivered on Monday.

Listoval Office Supply (fictional)
""",
    ),
]


def mbox(cache):
    """mboxo: each message starts with a `From ` line and ends with an empty line; a body line
    that starts with "From " is written as ">From "."""
    out = []
    for sep, msg in MBOX_MESSAGES:
        head, body = msg.split("\n\n", 1)
        out.append(sep)
        out.extend(head.split("\n"))
        out.append("")
        for line in body.split("\n")[:-1]:
            out.append(">" + line if line.startswith("From ") else line)
        out.append("")
    path = cache / "mail" / "export_desk.mbox"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(("\n".join(out) + "\n").encode("ascii"))
    return [path]


def main():
    cache = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "sample_cache"
    (cache / "emails").mkdir(parents=True, exist_ok=True)
    written = []
    for make in (passport_eml, bundle_zip, mbox):
        written += make(cache)
    for p in written:
        print(f"{p.stat().st_size:>8}  {p}")


if __name__ == "__main__":
    main()
