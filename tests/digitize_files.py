"""Real files for the digitizing tests: scans drawn with Pillow, PDFs made with reportlab."""

from __future__ import annotations

import io
import random
import struct
import zlib
from pathlib import Path

from PIL import Image, ImageDraw
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas


def scan(width: int = 620, height: int = 877, *, seed: int = 1, mode: str = "L") -> Image.Image:
    """A small scan-like page: grey paper, lines of "text", a little noise."""
    rnd = random.Random(seed)
    image = Image.new("L", (width, height), 240)
    draw = ImageDraw.Draw(image)
    y = 60
    while y < height - 60:
        x = 50
        while x < width - 80:
            word = rnd.randint(15, 60)
            draw.rectangle((x, y, x + word, y + 9), fill=rnd.randint(20, 70))
            x += word + 12
        y += rnd.choice((22, 22, 44))
    for _ in range(width * height // 60):
        image.putpixel((rnd.randrange(width), rnd.randrange(height)), rnd.randint(150, 255))
    return image.convert(mode) if mode != "L" else image


def encode(image: Image.Image, fmt: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def png(seed: int = 1, **options: object) -> bytes:
    with scan(seed=seed) as image:
        return encode(image, "PNG", dpi=(75, 75), **options)


def jpeg(seed: int = 1, *, exif_orientation: int | None = None) -> bytes:
    with scan(seed=seed, mode="RGB") as image:
        options: dict[str, object] = {"quality": 85, "dpi": (75, 75)}
        if exif_orientation is not None:
            exif = Image.Exif()
            exif[0x0112] = exif_orientation
            options["exif"] = exif
        return encode(image, "JPEG", **options)


def tiff_pages(count: int = 3) -> bytes:
    frames = [scan(seed=n) for n in range(count)]
    try:
        return encode(
            frames[0], "TIFF", save_all=True, append_images=frames[1:], compression="tiff_lzw"
        )
    finally:
        for frame in frames:
            frame.close()


def pdf(pages: int = 2, text: str = "Giấy khai sinh") -> bytes:
    out = io.BytesIO()
    document = canvas.Canvas(out, pagesize=A4)
    for number in range(pages):
        document.drawString(72, 760, f"{text} - trang {number + 1}")
        document.showPage()
    document.save()
    return out.getvalue()


def encrypted_pdf() -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf(1))))
    writer.encrypt(user_password="bi-mat", owner_password="bi-mat", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def png_bomb(width: int = 60_000, height: int = 60_000) -> bytes:
    """A PNG that claims 3.6 billion pixels in a few dozen bytes (only its header is real)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1024)
    chunks = chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + chunks


def write(folder: Path, name: str, content: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(content)
    return path
