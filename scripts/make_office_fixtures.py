#!/usr/bin/env python3
"""Writes the office fixtures of src/ingest/office.rs and src/ingest/workbook.rs into
tests/fixtures/office/ (synthetic, a few KB each).

    pip install python-docx openpyxl odfpy xlwt; python3 scripts/make_office_fixtures.py [OUT_DIR]

report.docx: a body paragraph, a 2x2 table, a header, a footer, a tracked deletion, a comment and
core properties (author, title, dates). report.odt: body, heading, table, a header in styles.xml,
a footnote and an annotation, meta.xml properties. book.xlsx: sheets "Shipments" (a header row, a
date, an integer, a float, a boolean, an error) and "Payments". book.ods: sheet "Data".
book.xls: sheet "Old" (skipped when xlwt is missing).
"""

import datetime
import sys
from pathlib import Path

out = Path(sys.argv[1] if len(sys.argv) > 1 else "tests/fixtures/office")
out.mkdir(parents=True, exist_ok=True)
STAMP = datetime.datetime(2021, 5, 14, 10, 30, 0)


def make_docx():
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    d = docx.Document()
    d.add_paragraph("Body text alpha")
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Cell beta"
    table.cell(0, 1).text = "Cell beta two"
    table.cell(1, 0).text = "Row two left"
    table.cell(1, 1).text = "Row two right"
    p = d.add_paragraph("Kept words ")
    # A tracked deletion: <w:del><w:r><w:delText>…</w:delText></w:r></w:del>
    deletion = OxmlElement("w:del")
    deletion.set(qn("w:id"), "1")
    deletion.set(qn("w:author"), "Fixture Editor")
    deletion.set(qn("w:date"), "2021-05-14T10:31:00Z")
    run = OxmlElement("w:r")
    text = OxmlElement("w:delText")
    text.set(qn("xml:space"), "preserve")
    text.text = "Deleted words omega"
    run.append(text)
    deletion.append(run)
    p._p.append(deletion)
    commented = d.add_paragraph("Commented paragraph")
    d.add_comment(commented.runs, text="Comment mu", author="Fixture Reviewer", initials="FR")
    section = d.sections[0]
    section.header.paragraphs[0].text = "Header gamma"
    section.footer.paragraphs[0].text = "Footer delta"
    cp = d.core_properties
    cp.author = "Fixture Author"
    cp.title = "Fixture title"
    cp.last_modified_by = "Fixture Editor"
    cp.created = STAMP
    cp.modified = STAMP
    cp.subject = "Fixture subject"
    cp.keywords = "alpha, beta"
    d.save(out / "report.docx")
    shrink_docx(out / "report.docx")


def shrink_docx(path):
    """Drops the template's thumbnail and its 0.8 MB of unused styles, so the fixture stays small."""
    import re
    import zipfile

    drop = {"docProps/thumbnail.jpeg", "word/stylesWithEffects.xml"}
    with zipfile.ZipFile(path) as z:
        parts = [(i, z.read(i)) for i in z.infolist() if i.filename not in drop]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in parts:
            if info.filename.endswith(".rels"):
                data = re.sub(rb'<Relationship [^>]*Target="[^"]*(thumbnail|stylesWithEffects)[^"]*"/>', b"", data)
            if info.filename == "word/styles.xml":
                # Only the style definitions the fixture's paragraphs name are kept.
                data = re.sub(rb"<w:latentStyles.*?</w:latentStyles>", b"", data, flags=re.S)
            z.writestr(info.filename, data, zipfile.ZIP_DEFLATED)


def make_odt():
    from odf import meta, dc
    from odf.opendocument import OpenDocumentText
    from odf.style import MasterPage, PageLayout, Header, Footer
    from odf.table import Table, TableColumn, TableRow, TableCell
    from odf.text import H, P, Span, Note, NoteCitation, NoteBody
    from odf.office import Annotation

    d = OpenDocumentText()
    layout = PageLayout(name="Layout1")
    d.automaticstyles.addElement(layout)
    master = MasterPage(name="Standard", pagelayoutname=layout)
    header = Header()
    header.addElement(P(text="ODT header eta"))
    master.addElement(header)
    footer = Footer()
    footer.addElement(P(text="ODT footer"))
    master.addElement(footer)
    d.masterstyles.addElement(master)

    d.text.addElement(H(outlinelevel=1, text="ODT heading"))
    body = P(text="ODT body ")
    body.addElement(Span(text="epsilon"))
    note = Note(id="ftn1", noteclass="footnote")
    note.addElement(NoteCitation(text="1"))
    note_body = NoteBody()
    note_body.addElement(P(text="ODT note theta"))
    note.addElement(note_body)
    body.addElement(note)
    d.text.addElement(body)
    table = Table(name="T1")
    table.addElement(TableColumn(numbercolumnsrepeated=2))
    for left, right in [("ODT cell zeta", "right"), ("second", "row")]:
        row = TableRow()
        for value in (left, right):
            cell = TableCell()
            cell.addElement(P(text=value))
            row.addElement(cell)
        table.addElement(row)
    d.text.addElement(table)
    commented = P(text="ODT commented")
    annotation = Annotation()
    annotation.addElement(dc.Creator(text="Fixture Reviewer"))
    annotation.addElement(P(text="ODT comment nu"))
    commented.addElement(annotation)
    d.text.addElement(commented)

    d.meta.addElement(dc.Title(text="ODT fixture title"))
    d.meta.addElement(meta.InitialCreator(text="Fixture Author"))
    d.meta.addElement(dc.Creator(text="Fixture Editor"))
    d.meta.addElement(meta.CreationDate(text="2021-05-14T10:30:00"))
    d.meta.addElement(dc.Date(text="2021-05-15T09:00:00"))
    d.save(str(out / "report.odt"))


def make_xlsx():
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Shipments"
    ws.append(["Date", "Count", "Weight", "Checked", "Ratio"])
    ws.append([datetime.date(2020, 10, 20), 40, 2.5, True, "#DIV/0!"])
    ws.append([])
    ws.append(["After gap"])
    ws["A2"].number_format = "yyyy-mm-dd"
    pay = wb.create_sheet("Payments")
    pay.append(["Payee", "Amount"])
    pay.append(["Vendor one", 1.0])
    wb.properties.creator = "Fixture Author"
    wb.properties.title = "Fixture workbook"
    wb.properties.created = STAMP
    wb.properties.modified = STAMP
    wb.save(out / "book.xlsx")


def make_ods():
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableRow, TableCell
    from odf.text import P

    d = OpenDocumentSpreadsheet()
    table = Table(name="Data")
    for values in [["ODS cell iota", "x"], ["7"]]:
        row = TableRow()
        for value in values:
            if value.isdigit():
                cell = TableCell(valuetype="float", value=value)
            else:
                cell = TableCell(valuetype="string")
            cell.addElement(P(text=value))
            row.addElement(cell)
        table.addElement(row)
    d.spreadsheet.addElement(table)
    d.save(str(out / "book.ods"))


def make_xls():
    try:
        import xlwt
    except ImportError:
        print("xlwt missing: book.xls not written", file=sys.stderr)
        return
    wb = xlwt.Workbook()
    ws = wb.add_sheet("Old")
    ws.write(0, 0, "XLS cell kappa")
    ws.write(0, 1, 3)
    wb.save(str(out / "book.xls"))


for make in (make_docx, make_odt, make_xlsx, make_ods, make_xls):
    make()
for path in sorted(out.iterdir()):
    print(path, path.stat().st_size)
