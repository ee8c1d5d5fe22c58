"""What a file really is, from its first bytes rather than its name: an .xlsx (transitional or Strict Open XML),
an old Excel 97-2003 .xls, an HTML table or an Excel 2003 XML Spreadsheet saved under an .xls name, CSV/TSV text — or something
that is not a table at all (PDF, Word, an encrypted workbook, a picture), named so the person knows what to do.

Signatures: ZIP local header "PK\\x03\\x04" (APPNOTE.TXT §4.3.7); OLE2 compound file D0 CF 11 E0 A1 B1 1A E1
([MS-CFB] §2.2), whose directory names the streams (Workbook/Book = BIFF8/BIFF5 [MS-XLS] §2.1.2, EncryptedPackage =
an encrypted OOXML file [MS-OFFCRYPTO] §2.3.4.4, WordDocument = .doc); a raw BIFF2–4 stream starts with a BOF record.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import PurePath

XLSX, XLSX_STRICT, XLS, HTML, XML2003, TEXT = "xlsx", "xlsx_strict", "xls", "html", "xml2003", "text"
TABLE_KINDS = (XLSX, XLSX_STRICT, XLS, HTML, XML2003, TEXT)
# What each file name promises (the note says so when the content is something else).
NAMED_KIND = {".xlsx": XLSX, ".xlsm": XLSX, ".xls": XLS, ".csv": TEXT, ".tsv": TEXT, ".txt": TEXT,
              ".htm": HTML, ".html": HTML}
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
STRICT_SPREADSHEETML = b"http://purl.oclc.org/ooxml/spreadsheetml/main"
_MAGIC = [  # prefix → kind of file that is not a table
    (b"%PDF", "pdf"), (b"{\\rtf", "rtf"), (b"\x89PNG", "image"), (b"\xff\xd8\xff", "image"), (b"GIF8", "image"),
    (b"Rar!", "archive"), (b"MIME-Version:", "mhtml"), (b"7z\xbc\xaf\x27\x1c", "archive"), (b"\x1f\x8b", "archive"),
]
_BIFF_BOF = (b"\x09\x00", b"\x09\x02", b"\x09\x04", b"\x09\x08")  # BOF record of BIFF2, 3, 4 (and 5/8 streams)
_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|table|meta|style|title)\b",
                         re.IGNORECASE | re.DOTALL)
_XML_2003 = b"urn:schemas-microsoft-com:office:spreadsheet"


def _utf16_stream_name(name: str) -> bytes:
    return name.encode("utf-16-le")


def _zip_kind(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            if "xl/workbook.xml" in names:
                head = zf.open("xl/workbook.xml").read(4096)
                return XLSX_STRICT if STRICT_SPREADSHEETML in head else XLSX
            if "xl/workbook.bin" in names:
                return "xlsb"
            if "mimetype" in names:
                mime = zf.read("mimetype")[:100]
                return "ods" if b"spreadsheet" in mime else "odf"
            if any(n.startswith("word/") for n in names):
                return "docx"
            if any(n.startswith("ppt/") for n in names):
                return "pptx"
            # a workbook whose parts are not where [Content_Types].xml says (some exporters) is still tried
            if "[Content_Types].xml" in names and any(n.endswith("workbook.xml") for n in names):
                return XLSX
            return "zip"
    except (zipfile.BadZipFile, ValueError, OSError, RuntimeError, KeyError, EOFError):
        return "broken_zip"


def _ole2_kind(data: bytes) -> str:
    if _utf16_stream_name("EncryptedPackage") in data:
        return "encrypted"
    if _utf16_stream_name("Workbook") in data or _utf16_stream_name("Book") in data:
        return XLS
    if _utf16_stream_name("WordDocument") in data:
        return "doc"
    if _utf16_stream_name("PowerPoint Document") in data:
        return "ppt"
    return XLS  # let xlrd look: it names the problem if there is no workbook stream


def _markup_head(data: bytes) -> bytes:
    """The first bytes as ASCII-compatible text, whatever Unicode form they are in (for HTML/XML sniffing)."""
    head = data[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", errors="ignore").encode("ascii", errors="ignore")
    return head.removeprefix(b"\xef\xbb\xbf")


def sniff_format(data: bytes) -> str:
    """The kind of file `data` is: one of TABLE_KINDS, or a word for what it is instead (pdf, docx, doc, ods, xlsb,
    encrypted, image, archive, zip, broken_zip, xml2003, binary). Reads only the first bytes and the zip directory."""
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return _zip_kind(data)
    if data.startswith(OLE2):
        return _ole2_kind(data)
    if data[:2] in _BIFF_BOF and len(data) > 4 and data[3] == 0:
        return XLS
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    head = _markup_head(data)
    if head.lstrip().startswith(b"<?xml"):
        if _XML_2003 in head:
            return XML2003
        return HTML if re.search(rb"<html\b", head, re.IGNORECASE) else "xml"
    if _HTML_START.match(head) or (head.lstrip().startswith(b"<") and re.search(rb"<table\b", head, re.I)):
        return HTML
    return TEXT


def named_kind(filename: str) -> str | None:
    """The kind the file name promises (None for a name we do not know)."""
    return NAMED_KIND.get(PurePath(filename).suffix.lower())
