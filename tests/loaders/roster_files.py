"""Builders for roster files the way offices send them, made in the test from the real 2019 national roster
(data/roster.csv, 民函〔2019〕41号): workbooks with hidden sheets and stored formulas, Strict Open XML packages,
HTML tables saved as .xls, text in every encoding."""

from __future__ import annotations

import io
import zipfile
from functools import lru_cache
from html import escape

import openpyxl
import xlsxwriter
import xlwt

from loaders.roster import read_roster_csv


@lru_cache(maxsize=1)
def roster_2019() -> tuple[tuple[str, str, str], ...]:
    """(province, county-or-prefecture, unit_name) of the 31 zones of 2019."""
    df = read_roster_csv()
    df = df[df.batch == "2019"]
    return tuple(zip(df.province, df.county.where(df.county != "", df.prefecture), df.unit_name, strict=True))


HEADER = ["省份", "区县", "实验单位"]


def roster_rows(n: int | None = None) -> list[list[str]]:
    return [list(r) for r in roster_2019()[:n]]


def csv_text(rows, header=HEADER, sep=",") -> str:
    return "\n".join(sep.join(r) for r in [header, *rows]) + "\n"


def workbook_bytes(wb) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def xlsx(sheets: list[tuple[str, list[list], str]], active: int | None = None, date1904: bool = False) -> bytes:
    """An openpyxl workbook: (title, rows, state) per sheet, state visible/hidden/veryHidden."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows, state in sheets:
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
        ws.sheet_state = state
    if active is not None:
        wb.active = active
    if date1904:
        wb.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    return workbook_bytes(wb)


def xls(sheets: list[tuple[str, list[list], bool]]) -> bytes:
    """An Excel 97-2003 workbook (xlwt): (title, rows, hidden) per sheet."""
    wb = xlwt.Workbook(encoding="utf-8")
    for title, rows, hidden in sheets:
        ws = wb.add_sheet(title)
        for r, row in enumerate(rows):
            for c, v in enumerate(row):
                ws.write(r, c, v)
        if hidden:
            ws.visibility = 1
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def xlsx_with_formulas(rows: list[list], formulas: dict[tuple[int, int], tuple[str, object]],
                       lookup: list[list] | None = None, hide_lookup: bool = True) -> bytes:
    """An xlsxwriter workbook (like Excel, it stores each formula's result): `formulas` maps (row, col) of the
    data rows to (formula, stored result); result None writes the formula with no stored value."""
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet("名单")
    if lookup is not None:
        lk = wb.add_worksheet("lists")
        for r, row in enumerate(lookup):
            lk.write_row(r, 0, row)
        if hide_lookup:
            lk.hide()
    write_cells(ws, rows, formulas)
    wb.close()
    return without_missing_results(buf.getvalue(), formulas)


def write_cells(ws, rows: list[list], formulas: dict[tuple[int, int], tuple[str, object]]) -> None:
    """Rows into an xlsxwriter sheet; the cells in `formulas` get (formula, stored result) instead."""
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            if (r, c) in formulas:
                formula, result = formulas[(r, c)]
                ws.write_formula(r, c, formula, None, result if result is not None else "")
            else:
                ws.write(r, c, v)


def without_missing_results(data: bytes, formulas: dict[tuple[int, int], tuple[str, object]]) -> bytes:
    return drop_cached_values(data) if any(result is None for _, result in formulas.values()) else data


def drop_cached_values(data: bytes) -> bytes:
    """xlsxwriter always writes a <v> for a formula; a file saved by a tool that never calculates has none."""
    import re

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            part = src.read(info)
            if info.filename.startswith("xl/worksheets/"):
                part = re.sub(rb"(<f>[^<]*</f>)<v></v>", rb"\1", part)
                part = re.sub(rb'(<c [^>]*?) t="str"(>\s*<f>[^<]*</f></c>)', rb"\1\2", part)
            dst.writestr(info, part)
    return out.getvalue()


TRANSITIONAL = ("http://schemas.openxmlformats.org/spreadsheetml/2006/main",
                "http://schemas.openxmlformats.org/officeDocument/2006/relationships")
STRICT = ("http://purl.oclc.org/ooxml/spreadsheetml/main", "http://purl.oclc.org/ooxml/officeDocument/relationships")


def cell_xml(ref: str, value) -> str:
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'


def rows_xml(rows: list[list], start: int = 1) -> str:
    out = []
    for r, row in enumerate(rows, start=start):
        cells = "".join(cell_xml(f"{chr(65 + c)}{r}", v) for c, v in enumerate(row) if v is not None)
        out.append(f'<row r="{r}">{cells}</row>')
    return "".join(out)


def ooxml_package(sheet_data: str, strict: bool = False, date1904: bool = False, name: str = "名单") -> bytes:
    """A one-sheet SpreadsheetML package written part by part, in the transitional or the Strict namespaces
    (ISO/IEC 29500-1 Strict, as Excel's "Strict Open XML Spreadsheet" writes them)."""
    main, rel = STRICT if strict else TRANSITIONAL
    conformance = ' conformance="strict"' if strict else ""
    pr = ' date1904="1"' if date1904 else ""
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            "</Types>"),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<workbook xmlns="{main}" xmlns:r="{rel}"{conformance}>'
            f"<workbookPr{pr}/>"
            f'<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>'),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'),
        "xl/worksheets/sheet1.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<worksheet xmlns="{main}" xmlns:r="{rel}"><sheetData>{sheet_data}</sheetData></worksheet>'),
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name_, text in parts.items():
            zf.writestr(name_, text)
    return buf.getvalue()


def html_table(rows: list[list], header=HEADER, charset: str | None = "utf-8", encoding: str = "utf-8",
               title: str | None = None) -> bytes:
    """A web system's "export to Excel": an HTML page with one table (th header, unclosed tags are common)."""
    meta = f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">' if charset else ""
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{escape(str(v))}</td>" for v in row) + "</tr>\n" for row in rows)
    caption = f"<p>{escape(title)}</p>" if title else ""
    page = f"<html><head>{meta}<title>导出</title></head><body>{caption}<table border=1><tr>{head}</tr>\n{body}" \
           "</table></body></html>"
    return page.encode(encoding)


def with_sheet_states(data: bytes, states: list[str], active: int) -> bytes:
    """The workbook with each sheet's state and the active tab set in xl/workbook.xml as given — also what writers
    refuse to produce (every sheet hidden, the active sheet hidden), which files from elsewhere may still hold."""
    import re

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            part = src.read(info)
            if info.filename == "xl/workbook.xml":
                it = iter(states)
                part = re.sub(rb'<sheet (?:state="\w+" )?', lambda m, it=it: f'<sheet state="{next(it)}" '.encode(),
                              part)
                part = re.sub(rb' activeTab="\d+"', b"", part)
                part = part.replace(b"<workbookView ", f'<workbookView activeTab="{active}" '.encode(), 1)
            dst.writestr(info, part)
    return out.getvalue()
