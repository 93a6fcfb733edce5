#!/usr/bin/env python3
"""Writes the image fixtures of tests/ocr.rs into tests/fixtures/images/ (synthetic).

    pip install 'pillow==11.*'; python3 scripts/make_image_fixtures.py [OUT_DIR]

exif_gps.jpg: a small JPEG of one line of text whose EXIF names an invented camera, serial number,
owner and GPS position — the metadata that can expose a source.
"""

import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

out = Path(sys.argv[1] if len(sys.argv) > 1 else "tests/fixtures/images")
out.mkdir(parents=True, exist_ok=True)
font = ImageFont.truetype(str(Path(__file__).parent.parent / "assets/fonts/NotoSans-Regular.ttf"), 40)
img = Image.new("L", (1200, 200), 255)
ImageDraw.Draw(img).text((40, 60), "SYNTHETIC SAMPLE: Groza-S, 14 May 2021", font=font, fill=0)
exif = Image.Exif()
exif[0x010F] = "Examplecam (invented)"  # Make
exif[0x0110] = "EX-1"  # Model
exif[0x0131] = "ScanTool 2.0 (invented)"  # Software
exif[0x013B] = "A. N. Other (invented)"  # Artist
ifd = exif.get_ifd(0x8769)  # Exif IFD
ifd[0xA431] = "SN-000123 (invented)"  # BodySerialNumber
ifd[0x9003] = "2021:05:14 10:30:00"  # DateTimeOriginal
gps = exif.get_ifd(0x8825)
gps[1] = "N"
gps[2] = (53.0, 54.0, 0.0)
gps[3] = "E"
gps[4] = (27.0, 34.0, 0.0)
img.save(out / "exif_gps.jpg", quality=80, exif=exif)
print(out / "exif_gps.jpg")
