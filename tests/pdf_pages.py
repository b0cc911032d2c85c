"""A PDF as a printer gets it: each page rendered with poppler's pdftoppm, its QR codes read back with
zbar, its text extracted with pypdf. Shared by the poster and code letter tests."""

import subprocess
from io import BytesIO
from pathlib import Path

from PIL import Image
from pypdf import PdfReader
from pyzbar import pyzbar


def images(pdf: bytes, folder: Path) -> list[Image.Image]:
    """Each page as the printer would put it on paper (poppler), 100 dpi."""
    folder.mkdir(exist_ok=True)
    (folder / "plakat.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "100", "-png", str(folder / "plakat.pdf"), str(folder / "side")], check=True)
    return [Image.open(p) for p in sorted(folder.glob("side*.png"))]


def qr_codes(image: Image.Image) -> list[str]:
    return [found.data.decode("utf-8") for found in pyzbar.decode(image) if found.type == "QRCODE"]


def texts(pdf: bytes) -> list[str]:
    """Each page's text, with a wrapped line joined to the next by one space."""
    return [" ".join(page.extract_text().split()) for page in PdfReader(BytesIO(pdf)).pages]
