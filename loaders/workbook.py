"""Every sheet of an Excel workbook as raw cell values, with what a reader must know to choose and trust one: its
visibility, which sheet was active, which cells were formulas (and whether the file stored their results), merged
ranges filled in, and the workbook's date system. .xlsx through openpyxl (Strict Open XML rewritten to transitional
first), .xls through xlrd."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field

VISIBLE, HIDDEN, VERY_HIDDEN = "visible", "hidden", "veryHidden"
# Strict Open XML (ISO/IEC 29500 Strict) names the same parts with other namespaces; openpyxl knows only the
# transitional ones and finds no worksheet in a Strict file (IndexError). The longer prefixes come first.
STRICT_TO_TRANSITIONAL = [
    (b"http://purl.oclc.org/ooxml/spreadsheetml/main", b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"),
    (b"http://purl.oclc.org/ooxml/officeDocument/relationships/extendedProperties",
     b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties"),
    (b"http://purl.oclc.org/ooxml/officeDocument/relationships",
     b"http://schemas.openxmlformats.org/officeDocument/2006/relationships"),
    (b"http://purl.oclc.org/ooxml/officeDocument/extendedProperties",
     b"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"),
    (b"http://purl.oclc.org/ooxml/officeDocument/docPropsVTypes",
     b"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"),
    (b"http://purl.oclc.org/ooxml/drawingml/spreadsheetDrawing",
     b"http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"),
    (b"http://purl.oclc.org/ooxml/drawingml/chart", b"http://schemas.openxmlformats.org/drawingml/2006/chart"),
    (b"http://purl.oclc.org/ooxml/drawingml/main", b"http://schemas.openxmlformats.org/drawingml/2006/main"),
    (b' conformance="strict"', b""),
]


class WorkbookError(ValueError):
    """The workbook cannot be opened; `args[0]` is the library's exception class name."""


@dataclass
class Sheet:
    """One sheet as raw values (str, int, float, datetime …), rows × columns, merged ranges filled."""

    name: str
    state: str = VISIBLE  # visible, hidden or veryHidden
    rows: list[list] = field(default_factory=list)
    total_rows: int = 0  # rows the sheet claims, before any limit
    formula_values: list[tuple[int, int]] = field(default_factory=list)  # formula cells read as their stored result
    formula_texts: list[tuple[int, int]] = field(default_factory=list)  # formula cells with no stored result
    formula_errors: list[tuple[int, int]] = field(default_factory=list)  # stored result is an error (#N/A …)
    formula_blanks: list[tuple[int, int]] = field(default_factory=list)  # no stored result, formula text unknown


@dataclass
class Book:
    sheets: list[Sheet]
    active: int = 0  # index of the sheet the workbook opens on
    date1904: bool = False  # the 1904 date system (ECMA-376 §18.2.28 workbookPr/@date1904; BIFF DATEMODE)
    formulas_known: bool = True  # False when the format's formula cells could not be told apart


def strict_to_transitional(data: bytes) -> bytes:
    """A Strict Open XML package rewritten with transitional namespaces, part by part (same content)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            part = src.read(info)
            if info.filename.lower().endswith((".xml", ".rels")):
                for strict, transitional in STRICT_TO_TRANSITIONAL:
                    part = part.replace(strict, transitional)
            dst.writestr(info.filename, part)
    return out.getvalue()


def _fill_merged(rows: list[list], ranges) -> None:
    """Every cell of a merged range gets the top-left value; `ranges` are 0-based (r0, r1, c0, c1), ends exclusive."""
    for r0, r1, c0, c1 in ranges:
        if r0 >= len(rows) or c0 >= len(rows[r0]):
            continue
        top = rows[r0][c0]
        for r in range(r0, min(r1, len(rows))):
            for c in range(c0, min(c1, len(rows[r]))):
                rows[r][c] = top


def _formula_text(value) -> str:
    text = getattr(value, "text", value)  # ArrayFormula keeps its text in .text
    return str(text) if text is not None else "="


def read_xlsx(data: bytes, max_rows: int, max_cols: int) -> Book:
    """All worksheets of an .xlsx (chartsheets have no cells). Formula cells take the value the file stored
    (openpyxl data_only=True); only where none was stored does the formula text stand in. Raises WorkbookError."""
    import openpyxl

    def load(data_only: bool):
        try:
            return openpyxl.load_workbook(io.BytesIO(data), data_only=data_only, read_only=False)
        except Exception as exc:  # noqa: BLE001 - any parse failure means "not a workbook openpyxl can read"
            raise WorkbookError(type(exc).__name__) from exc

    # openpyxl gives a formula cell either its text (data_only=False) or the result the file stored (True), never
    # both: a workbook with formulas is parsed a second time for the stored results — once, on the first formula
    # cell met, and under the same size limits (loaders.tabular refuses sheet XML past MAX_UNZIPPED_XML first).
    # Each sheet's cells are walked once, at most max_rows × max_cols of them.
    wb = load(False)
    stored = None
    active = wb.active
    book = Book([], wb.worksheets.index(active) if active in wb.worksheets else 0,
                wb.epoch == openpyxl.utils.datetime.CALENDAR_MAC_1904)
    for n, ws in enumerate(wb.worksheets):
        sheet = Sheet(ws.title, ws.sheet_state or VISIBLE, total_rows=ws.max_row)
        for r, row in enumerate(ws.iter_rows(max_row=min(ws.max_row, max_rows), max_col=min(ws.max_column, max_cols))):
            line = []
            for c, cell in enumerate(row):
                if cell.data_type != "f":
                    line.append(cell.value)
                    continue
                stored = stored or load(True)
                result = stored.worksheets[n].cell(r + 1, c + 1)
                if result.value is None:
                    sheet.formula_texts.append((r, c))
                    line.append(_formula_text(cell.value))
                else:
                    (sheet.formula_errors if result.data_type == "e" else sheet.formula_values).append((r, c))
                    line.append(result.value)
            sheet.rows.append(line)
        _fill_merged(sheet.rows, [(g.min_row - 1, g.max_row, g.min_col - 1, g.max_col) for g in ws.merged_cells.ranges])
        book.sheets.append(sheet)
    return book


XLS_STATES = {0: VISIBLE, 1: HIDDEN, 2: VERY_HIDDEN}


def read_xls(data: bytes, max_rows: int, max_cols: int) -> Book:
    """All sheets of an Excel 97-2003 (BIFF) workbook. Date cells become datetimes in the workbook's own date
    system; a formula cell is its stored result, marked from the stream's FORMULA records. Raises
    WorkbookError."""
    import xlrd

    try:
        # formatting_info=True is what makes xlrd report merged cells at all
        wb = xlrd.open_workbook(file_contents=data, formatting_info=True)
    except Exception:  # noqa: BLE001 - retry without formatting (some writers omit it), then give up clearly
        try:
            wb = xlrd.open_workbook(file_contents=data)
        except Exception as exc:  # noqa: BLE001
            raise WorkbookError(type(exc).__name__) from exc
    book = Book([], 0, wb.datemode == 1)
    for n, sh in enumerate(wb.sheets()):
        if sh.sheet_visible:  # WINDOW2 fSelected/"sheet_visible": xlrd's name for the active sheet
            book.active = n
        sheet = Sheet(sh.name, XLS_STATES.get(sh.visibility, HIDDEN), total_rows=sh.nrows)
        for r in range(min(sh.nrows, max_rows)):
            line = []
            for c in range(min(sh.ncols, max_cols)):
                cell = sh.cell(r, c)
                value = cell.value
                if cell.ctype == xlrd.XL_CELL_DATE:
                    try:
                        value = xlrd.xldate.xldate_as_datetime(cell.value, wb.datemode)
                    except (ValueError, OverflowError, xlrd.xldate.XLDateError):
                        pass
                elif cell.ctype == xlrd.XL_CELL_ERROR:
                    sheet.formula_errors.append((r, c))
                    value = xlrd.error_text_from_code.get(cell.value, "#ERR")
                line.append(value)
            sheet.rows.append(line)
        _fill_merged(sheet.rows, sh.merged_cells)
        book.sheets.append(sheet)
    cells = _biff_formula_cells(data)
    if cells is None or len(cells) != len(book.sheets):
        book.formulas_known = False
        return book
    for sheet, found in zip(book.sheets, cells, strict=True):
        for r, c in found:
            if r < len(sheet.rows) and c < len(sheet.rows[r]) and (r, c) not in sheet.formula_errors:
                blank = sheet.rows[r][c] in ("", None)
                (sheet.formula_blanks if blank else sheet.formula_values).append((r, c))
    return book


def _biff_formula_cells(data: bytes) -> list[list[tuple[int, int]]] | None:
    """(row, col) of every FORMULA record, per worksheet in xlrd's order; None when the stream cannot be walked.

    xlrd reads a formula cell's stored result but does not say that it was a formula. BIFF5/8 records are
    (id: u16, size: u16, body) ([MS-XLS] §2.1.4); BOUNDSHEET (0x0085) gives each sheet's BOF position and type
    (0 = worksheet, the only type xlrd lists), FORMULA (0x0006) starts with the cell's row and column."""
    import bisect
    import struct

    from xlrd import compdoc

    try:
        doc = compdoc.CompDoc(data, logfile=io.StringIO())
        stream = doc.get_named_stream("Workbook") or doc.get_named_stream("Book")
    except Exception:  # noqa: BLE001 - not a compound file xlrd can walk: formulas stay unmarked (and said so)
        return None
    if not stream:
        return None
    starts, worksheet, pos = [], [], 0
    formulas: list[tuple[int, int, int]] = []
    while pos + 4 <= len(stream):
        rid, size = struct.unpack_from("<HH", stream, pos)
        body = stream[pos + 4: pos + 4 + size]
        if rid == 0x0085 and len(body) >= 6:
            starts.append(struct.unpack_from("<I", body)[0])
            worksheet.append(body[5] == 0)
        elif rid == 0x0006 and len(body) >= 4:
            formulas.append((pos, *struct.unpack_from("<HH", body)))
        pos += 4 + size
    order = sorted(range(len(starts)), key=starts.__getitem__)
    sorted_starts = [starts[i] for i in order]
    out = {i: [] for i in range(len(starts))}
    for at, r, c in formulas:
        k = bisect.bisect_right(sorted_starts, at) - 1
        if k >= 0:
            out[order[k]].append((r, c))
    return [out[i] for i in range(len(starts)) if worksheet[i]]


XML2003 = "{urn:schemas-microsoft-com:office:spreadsheet}"
EXCEL2003 = "{urn:schemas-microsoft-com:office:excel}"
XML2003_STATES = {"SheetHidden": HIDDEN, "SheetVeryHidden": VERY_HIDDEN}


def _xml_text(data: bytes) -> str:
    """The document as text: expat decodes only UTF-8/16 and Latin-1, so a GB2312/GBK declaration is honoured here."""
    import re

    head = data[:200]
    m = re.match(rb"""\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:-]+)["']""", head.removeprefix(b"\xef\xbb\xbf"))
    codec = m.group(1).decode("ascii").lower() if m else "utf-8"
    codec = {"gb2312": "gb18030", "gbk": "gb18030", "big5": "big5hkscs"}.get(codec, codec)
    try:
        text = data.decode(codec)
    except (LookupError, UnicodeDecodeError) as exc:
        raise WorkbookError(type(exc).__name__) from exc
    return re.sub(r"^\ufeff?\s*<\?xml[^>]*\?>", "", text)


def read_xml2003(data: bytes, max_rows: int, max_cols: int) -> Book:
    """All worksheets of an Excel 2003 XML Spreadsheet (what web systems often export as .xls): ss:Index gaps,
    MergeAcross/MergeDown, ss:Formula with the result stored in <Data>, <Visible>SheetHidden</Visible>,
    <ActiveSheet>. DateTime data is ISO text, so it needs no date system. Raises WorkbookError."""
    import xml.etree.ElementTree as ET  # expat ≥ 2.4 refuses entity-expansion bombs

    try:
        root = ET.fromstring(_xml_text(data))
    except ET.ParseError as exc:
        raise WorkbookError(type(exc).__name__) from exc
    active = root.findtext(f"{EXCEL2003}ExcelWorkbook/{EXCEL2003}ActiveSheet") or "0"
    book = Book([], int(active) if active.strip().isdigit() else 0,
                root.find(f"{EXCEL2003}ExcelWorkbook/{EXCEL2003}Date1904") is not None)
    for ws in root.iter(f"{XML2003}Worksheet"):
        state = ws.findtext(f"{EXCEL2003}WorksheetOptions/{EXCEL2003}Visible") or ""
        sheet = Sheet(ws.get(f"{XML2003}Name") or "", XML2003_STATES.get(state.strip(), VISIBLE))
        merges, r = [], -1
        for row in ws.iter(f"{XML2003}Row"):
            r = int(row.get(f"{XML2003}Index") or r + 2) - 1
            if r >= max_rows:
                break
            while len(sheet.rows) <= r:
                sheet.rows.append([])
            line, c = sheet.rows[r], -1
            for cell in row.iter(f"{XML2003}Cell"):
                c = int(cell.get(f"{XML2003}Index") or c + 2) - 1
                if c >= max_cols:
                    break
                node = cell.find(f"{XML2003}Data")
                value = "".join(node.itertext()) if node is not None else None
                if node is not None and node.get(f"{XML2003}Type") == "Number":
                    try:
                        value = float(value)
                    except ValueError:
                        pass
                if cell.get(f"{XML2003}Formula"):
                    if value in (None, ""):
                        sheet.formula_texts.append((r, c))
                        value = cell.get(f"{XML2003}Formula")
                    else:
                        is_error = node.get(f"{XML2003}Type") == "Error"
                        (sheet.formula_errors if is_error else sheet.formula_values).append((r, c))
                line.extend([None] * (c + 1 - len(line)))
                line[c] = value
                across, down = int(cell.get(f"{XML2003}MergeAcross") or 0), int(cell.get(f"{XML2003}MergeDown") or 0)
                if across or down:
                    merges.append((r, r + down + 1, c, c + across + 1))
                c += across
        width = min(max((len(x) for x in sheet.rows), default=0), max_cols)
        for line in sheet.rows:
            line.extend([None] * (width - len(line)))
        covered = max((r1 for _, r1, _, _ in merges), default=0)  # rows under a MergeDown may have no <Row>
        while len(sheet.rows) < min(covered, max_rows):
            sheet.rows.append([None] * width)
        _fill_merged(sheet.rows, merges)
        sheet.total_rows = len(sheet.rows)
        book.sheets.append(sheet)
    return book
