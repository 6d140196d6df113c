"""Real files for the digitizing tests: scans drawn with Pillow, PDFs made with reportlab."""

from __future__ import annotations

import io
import random
import struct
import zlib
from importlib import resources
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from printing.codes import code128_modules


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


# --- Decompression bombs: small files that declare or inflate to gigabytes. Built here,
# never downloaded; each is a well-formed file a viewer would try to decode.


def raw_pdf(pages: list[bytes], objects: list[bytes]) -> bytes:
    """A PDF written by hand: ``pages`` are page dictionaries (without /Parent), ``objects``
    the further objects they name, numbered from 3 + len(pages) in order."""
    first_extra = 3 + len(pages)
    kids = " ".join(f"{3 + n} 0 R" for n in range(len(pages)))
    bodies = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode(),
        *(page.replace(b"<<", b"<< /Parent 2 0 R", 1) for page in pages),
        *objects,
    ]
    assert len(bodies) == first_extra - 1 + len(objects)
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(bodies, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(bodies) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += (
        f"trailer\n<< /Size {len(bodies) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


def _stream(dictionary: str, data: bytes) -> bytes:
    return f"<< {dictionary} /Length {len(data)} >>\nstream\n".encode() + data + b"\nendstream"


def pdf_content_bomb(pages: int = 23, inflated: int = 74_000_000) -> bytes:
    """Pages whose drawing instructions (``q Q``, doing nothing) inflate a thousandfold.

    The defaults are the file of the report: 1.7 MB that held 1.8 GB once read.
    """
    compressor = zlib.compressobj(9)
    data = compressor.compress(b"q Q\n" * (inflated // 4)) + compressor.flush()
    first = 3 + pages
    page_dicts = [
        f"<< /Type /Page /MediaBox [0 0 595 842] /Contents {first + n} 0 R >>".encode()
        for n in range(pages)
    ]
    return raw_pdf(page_dicts, [_stream("/Filter /FlateDecode", data)] * pages)


def _zeros_deflated(size: int) -> bytes:
    """A zlib stream of ``size`` zero bytes, made in a moment: after the first megabyte every
    flushed megabyte compresses to the same bytes, so they are repeated, not recomputed."""
    block = 1 << 20
    count, rest = divmod(size, block)
    assert count >= 2
    zeros = bytes(block)
    compressor = zlib.compressobj(9)
    first = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    repeated = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    # The window holds only zeros either way, so the rest compresses as it would at the end;
    # the final checksum is of two blocks only and is replaced by that of all of them.
    end = compressor.compress(bytes(rest)) + compressor.flush()
    checksum = zlib.adler32(bytes(rest), 1)
    for _ in range(count):
        checksum = zlib.adler32(zeros, checksum)
    return first + repeated * (count - 1) + end[:-4] + struct.pack(">I", checksum)


def pdf_image_bomb(side: int = 50_000) -> bytes:
    """An A4 page drawing one black-and-white image of side × side pixels, all zeros."""
    data = _zeros_deflated((side + 7) // 8 * side)
    image = _stream(
        f"/Type /XObject /Subtype /Image /Width {side} /Height {side} /ColorSpace /DeviceGray "
        "/BitsPerComponent 1 /Filter /FlateDecode",
        data,
    )
    page = b"<< /Type /Page /MediaBox [0 0 595 842] /Resources << /XObject << /Im0 4 0 R >> >> "
    page += b"/Contents 5 0 R >>"
    return raw_pdf([page], [image, _stream("", b"q 595 0 0 842 0 0 cm /Im0 Do Q")])


def pdf_huge_page(points: int = 14_400) -> bytes:
    """One page of points × points (14,400 is the largest page PDF allows: 200 inches)."""
    page = f"<< /Type /Page /MediaBox [0 0 {points} {points}] /Contents 4 0 R >>".encode()
    return raw_pdf([page], [_stream("", b"0 0 m 100 100 l S")])


def png_blank(width: int, height: int) -> bytes:
    """A real black-and-white PNG of width × height white pixels, a few kilobytes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + b"\xff" * ((width + 7) // 8)
    compressor = zlib.compressobj(9)
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    chunks = chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + chunks


def tiff_bomb(frames: int, width: int, height: int) -> bytes:
    """A multi-page black-and-white TIFF whose pages all share one tiny CCITT G4 strip.

    An all-white G4 page is one bit per row (each row repeats the one above), so
    a page of any size costs a few hundred bytes and every frame decodes whole.
    """
    strip = b"\xff" * ((height + 7) // 8) + b"\x00\x10\x01"
    tags = 8
    ifd_size = 2 + tags * 12 + 4
    out = bytearray(b"II*\x00" + struct.pack("<I", 8 + len(strip)))
    out += strip
    for number in range(frames):
        start = len(out)
        next_ifd = start + ifd_size if number + 1 < frames else 0
        entries = [
            (256, 4, width),  # ImageWidth
            (257, 4, height),  # ImageLength
            (258, 3, 1),  # BitsPerSample
            (259, 3, 4),  # Compression: CCITT G4
            (262, 3, 0),  # Photometric: WhiteIsZero
            (273, 4, 8),  # StripOffsets
            (278, 4, height),  # RowsPerStrip
            (279, 4, len(strip)),  # StripByteCounts
        ]
        out += struct.pack("<H", tags)
        for tag, kind, value in entries:
            out += struct.pack("<HHI", tag, kind, 1)
            out += struct.pack("<HH", value, 0) if kind == 3 else struct.pack("<I", value)
        out += struct.pack("<I", next_ifd)
    return bytes(out)


def pdf_inline_image_bomb(side: int = 50_000) -> bytes:
    """The same image written inside the page's drawing instructions (BI … ID … EI)."""
    data = _zeros_deflated((side + 7) // 8 * side)
    content = (
        f"q 595 0 0 842 0 0 cm BI /W {side} /H {side} /CS /G /BPC 1 /F /Fl ID ".encode()
        + data
        + b"\nEI Q"
    )
    page = b"<< /Type /Page /MediaBox [0 0 595 842] /Contents 4 0 R >>"
    return raw_pdf([page], [_stream("", content)])


def pdf_form_bomb(side: int = 50_000) -> bytes:
    """A page drawing a form (a reusable drawing, like a letterhead) that holds the image."""
    data = _zeros_deflated((side + 7) // 8 * side)
    drawing = f"BI /W {side} /H {side} /CS /G /BPC 1 /F /Fl ID ".encode() + data + b"\nEI"
    form = _stream("/Type /XObject /Subtype /Form /BBox [0 0 1 1]", drawing)
    page = b"<< /Type /Page /MediaBox [0 0 595 842] /Resources << /XObject << /Fm0 4 0 R >> >> "
    page += b"/Contents 5 0 R >>"
    return raw_pdf([page], [form, _stream("", b"q 595 0 0 842 0 0 cm /Fm0 Do Q")])


def pdf_inline_images(count: int, width: int, height: int, *, offset: int) -> bytes:
    """A page drawing ``count`` inline images, the first one's header ``offset`` bytes into
    the page's (compressed) drawing instructions."""
    data = _zeros_deflated((width + 7) // 8 * height)
    image = f"BI /W {width} /H {height} /CS /G /BPC 1 /F /Fl ID ".encode() + data + b"\nEI\n"
    content = b" " * offset + image * count
    page = b"<< /Type /Page /MediaBox [0 0 595 842] /Contents 4 0 R >>"
    return raw_pdf([page], [_stream("/Filter /FlateDecode", zlib.compress(content))])


def pdf_object_stream_bomb(pages: int = 23, padding: int = 74_000_000) -> bytes:
    """Each page dictionary packed alone into an object stream padded to ``padding`` bytes.

    Object streams are found through a cross-reference stream, so the file has one.
    """
    compressor = zlib.compressobj(9)
    tail = compressor.compress(b" " * padding) + compressor.flush()
    first_page, first_stream = 4, 4 + pages
    xref_number = first_stream + pages
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}

    def put(number: int, body: bytes) -> None:
        offsets[number] = len(out)
        out.extend(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")

    kids = " ".join(f"{first_page + n} 0 R" for n in range(pages))
    put(1, b"<< /Type /Catalog /Pages 2 0 R >>")
    put(2, f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode())
    put(3, _stream("", b"0 0 m S"))
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R >> "
    for n in range(pages):
        header = f"{first_page + n} 0 ".encode()
        # The padding compresses once; joined to the page's own bytes it stays one zlib stream.
        head = zlib.compressobj(9)
        data = head.compress(header + page) + head.flush(zlib.Z_FULL_FLUSH)
        spaces = zlib.adler32(b" " * padding, zlib.adler32(header + page))
        body = data + _without_header(tail)[:-4] + struct.pack(">I", spaces)
        put(
            first_stream + n,
            _stream(f"/Type /ObjStm /N 1 /First {len(header)} /Filter /FlateDecode", body),
        )
    rows = [b"\x00" + struct.pack(">IH", 0, 0xFFFF)]
    for number in range(1, xref_number):
        if first_page <= number < first_stream:
            rows.append(b"\x02" + struct.pack(">IH", first_stream + number - first_page, 0))
        else:
            rows.append(b"\x01" + struct.pack(">IH", offsets[number], 0))
    rows.append(b"\x01" + struct.pack(">IH", len(out), 0))
    xref_at = len(out)
    put(
        xref_number,
        _stream(f"/Type /XRef /Size {xref_number + 1} /W [1 4 2] /Root 1 0 R", b"".join(rows)),
    )
    out.extend(f"startxref\n{xref_at}\n%%EOF\n".encode())
    return bytes(out)


def _without_header(stream: bytes) -> bytes:
    return stream[2:]


# --- Full-size A4 scans at 300 dpi: real text in a Vietnamese face, a barcode at real size.

A4_300 = (2480, 3508)
TEXT = (
    "cộng hòa xã hội chủ nghĩa việt nam độc lập tự do hạnh phúc giấy khai sinh họ và tên "
    "ngày tháng năm sinh giới tính dân tộc quốc tịch nơi sinh quê quán nơi cư trú số định "
    "danh cá nhân ủy ban nhân dân phường xã tỉnh chứng thực bản sao từ bản chính"
)


def _font(size: int) -> ImageFont.FreeTypeFont:
    font_file = resources.files("resources").joinpath("fonts", "Tinos-Regular.ttf")
    with resources.as_file(font_file) as font_path:
        return ImageFont.truetype(font_path, size)


def a4_text_scan(
    seed: int,
    *,
    ink: int = 40,
    paper: int = 238,
    barcode: str | None = None,
    line: str | None = None,
) -> Image.Image:
    """An A4 page scanned at 300 dpi in grey: 11-point text lines, blur and paper noise.

    ``barcode`` is drawn as Code 128 at the size a receipt prints it (0.25 mm
    bars, 12 mm high) near the top; ``line`` is a line of 14-point text under it.
    """
    rnd = random.Random(seed)
    words = TEXT.split(" ")
    page = Image.new("L", A4_300, paper)
    draw = ImageDraw.Draw(page)
    font = _font(46)
    y = 300
    if barcode is not None:
        module = 3  # pixels at 300 dpi: 0.254 mm
        x = 250 + 10 * module
        for bar in code128_modules(barcode):
            if bar == "1":
                draw.rectangle((x, y, x + module - 1, y + 142), fill=ink)
            x += module
        y += 200
    if line is not None:
        draw.text((250, y), line, fill=ink, font=_font(58))
        y += 120
    while y < A4_300[1] - 300:
        text_line = " ".join(rnd.choice(words) for _ in range(rnd.randint(6, 13)))
        draw.text((250, y), text_line, fill=ink + rnd.randint(0, 20), font=font)
        y += rnd.choice((72, 72, 72, 144))
    blurred = page.filter(ImageFilter.GaussianBlur(0.8))
    return ImageChops.add(blurred, Image.effect_noise(A4_300, 6), scale=1.0, offset=-128)


def photo(size: tuple[int, int] = (1200, 900), *, colour: bool = True) -> Image.Image:
    """A photo-like picture: smooth gradients and a red disc (or the same in grey)."""
    width, height = size
    gradient = Image.linear_gradient("L").resize(size)
    other = gradient.transpose(Image.Transpose.ROTATE_90).resize(size)
    image = Image.merge("RGB", (gradient, other, ImageChops.invert(gradient)))
    ImageDraw.Draw(image).ellipse(
        (width // 4, height // 4, width // 2, height // 2), fill=(200, 30, 30)
    )
    grain = Image.merge("RGB", [Image.effect_noise(size, 8) for _ in range(3)])
    image = ImageChops.add(image, grain, scale=1.0, offset=-128)  # a camera's grain
    return image if colour else image.convert("L")
