"""Malformed and hostile files, generated in a temp folder (no binaries in the repo).

Each builder writes one file and returns the reasons an ingestion report may give for
it (regular expressions): the mechanism may differ between library versions (pypdf's
own output cap or our memory cap), but the file must be reported with one of them.
"""

import io
import os
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image
from pypdf import PdfReader, PdfWriter
from reportlab.pdfgen import canvas

MB = 1 << 20


def good_pdf(path: Path, text: str) -> Path:
    pdf = canvas.Canvas(str(path))
    for number, line in enumerate(text.split("\n")):
        pdf.drawString(72, 760 - 16 * number, line)
    pdf.showPage()
    pdf.save()
    return path


def raw_pdf(*objects: bytes, trailer: bytes = b"") -> bytes:
    """A PDF of numbered objects (1 = catalog) with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        trailer,
        xref,
    )
    return bytes(out)


def pdf_stream(data: bytes, entries: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n%s\nendstream" % (len(data), entries, data)


def one_page_pdf(content: bytes, *extra: bytes, page: bytes = b"", content_entries: bytes = b"") -> bytes:
    """Catalog, page tree, one page (objects 1-3), a font (4), the page's content
    stream (5), then `extra` objects from number 6 on."""
    return raw_pdf(
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 5 0 R "
        b"/Resources << /Font << /F1 4 0 R >> %s >> >>" % page,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        pdf_stream(content, content_entries),
        *extra,
    )


def deflate_bomb(unit: bytes, copies: int) -> bytes:
    """zlib data that inflates to `unit` repeated `copies` times, built in milliseconds:
    after a full flush the compressor forgets its history, so every copy of the unit
    compresses to the same bytes and can simply be repeated."""
    compressor = zlib.compressobj(9)
    first = compressor.compress(unit) + compressor.flush(zlib.Z_FULL_FLUSH)
    repeated = compressor.compress(unit) + compressor.flush(zlib.Z_FULL_FLUSH)
    ending = compressor.flush()[:-4]  # the real Adler-32 follows
    checksum = 1
    for _ in range(copies):
        checksum = zlib.adler32(unit, checksum)
    return first + repeated * (copies - 1) + ending + struct.pack(">I", checksum)


def raw_deflate_bomb(unit: bytes, copies: int) -> "ZipMember":
    """A zip member's raw deflate data for `unit` x `copies`, with its CRC-32 and size."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = compressor.compress(unit) + compressor.flush(zlib.Z_FULL_FLUSH)
    repeated = compressor.compress(unit) + compressor.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(copies):
        crc = zlib.crc32(unit, crc)
    return ZipMember(first + repeated * (copies - 1) + compressor.flush(), crc, len(unit) * copies)


@dataclass(frozen=True)
class ZipMember:
    deflated: bytes
    crc: int
    size: int

    @classmethod
    def of(cls, data: bytes) -> "ZipMember":
        compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
        return cls(compressor.compress(data) + compressor.flush(), zlib.crc32(data), len(data))


def zip_of(members: dict[str, ZipMember]) -> bytes:
    """A zip of already deflated members (zipfile insists on compressing them itself)."""
    body, directory = bytearray(), bytearray()
    for name, member in members.items():
        encoded = name.encode()
        sizes = (member.crc, len(member.deflated), member.size, len(encoded))
        directory += struct.pack(
            "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, *sizes, 0, 0, 0, 0, 0, len(body)
        )
        directory += encoded
        body += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, *sizes, 0) + encoded + member.deflated
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(directory), len(body), 0)
    return bytes(body + directory + end)


def docx_with(document: ZipMember) -> bytes:
    """A minimal .docx package around the given word/document.xml."""
    return zip_of(
        {
            "[Content_Types].xml": ZipMember.of(
                b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                b'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
                b'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
                b'<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
                b'officedocument.wordprocessingml.document.main+xml"/></Types>'
            ),
            "_rels/.rels": ZipMember.of(
                b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
                b'2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                b'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
                b"</Relationships>"
            ),
            "word/document.xml": document,
        }
    )


W_NS = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'

# --- the hostile files: name -> (builder, accepted reasons) --------------------------

Builder = Callable[[Path], None]


def truncated_pdf(path: Path) -> None:
    whole = good_pdf(path.with_suffix(".tmp"), "Dit document is afgebroken tijdens het downloaden.")
    data = whole.read_bytes()
    whole.unlink()
    path.write_bytes(data[: len(data) // 3])


def encrypted_pdf(path: Path) -> None:
    source = good_pdf(path.with_suffix(".tmp"), "Vertrouwelijk: begroting van de schepen.")
    writer = PdfWriter(clone_from=PdfReader(source))
    writer.encrypt(user_password="geheim", owner_password="nog-geheimer", algorithm="AES-256")
    source.unlink()
    with path.open("wb") as file:
        writer.write(file)


def flate_bomb_pdf(path: Path) -> None:
    """A page content stream of 9 KB that inflates to 1 GB."""
    path.write_bytes(one_page_pdf(deflate_bomb(b" " * MB, 1024), content_entries=b"/Filter /FlateDecode"))


def operator_flood_pdf(path: Path) -> None:
    """A page with sixty million text-showing operators (60 MB once inflated): under any
    output cap, but far too much work to finish in a few seconds."""
    unit = b"BT /F1 1 Tf 1 1 Td (a) Tj ET\n" * 36_000
    path.write_bytes(one_page_pdf(deflate_bomb(unit, 60), content_entries=b"/Filter /FlateDecode"))


def deeply_nested_pdf(path: Path) -> None:
    depth = 200_000
    nested = b"[" * depth + b"]" * depth
    path.write_bytes(one_page_pdf(b"BT /F1 12 Tf 72 720 Td (Genest) Tj ET", page=b"/Deep " + nested))


def xref_loop_pdf(path: Path) -> None:
    """The trailer's /Prev points back at its own cross-reference table, forever."""
    data = one_page_pdf(b"BT /F1 12 Tf 72 720 Td (Kringverwijzing) Tj ET")
    start = int(data.rsplit(b"startxref\n", 1)[1].split(b"\n")[0])
    path.write_bytes(data.replace(b"/Root 1 0 R ", b"/Root 1 0 R /Prev %d " % start))


def giant_scan_pdf(path: Path) -> None:
    """A 20000 x 20000 pt page whose only content is a 60000 x 60000 pixel scan."""
    side = 60_000
    image = pdf_stream(
        deflate_bomb(b"\xff" * side, side),
        b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8 /Filter /FlateDecode" % (side, side),
    )
    data = one_page_pdf(
        b"q 20000 0 0 20000 0 0 cm /Im1 Do Q", image, page=b"/XObject << /Im1 6 0 R >>"
    ).replace(b"/MediaBox [0 0 595 842]", b"/MediaBox [0 0 20000 20000]")
    path.write_bytes(data)


def self_drawing_form_pdf(path: Path) -> None:
    """A form XObject that draws itself: naive text extraction recurses forever."""
    form = pdf_stream(
        b"/X1 Do",
        b"/Type /XObject /Subtype /Form /BBox [0 0 10 10] /Resources << /XObject << /X1 6 0 R >> >>",
    )
    path.write_bytes(one_page_pdf(b"/X1 Do", form, page=b"/XObject << /X1 6 0 R >>"))


def pageless_pdf(path: Path) -> None:
    path.write_bytes(raw_pdf(b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"))


def png_named_pdf(path: Path) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (200, 100), "white").save(buffer, format="PNG")
    path.write_bytes(buffer.getvalue())


def fifo_named_pdf(path: Path) -> None:
    os.mkfifo(path)


def not_a_zip_docx(path: Path) -> None:
    path.write_text("Dit is geen Word-bestand maar gewone tekst.", encoding="utf-8")


def zip_without_document_docx(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("notities.txt", "geen document.xml hier")


def old_word_docx(path: Path) -> None:
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4096)


def zip_bomb_docx(path: Path) -> None:
    """word/document.xml inflates from under 1 MB to 2 GB."""
    path.write_bytes(docx_with(raw_deflate_bomb(b" " * MB, 2048)))


def entity_bomb_docx(path: Path) -> None:
    """'Billion laughs': nested XML entities that would expand to gigabytes of text."""
    entities = b'<!ENTITY l0 "hahahahaha">' + b"".join(
        b'<!ENTITY l%d "%s">' % (level, b"&l%d;" % (level - 1) * 10) for level in range(1, 10)
    )
    xml = (
        b'<?xml version="1.0"?><!DOCTYPE w:document [%s]><w:document %s><w:body><w:p><w:r>'
        b"<w:t>&l9;</w:t></w:r></w:p></w:body></w:document>" % (entities, W_NS)
    )
    path.write_bytes(docx_with(ZipMember.of(xml)))


def malformed_xml_docx(path: Path) -> None:
    path.write_bytes(docx_with(ZipMember.of(b"<w:document %s><w:body><w:p><w:r><w:t>kapot" % W_NS)))


def deeply_nested_html(path: Path) -> None:
    depth = 100_000
    path.write_text(
        "<html><body>" + "<div>" * depth + "Diep verstopt" + "</div>" * depth + "</body></html>",
        encoding="utf-8",
    )


def broken_html(path: Path) -> None:
    """Unclosed tags, a stray NUL byte and a cut-off end: browsers show it, so must we."""
    path.write_bytes(
        b"<html><head><title>Verslag</title><body><h1>Verslag Midwestoverleg</h1><p>De raad keurt "
        b"de jaarrekening goed.\x00<p>Stemming<table><tr><td>Ravelgem<td>akkoord<p><b>Volgende verg"
    )


def script_only_html(path: Path) -> None:
    path.write_text(
        "<html><head><script>document.write('geen inhoud')</script></head>"
        "<body><nav><a href='/'>Home</a></nav><script>var x = 1;</script></body></html>",
        encoding="utf-8",
    )


def latin1_text(path: Path) -> None:
    path.write_bytes("Verslag van de vergadering: café, één, reüniën.".encode("latin-1"))


def random_bytes_markdown(path: Path) -> None:
    path.write_bytes(bytes(range(128, 256)) * 64)


def empty_markdown(path: Path) -> None:
    path.write_bytes(b"")


def oversized_text(path: Path) -> None:
    """Over the 6 MB limit the test sets (KENNISBANK_MAX_FILE_MB=6)."""
    path.write_text("Een lange zin over de begroting van de vereniging.\n" * 140_000, encoding="utf-8")


def spreadsheet(path: Path) -> None:
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 64)


def symlink_loop(path: Path) -> None:
    other = path.with_name("lus-b.md")
    path.symlink_to(other.name)
    other.symlink_to(path.name)


def symlink_outside(path: Path) -> None:
    secret = path.parent.parent / "buiten-de-map.md"
    secret.write_text("# Geheim\n\nDit bestand ligt buiten de gedeelde map.", encoding="utf-8")
    path.symlink_to(secret)


_DAMAGED = r"damaged|incomplete"
_TOO_MUCH = r"took longer than \d+ s|needed more than \d+ MB|could not be read \(Limit reached"
_TOO_DEEP = r"nested too deeply|took longer than \d+ s|killed by SIG|no text"

BUILDERS: dict[str, Builder] = {
    "afgebroken.pdf": truncated_pdf,
    "versleuteld.pdf": encrypted_pdf,
    "flate-bom.pdf": flate_bomb_pdf,
    "operatorvloed.pdf": operator_flood_pdf,
    "diep-genest.pdf": deeply_nested_pdf,
    "xref-lus.pdf": xref_loop_pdf,
    "reuzenscan.pdf": giant_scan_pdf,
    "zichzelf-tekenend.pdf": self_drawing_form_pdf,
    "zonder-paginas.pdf": pageless_pdf,
    "afbeelding.pdf": png_named_pdf,
    "pijp.pdf": fifo_named_pdf,
    "tekst.docx": not_a_zip_docx,
    "zonder-document.docx": zip_without_document_docx,
    "oud-word.docx": old_word_docx,
    "zip-bom.docx": zip_bomb_docx,
    "entiteit-bom.docx": entity_bomb_docx,
    "kapotte-xml.docx": malformed_xml_docx,
    "diep-genest.html": deeply_nested_html,
    "alleen-script.html": script_only_html,
    "kapot.html": broken_html,
    "latin1.txt": latin1_text,
    "willekeurig.md": random_bytes_markdown,
    "leeg.md": empty_markdown,
    "te-groot.txt": oversized_text,
    "rekenblad.xlsx": spreadsheet,
    "lus-a.md": symlink_loop,  # and lus-b.md
    "naar-buiten.md": symlink_outside,
}

# What the report must say about each file that cannot be indexed.
EXPECTED_FAILURES: dict[str, str] = {
    "afgebroken.pdf": _DAMAGED,
    "versleuteld.pdf": r"password-protected",
    "flate-bom.pdf": _TOO_MUCH,
    "operatorvloed.pdf": _TOO_MUCH,
    "diep-genest.pdf": _TOO_DEEP,
    "reuzenscan.pdf": r"OCR|image could not be decoded|" + _TOO_MUCH,
    "zichzelf-tekenend.pdf": r"no text",
    "zonder-paginas.pdf": r"no pages",
    "afbeelding.pdf": _DAMAGED,
    "pijp.pdf": r"not a regular file",
    "tekst.docx": r"not a zip archive",
    "zonder-document.docx": r"damaged or not a \.docx",
    "oud-word.docx": r"Word 97-2003",
    "zip-bom.docx": r"zip bomb|" + _TOO_MUCH,
    "entiteit-bom.docx": r"damaged|no text",
    "kapotte-xml.docx": r"damaged",
    "diep-genest.html": _TOO_DEEP,
    "alleen-script.html": r"no text",
    "latin1.txt": r"not valid UTF-8 \(byte 0xe9",
    "willekeurig.md": r"not valid UTF-8",
    "leeg.md": r"empty \(0 bytes\)",
    "te-groot.txt": r"over the 6 MB limit",
    "rekenblad.xlsx": r"unsupported file type '\.xlsx'",
    "lus-a.md": r"symbolic link loop",
    "lus-b.md": r"symbolic link loop",
    "naar-buiten.md": r"outside the ingested folder",
}

# Defective files a reader can still read in full: these must be indexed, and found.
READABLE_DESPITE_DEFECTS: dict[str, str] = {
    "xref-lus.pdf": "Kringverwijzing",
    "kapot.html": "De raad keurt de jaarrekening goed",
}
