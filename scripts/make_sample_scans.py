#!/usr/bin/env python3
"""Writes the scanned-looking records of the sample cache into sample_cache/scans/.

    python3 scripts/make_sample_scans.py [OUT_DIR]        (default: sample_cache/scans)

Needs Pillow 11 and reportlab 4 (made with pillow==11.3.0, reportlab==4.5.1):

    pip install 'pillow==11.*' 'reportlab==4.*'

Every text below is invented (SYNTHETIC SAMPLE) and follows the story of
sample_cache/README.md; it names no real company. The pages are drawn at 300 dpi with the
repository's own font (assets/fonts/NotoSans-Regular.ttf: Latin, Cyrillic and the
Azerbaijani letter ə) and "scanned" with fixed random seeds, so two runs write the same
bytes:

  scan_2020_03_16_letter_ru.png    Russian letter, A4, grey paper, skewed 1.7°, speckle,
                                   16 grey levels (4-bit PNG).
  export_passport_2021_0035.tif    English export passport, two A4 pages, 1-bit, CCITT G4.
  scan_invoice_2019_07_02.pdf      English invoice, one A4 page, 1-bit image only (no text
                                   layer), made by Pillow's PDF writer.
  letter_2020_12_01_ru_en.pdf      Russian letter (page 1) and its English translation
                                   (page 2) with a real text layer (reportlab, NotoSans
                                   embedded), Title/Author/CreationDate set.
  scan_2021_09_08_note_az.png      Azerbaijani note, A5, grey paper, skewed -1.2°, speckle,
                                   16 grey levels (4-bit PNG).
"""

import random
import sys
import time
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

REPO = Path(__file__).resolve().parent.parent
FONT = REPO / "assets" / "fonts" / "NotoSans-Regular.ttf"

DPI = 300
A4 = (2480, 3508)  # 210 x 297 mm at 300 dpi
A5 = (1748, 2480)  # 148 x 210 mm at 300 dpi

# Body text: 30 px NotoSans (7.2 pt) with 40 px lines at 300 dpi; capitals are ~21 px high,
# the size tesseract reads best. Headings are a little larger.
BODY_PX = 30
LINE_PX = 40
HEAD_PX = 36

# ---------------------------------------------------------------------------------------
# The texts. A line that starts with "# " is a heading, "" is an empty line, and a line
# that starts with "| " is kept as it is (no wrapping; columns split by " | ").

LETTER_RU_2020_03_16 = [
    "# ГОСУДАРСТВЕННЫЙ ЭКСПОРТЁР ВООРУЖЕНИЙ (синтетический)",
    "Исх. № SAEA/2020/097 от «16» марта 2020 года",
    "",
    "Генеральному директору",
    "ОАО «Оптовал» (вымышл.)",
    "",
    "SYNTHETIC SAMPLE — вымышленный документ для тестирования; реальные организации "
    "не упоминаются.",
    "",
    "О подготовке оптических блоков для станций РЭБ «Гроза-С»",
    "",
    "В связи с обращением Министерства обороны Азербайджана прошу в срок до «30» апреля "
    "2020 года подготовить предложение на изготовление 4 комплектов оптических блоков для "
    "мобильных станций РЭБ «Гроза-С», а также 12 артиллерийских прицелов ОВ-7М.",
    "",
    "Предложение должно содержать сроки изготовления, цену за единицу продукции и порядок "
    "проведения приёмо-сдаточных испытаний с участием представителей заказчика.",
    "",
    "Прошу также сообщить о возможности поставки запасных частей к станциям РЭБ «Гроза-С» "
    "в течение 2020 года.",
    "",
    "Государственный экспортёр вооружений",
    "заместитель директора (подпись) П. Р. Шаповал (вымышл.)",
    "",
    "Исп. Л. Н. Ковалёнок (вымышл.), тел. 000-00-00",
]

PASSPORT_2021_0035_PAGE1 = [
    "# EXPORT PASSPORT No. EP-2021-0035",
    "Page 1 of 2",
    "",
    "SYNTHETIC SAMPLE - invented record for testing; it names no real company.",
    "",
    "Date of issue: 20 April 2021",
    "Exporter: State arms-export agency",
    "Manufacturer: Pryazha-Signal OJSC (fictional)",
    "Supplier of optical units: Optoval Instruments JSC (fictional)",
    "End user: Ministry of Defence of Azerbaijan",
    "Country of destination: Republic of Azerbaijan",
    "Basis: contract CT-2020-003 of 1 October 2020, invoice PS-2021-002",
    "",
    "Goods:",
    "| No. | Description | Qty",
    "| 1 | Groza-S mobile counter-drone EW station | 2",
    "| 2 | Optical unit for Groza-S (Optoval, fictional) | 2",
    "| 3 | Set of spare parts and tools | 2",
    "",
    "The goods are military products. Re-export or transfer to third parties without the "
    "written consent of the State arms-export agency is prohibited.",
    "",
    "Valid until 31 December 2021.",
]

PASSPORT_2021_0035_PAGE2 = [
    "# EXPORT PASSPORT No. EP-2021-0035",
    "Page 2 of 2",
    "",
    "SYNTHETIC SAMPLE - invented record for testing; it names no real company.",
    "",
    "Shipment record",
    "",
    "Date of shipment: 14 May 2021",
    "Goods shipped: 2 (two) Groza-S mobile counter-drone EW stations,",
    "serial numbers GS-0112 and GS-0113, with optical units and spare parts.",
    "Mode of transport: air freight, flight SAEA-CH-0514 (invented)",
    "Customs post: airport customs post No. 7 (invented)",
    "Consignee: Ministry of Defence of Azerbaijan, Baku",
    "",
    "Acceptance: the consignee's representative confirms receipt of the Groza-S "
    "stations in full and in good order.",
    "",
    "For the State arms-export agency",
    "Head of the Export Department (signed) V. D. Lisovsky (fictional)",
    "",
    "Customs officer (signed) A. M. Zhuravel (fictional)   Stamp",
]

INVOICE_2019_07_02 = [
    "# INVOICE No. OV-INV-2019-047",
    "",
    "SYNTHETIC SAMPLE - invented record for testing; it names no real company.",
    "",
    "Date: 2 July 2019",
    "Seller: Optoval Instruments JSC (fictional)",
    "Buyer: State arms-export agency",
    "End user: Ministry of Defence of Azerbaijan",
    "Basis: order SAEA/2019/114 of 14 March 2019",
    "",
    "| No. | Description | Qty | Unit price, USD | Amount, USD",
    "| 1 | OV-7M panoramic artillery sight | 24 | 18,400.00 | 441,600.00",
    "| 2 | Laser rangefinder for OV-7M | 12 | 9,250.00 | 111,000.00",
    "| 3 | Spare parts kit for OV-7M sights | 6 | 2,100.00 | 12,600.00",
    "",
    "Total: USD 565,200.00 (five hundred sixty-five thousand two hundred US dollars)",
    "",
    "Terms of payment: 100 % within 30 days of the date of this invoice.",
    "Delivery: EXW, the Seller's works, after acceptance tests of the OV-7M sights.",
    "",
    "Chief Accountant (signed) O. S. Rudnitskaya (fictional)",
    "General Director (signed) K. I. Tsvirko (fictional)",
]

LETTER_2020_12_01_RU = [
    "# ГОСУДАРСТВЕННЫЙ ЭКСПОРТЁР ВООРУЖЕНИЙ (синтетический)",
    "Исх. № SAEA/2020/452 от «1» декабря 2020 года",
    "",
    "Директору Минского завода прицельных систем (вымышл.)",
    "",
    "SYNTHETIC SAMPLE — вымышленный документ для тестирования; реальные организации "
    "не упоминаются.",
    "",
    "О поставке тепловизионных прицелов ТС-3",
    "",
    "По поручению Министерства обороны Азербайджана прошу рассмотреть возможность "
    "изготовления в 2021 году 40 тепловизионных прицелов ТС-3 и 40 лазерных дальномеров для "
    "артиллерийских подразделений вооружённых сил Азербайджанской Республики.",
    "",
    "Ответ с предварительной ценой и сроками поставки тепловизионных прицелов ТС-3 прошу "
    "направить до «21» декабря 2020 года.",
    "",
    "Государственный экспортёр вооружений",
    "заместитель директора (подпись) П. Р. Шаповал (вымышл.)",
]

LETTER_2020_12_01_EN = [
    "# STATE ARMS-EXPORT AGENCY (synthetic)",
    "Ref. No. SAEA/2020/452 of 1 December 2020 (English translation)",
    "",
    "To the Director of Minsk Aiming Systems Works (fictional)",
    "",
    "SYNTHETIC SAMPLE - invented record for testing; it names no real company.",
    "",
    "On the supply of TS-3 thermal sights",
    "",
    "On behalf of the Ministry of Defence of Azerbaijan, please consider manufacturing in "
    "2021 forty TS-3 thermal sights and forty laser rangefinders for the artillery units "
    "of the armed forces of the Republic of Azerbaijan.",
    "",
    "Please send your reply with a preliminary price and delivery dates for the TS-3 "
    "thermal sights by 21 December 2020.",
    "",
    "State arms-export agency",
    "Deputy Director (signed) P. R. Shapoval (fictional)",
]

NOTE_AZ_2021_09_08 = [
    "# AZƏRBAYCAN RESPUBLİKASI MÜDAFİƏ NAZİRLİYİ (sintetik)",
    "№ MN/2021/0908                 Bakı, 8 sentyabr 2021-ci il",
    "",
    "Belarus Respublikasının Azərbaycandakı səfirliyinə",
    "",
    "SYNTHETIC SAMPLE — uydurma sənəd; heç bir real şirkətin adı çəkilmir.",
    "",
    "Azərbaycan Respublikası Müdafiə Nazirliyi Belarus Respublikasının Azərbaycandakı "
    "səfirliyinə hörmətini bildirir və 2021-ci ilin may ayında alınmış iki Qroza-S "
    "radioelektron mübarizə stansiyasının sınaqlarının uğurla başa çatdığını bildirir.",
    "",
    "Nazirlik əlavə iki Qroza-S stansiyasının və TS-3 istilik nişangahlarının "
    "tədarükü barədə danışıqları 2021-ci ilin oktyabr ayında davam etdirməyi təklif edir.",
    "",
    "Nazirlik bu fürsətdən istifadə edərək səfirliyə yüksək ehtiramını bir daha təsdiq edir.",
    "",
    "Bakı, 8 sentyabr 2021-ci il",
]


# ---------------------------------------------------------------------------------------
# Drawing


def font(px):
    return ImageFont.truetype(str(FONT), px)


def wrap(text, fnt, width):
    words, lines, cur = text.split(" "), [], ""
    for w in words:
        trial = w if not cur else cur + " " + w
        if fnt.getlength(trial) <= width or not cur:
            cur = trial
        else:
            lines.append(cur)
            cur = w
    lines.append(cur)
    return lines


def draw_page(lines, size, margin=(200, 220), cols=None):
    """Black text on a white greyscale page ("L"); returns the page."""
    page = Image.new("L", size, 255)
    d = ImageDraw.Draw(page)
    body, head = font(BODY_PX), font(HEAD_PX)
    left, top = margin
    width = size[0] - 2 * left
    y = top
    for line in lines:
        if line == "":
            y += LINE_PX // 2 + 6
        elif line.startswith("# "):
            d.text((left, y), line[2:], font=head, fill=0)
            y += int(LINE_PX * 1.4)
        elif line.startswith("| "):
            cells = line[2:].split(" | ")
            xs = cols or [i * width // len(cells) for i in range(len(cells))]
            for x, c in zip(xs, cells):
                d.text((left + x, y), c, font=body, fill=0)
            y += LINE_PX
        else:
            for part in wrap(line, body, width):
                d.text((left, y), part, font=body, fill=0)
                y += LINE_PX
    return page


def skew(page, degrees, fill=255):
    return page.rotate(degrees, resample=Image.BICUBIC, expand=False, fillcolor=fill)


def grey_scan(page, seed, degrees, paper=228):
    """Grey, slightly uneven paper, skew, soft edges and speckle; 16 grey levels ("P")."""
    rng = random.Random(seed)
    w, h = page.size
    text = skew(page, degrees).filter(ImageFilter.GaussianBlur(0.7))
    # Paper: a gentle left-to-right shading plus a darker band along one edge (scanner lid).
    bg = Image.linear_gradient("L").rotate(90).resize((w, h))
    bg = bg.point(lambda v: paper + 8 - v * 14 // 255)
    edge = Image.new("L", (w, h), 255)
    ImageDraw.Draw(edge).rectangle([w - 60, 0, w, h], fill=200)
    bg = ImageChops.multiply(bg, edge)
    out = ImageChops.multiply(bg, text)
    d = ImageDraw.Draw(out)
    for _ in range(w * h // 7000):  # dust and toner specks (about 140 per megapixel)
        x, y, r = rng.randrange(w), rng.randrange(h), rng.choice((1, 1, 1, 2, 2, 3))
        d.ellipse([x, y, x + r, y + r], fill=rng.randrange(80, 180))
    for _ in range(6):  # a few faint hairlines
        x = rng.randrange(w)
        d.line([x, 0, x + rng.randrange(-30, 30), h], fill=paper - 18, width=1)
    # 16 grey levels keep the PNG small (4 bits per pixel, long runs on the paper).
    levels = [i * 17 for i in range(16)]
    pal = Image.new("P", (1, 1))
    pal.putpalette(sum(([v, v, v] for v in levels), []))
    return out.convert("RGB").quantize(palette=pal, dither=Image.Dither.NONE)


def bw_scan(page, seed, degrees, threshold=150, specks=900):
    """A 1-bit office scan: small skew, threshold, a little speckle."""
    rng = random.Random(seed)
    g = skew(page, degrees).filter(ImageFilter.GaussianBlur(0.5))
    bw = g.point(lambda v: 255 if v > threshold else 0).convert("1", dither=Image.Dither.NONE)
    d = ImageDraw.Draw(bw)
    w, h = bw.size
    for _ in range(specks):
        x, y, r = rng.randrange(w), rng.randrange(h), rng.choice((0, 1, 1, 2))
        d.rectangle([x, y, x + r, y + r], fill=0)
    return bw


# ---------------------------------------------------------------------------------------
# The files


def letter_png(out):
    page = draw_page(LETTER_RU_2020_03_16, A4)
    img = grey_scan(page, seed=20200316, degrees=1.7)
    img.save(out / "scan_2020_03_16_letter_ru.png", optimize=True, bits=4, dpi=(DPI, DPI))


def passport_tif(out):
    cols = [0, 140, 1800]
    p1 = bw_scan(draw_page(PASSPORT_2021_0035_PAGE1, A4, cols=cols), seed=2021351, degrees=0.4)
    p2 = bw_scan(draw_page(PASSPORT_2021_0035_PAGE2, A4, cols=cols), seed=2021352, degrees=-0.6)
    p1.save(
        out / "export_passport_2021_0035.tif",
        save_all=True,
        append_images=[p2],
        compression="group4",
        dpi=(DPI, DPI),
    )


def invoice_pdf(out):
    cols = [0, 110, 1040, 1290, 1720]
    page = bw_scan(draw_page(INVOICE_2019_07_02, A4, cols=cols), seed=20190702, degrees=-0.8)
    page.save(
        out / "scan_invoice_2019_07_02.pdf",
        resolution=DPI,
        title="scan_invoice_2019_07_02",
        creationDate=time.strptime("2019-07-03 09:12:00", "%Y-%m-%d %H:%M:%S"),
        modDate=time.strptime("2019-07-03 09:12:00", "%Y-%m-%d %H:%M:%S"),
    )


def letter_text_pdf(out):
    from reportlab.lib.pagesizes import A4 as RL_A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("NotoSans", str(FONT)))
    path = out / "letter_2020_12_01_ru_en.pdf"
    c = canvas.Canvas(
        str(path), pagesize=RL_A4, invariant=1, pageCompression=1, initialFontName="NotoSans"
    )
    c.setTitle("О поставке тепловизионных прицелов ТС-3 / On the supply of TS-3 thermal sights")
    c.setAuthor("P. R. Shapoval (fictional)")
    c.setSubject("SYNTHETIC SAMPLE")
    c.setCreator("doctriage scripts/make_sample_scans.py")
    c.setDateFormatter(lambda *_: "D:20201201103000+03'00'")
    w, h = RL_A4
    for lines in (LETTER_2020_12_01_RU, LETTER_2020_12_01_EN):
        y = h - 72
        for line in lines:
            if line == "":
                y -= 8
                continue
            size = 13 if line.startswith("# ") else 10.5
            text = line[2:] if line.startswith("# ") else line
            c.setFont("NotoSans", size)
            for part in wrap_pts(text, "NotoSans", size, w - 144):
                c.drawString(72, y, part)
                y -= size * 1.45
        c.showPage()
    c.save()


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


def note_png(out):
    page = draw_page(NOTE_AZ_2021_09_08, A5, margin=(150, 180))
    img = grey_scan(page, seed=20210908, degrees=-1.2, paper=232)
    img.save(out / "scan_2021_09_08_note_az.png", optimize=True, bits=4, dpi=(DPI, DPI))


def main():
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "sample_cache" / "scans"
    out.mkdir(parents=True, exist_ok=True)
    for make in (letter_png, passport_tif, invoice_pdf, letter_text_pdf, note_png):
        make(out)
    for p in sorted(out.iterdir()):
        print(f"{p.stat().st_size:>8}  {p}")


if __name__ == "__main__":
    main()
