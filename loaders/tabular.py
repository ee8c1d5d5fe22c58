"""Read roster tables as officials send them — .xlsx (also Strict), .xls, HTML tables and CSV/TSV text in any
Chinese encoding, whatever their file names say — with title rows, merged headers, a 序号 column, notes under the
table, hidden sheets and formulas; map Chinese or English headers to roster fields, or take the mapping a person
chose. Every guess or fallback is written into the table's read notes and warnings.

Modules: loaders.sniff (what the bytes are), loaders.textfile (encoding, separator), loaders.workbook (sheets,
formulas, date system; also Excel 2003 XML), loaders.htmltable, loaders.headers (header words), loaders.dates; this
module chooses the sheet and the header row and turns the grid into roster rows."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import PurePath

import pandas as pd

from loaders import sniff
from loaders.dates import parse_date
from loaders.headers import (
    DATE_FIELDS,
    FIELDS,
    HEADER_SEARCH_ROWS,
    HEADER_WORDS,
    PLACE_FIELDS,
    header_rank,
    is_header,
    looks_like_place,
    map_header,
    rows_score,
)
from loaders.htmltable import declared_charset, html_tables
from loaders.i18n import text as t
from loaders.text import NAME_WORDS_KEPT, normalise_text
from loaders.textfile import UnknownEncoding, decode_text, encoding_name, split_rows
from loaders.workbook import (
    VISIBLE,
    Book,
    Sheet,
    WorkbookError,
    read_xls,
    read_xlsx,
    read_xml2003,
    strict_to_transitional,
)

__all__ = ["FIELDS", "HEADER_WORDS", "MAX_BYTES", "MAX_ROWS", "Grid", "HeaderNotFound", "IntakeError", "RawTable",
           "SheetInfo", "decode_csv", "detect_header", "map_header", "parse_date", "read_grid", "read_table",
           "table_from_grid"]

MAX_BYTES = 10_000_000
MAX_ROWS = 3_000  # every national and provincial zone together is a few hundred rows; the resolver takes ≈40 ms a row
MAX_UNZIPPED_BYTES = 200_000_000  # an .xlsx is a zip: refuse one that would unpack past this (zip bombs)
# openpyxl keeps every cell of the sheet XML as an object (≈0.5 kB each): a 3 000-row roster is a few MB of XML,
# 20 MB of it already takes ≈12 s and ≈0.4 GB on a server that everyone shares.
MAX_UNZIPPED_XML = 20_000_000
# A roster table has ≈20 columns; cells further right are not read (one stray cell at column XFD of a 4 kB file
# would otherwise make every row 16 384 cells long — minutes of work and GBs of memory).
MAX_COLUMNS = 100
NO_HEADER = -1  # header_at of a headerless single column of unit names
SEPARATOR_KEYS = {",": "comma", "\t": "tab", ";": "semicolon", "|": "pipe"}

NOTE_START = re.compile(r"^(注|备注|说明|附注|填表|制表|联系人|审核人|合计|总计|note)", re.IGNORECASE)
_FORMULA = re.compile(r"^(=|[+\-@][A-Za-z_]+\s*\(|[+\-@]?cmd\s*\|)", re.IGNORECASE)


class IntakeError(ValueError):
    """The file as a whole cannot be read; the message says why in words an official understands."""


class HeaderNotFound(IntakeError):
    """The table was read but its header row is not recognised: a person must say which column is which."""


@dataclass(frozen=True)
class SheetInfo:
    name: str
    state: str  # visible, hidden, veryHidden


@dataclass
class Grid:
    """A sheet, HTML table or CSV as a grid of cleaned text cells, before any header is chosen."""

    cells: list[list[str]]
    encoding: str | None = None  # codec of a text file (None for workbooks)
    sheet: str | None = None  # the sheet (or HTML table) read
    formula_cells: list[str] = field(default_factory=list)  # formulas kept as text (no stored result / CSV)
    read_notes: list[str] = field(default_factory=list)  # what was detected and chosen (format, encoding, sheet)
    warnings: list[str] = field(default_factory=list)  # guesses and fallbacks a person should check
    sheets: list[SheetInfo] = field(default_factory=list)  # every sheet of a workbook, in order
    date1904: bool = False
    kind: str = sniff.TEXT  # what the bytes are (loaders.sniff)

    def guess_header_row(self) -> int:
        """0-based index of the first row with at least two filled cells (a title row has one)."""
        for i, row in enumerate(self.cells[:HEADER_SEARCH_ROWS]):
            if sum(1 for c in row if c) >= 2:
                return i
        return 0

    def width(self) -> int:
        return max((len(r) for r in self.cells), default=0)


@dataclass
class RawTable:
    rows: pd.DataFrame  # roster fields as str + `row` (1-based data row) + `source_line` (sheet/file line)
    columns: dict[str, str]  # original header → roster field
    unmapped: list[str] = field(default_factory=list)
    encoding: str | None = None
    sheet: str | None = None
    notes: list[str] = field(default_factory=list)  # notes written under the table (注：…)
    warnings: list[str] = field(default_factory=list)
    formula_cells: list[str] = field(default_factory=list)
    header: list[str] = field(default_factory=list)  # the header row's cells, as read
    header_at: int = 0  # 0-based row index of the header in the grid (NO_HEADER: none)
    mapping: dict[int, str] = field(default_factory=dict)  # column index → roster field
    read_notes: list[str] = field(default_factory=list)  # format, encoding and sheet detected
    sheets: list[SheetInfo] = field(default_factory=list)

    def messages(self) -> list[str]:
        """Everything a person should be told about how the file was read: detection notes, then warnings."""
        return [*self.read_notes, *self.warnings]


def decode_csv(data: bytes) -> tuple[str, str]:
    """(text, codec) of a text file: BOM, UTF-8, or the candidate encoding whose rows give a recognised header
    (loaders.textfile.decode_text). Raises IntakeError when no encoding fits."""
    try:
        decoded = decode_text(data, rows_score)
    except UnknownEncoding as exc:
        raise IntakeError(str(exc)) from exc
    return decoded.text, decoded.encoding


def _cell(v) -> str:
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    if isinstance(v, datetime | date):
        return v.strftime("%Y-%m-%d")
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    # 乾 stays 乾 (OpenCC alone makes 乾县 干县): a roster cell is most often a name (loaders.text)
    return normalise_text("" if v is None else str(v), keep=NAME_WORDS_KEPT)


def _check_unzipped_size(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            total = sum(i.file_size for i in zf.infolist())
            xml = sum(i.file_size for i in zf.infolist() if i.filename.lower().endswith((".xml", ".rels")))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise IntakeError(t("import.read.bad_zip", error=type(exc).__name__)) from exc
    if total > MAX_UNZIPPED_BYTES:
        raise IntakeError(t("import.read.unzipped_too_large", mb=f"{total / 1e6:.0f}", limit=f"{MAX_UNZIPPED_BYTES / 1e6:.0f}"))
    if xml > MAX_UNZIPPED_XML:
        raise IntakeError(t("import.read.xml_too_large", mb=f"{xml / 1e6:.0f}", limit=f"{MAX_UNZIPPED_XML / 1e6:.0f}"))


def _read_book(data: bytes, kind: str) -> Book:
    book = _open_book(data, kind)
    if not book.sheets:  # e.g. a namespace variant openpyxl does not know: it finds no worksheet at all
        raise IntakeError(t("import.read.strict_failed" if kind == sniff.XLSX_STRICT else "import.read.no_sheets"))
    return book


def _open_book(data: bytes, kind: str) -> Book:
    limit = MAX_ROWS + 51  # one row past the limit is read so that "too many rows" can be said
    try:
        if kind == sniff.XLS:
            return read_xls(data, limit, MAX_COLUMNS)
        if kind == sniff.XML2003:
            return read_xml2003(data, limit, MAX_COLUMNS)
        _check_unzipped_size(data)
        if kind == sniff.XLSX_STRICT:
            try:
                return read_xlsx(strict_to_transitional(data), limit, MAX_COLUMNS)
            except WorkbookError as exc:
                raise IntakeError(t("import.read.strict_failed")) from exc
        return read_xlsx(data, limit, MAX_COLUMNS)
    except WorkbookError as exc:
        key = {sniff.XLS: "import.read.xls_failed", sniff.XML2003: "import.read.xml2003_failed"}.get(
            kind, "import.read.xlsx_failed")
        raise IntakeError(t(key, error=exc.args[0] if exc.args else "")) from exc


def _html_book(data: bytes) -> tuple[Book, str]:
    codec = declared_charset(data)
    try:
        text = data.decode(codec) if codec else decode_text(data, lambda rows: 0).text
    except (UnicodeDecodeError, UnknownEncoding):
        try:
            codec = None
            text = decode_text(data, lambda rows: 0).text
        except UnknownEncoding as exc:
            raise IntakeError(str(exc)) from exc
    tables = html_tables(text, MAX_ROWS + 51, MAX_COLUMNS)
    if not tables:
        raise IntakeError(t("import.read.html_no_table"))
    names = [t("import.read.html_table_name", n=i + 1) for i in range(len(tables))]
    return Book([Sheet(n, VISIBLE, rows, len(rows)) for n, rows in zip(names, tables, strict=True)]), codec or ""


def _text_sheet(data: bytes) -> tuple[Sheet, str, str, bool]:
    """The one sheet of a text table, its codec, separator and whether the encoding was a guess."""
    try:
        decoded = decode_text(data, rows_score)
    except UnknownEncoding as exc:
        raise IntakeError(str(exc)) from exc
    if "\x00" in decoded.text:
        raise IntakeError(t("import.read.not_a_table.binary"))
    import csv

    try:  # parsed once, with the separator found while ranking encodings; rows past the limit are not parsed
        rows, sep = split_rows(decoded.text, rows_score, MAX_ROWS + 51, decoded.separator)
    except csv.Error as exc:  # e.g. a field larger than the csv module allows
        raise IntakeError(t("import.read.csv_error", error=exc)) from exc
    rows = [r[:MAX_COLUMNS] for r in rows]
    return Sheet("", VISIBLE, rows, len(rows)), decoded.encoding, sep, decoded.guessed


def _cells(sheet: Sheet, limit: int | None = None) -> list[list[str]]:
    return [[_cell(v) for v in row] for row in sheet.rows[:limit]]


def _find_sheet(book: Book, wanted: str) -> Sheet:
    names = [s.name for s in book.sheets]
    for s in book.sheets:
        if s.name == wanted or s.name.strip().casefold() == str(wanted).strip().casefold():
            return s
    if str(wanted).strip().isdigit() and 1 <= int(wanted) <= len(book.sheets):
        return book.sheets[int(wanted) - 1]
    raise IntakeError(t("import.read.sheet_missing", sheet=wanted, sheets="、".join(f"“{n}”" for n in names)))


def choose_sheet(book: Book, wanted: str | None = None) -> tuple[Sheet, list[str], list[str]]:
    """(sheet, read notes, warnings): the sheet asked for, else the active sheet or the first visible sheet whose
    header is recognised. Hidden and veryHidden sheets are skipped (drop-down lists live there); IntakeError when
    every sheet is hidden or the sheet asked for does not exist."""
    notes, warnings = [], []
    hidden = [s.name for s in book.sheets if s.state != VISIBLE]
    if wanted not in (None, ""):
        chosen = _find_sheet(book, wanted)
        notes.append(t("import.read.sheet_chosen", sheet=chosen.name))
        if chosen.state != VISIBLE:
            warnings.append(t("import.read.sheet_hidden_chosen", sheet=chosen.name))
        return chosen, notes, warnings
    visible = [s for s in book.sheets if s.state == VISIBLE]
    if not visible:
        raise IntakeError(t("import.read.all_hidden", sheets="、".join(f"“{n}”" for n in hidden)))
    active = book.sheets[book.active] if 0 <= book.active < len(book.sheets) else visible[0]
    order = ([active] if active.state == VISIBLE else []) + [s for s in visible if s is not active]
    with_header = [s for s in order if rows_score(_cells(s, HEADER_SEARCH_ROWS))]
    chosen = with_header[0] if with_header else order[0]
    if len(book.sheets) > 1:
        notes.append(t("import.read.sheet_read", sheet=chosen.name, n=len(book.sheets)))
    if hidden:
        notes.append(t("import.read.sheets_hidden", sheets="、".join(f"“{n}”" for n in hidden)))
    skipped = [s.name for s in order[: order.index(chosen)]]
    if skipped:
        notes.append(t("import.read.sheets_no_header", sheets="、".join(f"“{n}”" for n in skipped)))
    others = [s.name for s in with_header if s is not chosen]
    if others:
        warnings.append(t("import.read.sheets_other_headers", sheets="、".join(f"“{n}”" for n in others)))
    return chosen, notes, warnings


def _cell_refs(sheet: Sheet, cells: list[tuple[int, int]]) -> list[str]:
    from openpyxl.utils import get_column_letter

    prefix = f"{sheet.name}!" if sheet.name else ""
    return [f"{prefix}{get_column_letter(c + 1)}{r + 1}" for r, c in cells]


def _listed(refs: list[str]) -> str:
    return "、".join(refs[:10]) + (t("import.read.and_more", n=len(refs)) if len(refs) > 10 else "")


def read_grid(data: bytes, filename: str, *, max_bytes: int = MAX_BYTES, sheet: str | None = None) -> Grid:
    """One sheet (or HTML table, or the CSV) as cleaned text cells. What the file is comes from its bytes, not its
    name (loaders.sniff); `sheet` picks a sheet by name or 1-based number, otherwise choose_sheet decides. Size
    and type are checked before anything is parsed; IntakeError says in one sentence why a file cannot be read."""
    if not data:
        raise IntakeError(t("import.read.empty_file"))
    if len(data) > max_bytes:
        raise IntakeError(t("import.read.too_large", mb=f"{len(data) / 1e6:.1f}", limit=f"{max_bytes / 1e6:.0f}"))
    ext = PurePath(filename).suffix.lower()
    kind, named = sniff.sniff_format(data), sniff.named_kind(filename)
    if kind not in sniff.TABLE_KINDS:
        raise IntakeError(t(f"import.read.not_a_table.{kind}"))
    if kind == sniff.TEXT and named is None:
        raise IntakeError(t("import.read.unsupported", ext=ext or filename))
    notes: list[str] = []
    warnings: list[str] = []
    if named not in (kind, None) and {named, kind} != {sniff.XLSX, sniff.XLSX_STRICT}:
        notes.append(t("import.read.detected", what=t(f"import.read.kind.{kind}"), ext=ext))
    if kind == sniff.XLSX_STRICT:
        notes.append(t("import.read.strict"))
    enc = None
    formulas: list[str] = []
    sheets: list[SheetInfo] = []
    if kind == sniff.TEXT:
        try:
            chosen, enc, sep, guessed = _text_sheet(data)
        except IntakeError as exc:
            if named in (sniff.XLSX, sniff.XLS):  # neither a workbook nor text: say so in the name's terms
                raise IntakeError(t("import.read.not_excel", ext=ext)) from exc
            raise
        notes.append(t("import.read.text", encoding=encoding_name(enc), sep=t(f"import.read.sep.{SEPARATOR_KEYS[sep]}")))
        if guessed and not enc.startswith("utf-8"):
            warnings.append(t("import.read.encoding_guessed", encoding=encoding_name(enc)))
        if sheet not in (None, ""):
            warnings.append(t("import.read.sheet_ignored", sheet=sheet))
        date1904 = False
    else:
        if kind == sniff.HTML:
            book, codec = _html_book(data)
            if codec:
                notes.append(t("import.read.html_charset", encoding=encoding_name(codec)))
        else:
            book = _read_book(data, kind)
        chosen, sheet_notes, sheet_warnings = choose_sheet(book, sheet)
        notes += sheet_notes
        warnings += sheet_warnings
        sheets = [SheetInfo(s.name, s.state) for s in book.sheets]
        date1904 = book.date1904
        if chosen.formula_values:
            warnings.append(t("import.read.formula_values", cells=_listed(_cell_refs(chosen, chosen.formula_values))))
        if chosen.formula_errors:
            warnings.append(t("import.read.formula_errors", cells=_listed(_cell_refs(chosen, chosen.formula_errors))))
        if chosen.formula_blanks:
            warnings.append(t("import.read.formula_blanks", cells=_listed(_cell_refs(chosen, chosen.formula_blanks))))
        formulas = _cell_refs(chosen, chosen.formula_texts)
        if not book.formulas_known:
            notes.append(t("import.read.xls_formulas"))
        if date1904:
            notes.append(t("import.read.date1904"))
    if max(chosen.total_rows, len(chosen.rows)) > MAX_ROWS + 50:
        raise IntakeError(t("import.read.too_many_rows", n=chosen.total_rows, limit=MAX_ROWS))
    cells = _cells(chosen)
    if not any(any(row) for row in cells):
        raise IntakeError(t("import.read.no_content"))
    if kind == sniff.TEXT:  # CSV: a cell a spreadsheet would evaluate is flagged like an Excel formula
        formulas = [t("import.read.cell", row=r + 1, col=c + 1) for r, row in enumerate(cells) for c, v in enumerate(row)
                    if _FORMULA.match(v)]
    return Grid(cells, enc, chosen.name or None, formulas, notes, warnings, sheets, date1904, kind)


def _headerless_names(grid: Grid) -> int | None:
    """Row index of the first name when the table is one column of unit names with no header (title rows above
    it allowed), else None."""
    filled = [(i, [c for c in row if c]) for i, row in enumerate(grid.cells)]
    filled = [(i, cs) for i, cs in filled if cs]
    if not filled or any(len(cs) != 1 for _, cs in filled):
        return None
    cols = {next(j for j, c in enumerate(grid.cells[i]) if c) for i, _ in filled}
    first = next((i for i, cs in filled[:HEADER_SEARCH_ROWS] if looks_like_place(cs[0])), None)
    if first is None or len(cols) != 1:
        return None
    names = [cs[0] for i, cs in filled if i >= first and not _is_note(cs)]
    places = sum(looks_like_place(n) for n in names)
    return first if places * 2 > len(names) else None


def detect_header(grid: Grid) -> tuple[int, dict[int, str]]:
    """The header row among the first rows (most recognised column names) and its column mapping. A header needs
    two recognised names including a place column, or one exact 实验单位/区县/城市 name (a one-column roster).
    A headerless column of unit names gives (NO_HEADER, {column: "unit_name"}). Raises HeaderNotFound."""
    head = grid.cells[:HEADER_SEARCH_ROWS]
    candidates = [i for i in range(len(head)) if is_header(head[i])]
    if candidates:
        at = max(candidates, key=lambda i: header_rank(head[i]))
        return at, map_header(head[at])
    first = _headerless_names(grid)
    if first is not None:
        col = next(j for j, c in enumerate(grid.cells[first]) if c)
        return first - 1 if first else NO_HEADER, {col: "unit_name"}
    if any(len(map_header(r)) >= 2 for r in head):
        raise HeaderNotFound(t("import.read.header_no_place"))
    message = t("import.read.header_not_found")
    if grid.encoding and not grid.encoding.startswith("utf"):
        message += t("import.read.header_encoding_hint", encoding=encoding_name(grid.encoding))
    raise HeaderNotFound(message)


def _is_note(line: list[str]) -> bool:
    """A note under (or inside) the table: starts like 注：/备注/填表人, or one text merged across the row."""
    filled = [c for c in line if c]
    distinct = list(dict.fromkeys(filled))
    if NOTE_START.match(distinct[0]) and len(distinct) <= 2:
        return True
    return len(distinct) == 1 and len(filled) >= 3  # no real row repeats one text in three columns


def _convert_dates(rows: pd.DataFrame, date1904: bool, warnings: list[str]) -> None:
    """Date columns to ISO text (keeping the precision written); day serials in plain-number cells follow the
    workbook's date system and are listed, unreadable values are listed: an unreadable 批复日期 is blanked (the
    batch's date stands in, the text kept in approved_on_raw), an unreadable 状态日期 stays as written."""
    for col in DATE_FIELDS:
        if col not in rows:
            continue
        raw = rows[col].copy()
        rows[col] = raw.map(lambda v: parse_date(v, date1904))
        serial = raw.str.fullmatch(r"\d{5}(\.0+)?") & (rows[col] != "")
        if serial.any():
            listed = "、".join(t("import.read.row_serial", row=r, value=v, date=d) for r, v, d in zip(rows.row[serial][:5], raw[serial][:5],
                                                                  rows[col][serial][:5], strict=True))
            system = "1904" if date1904 else "1900"
            warnings.append(t("import.read.date_serials", system=system, cells=listed))
        bad = rows[(raw != "") & (rows[col] == "")]
        listed = "、".join(t("import.read.row_value", row=r, value=v) for r, v in zip(bad.row[:10], raw[bad.index][:10], strict=True))
        if col == "approved_on":
            rows["approved_on_raw"] = raw
            if len(bad):
                warnings.append(t("import.read.dates_unreadable", cells=listed))
        elif len(bad):  # nothing stands in for a status date: the text stays as written, for a person to see
            rows.loc[bad.index, col] = raw[bad.index]
            warnings.append(t("import.read.status_dates_unreadable", cells=listed))


def table_from_grid(grid: Grid, header_at: int | None = None, mapping: dict[int, str] | None = None) -> RawTable:
    """Rows under the header as roster fields. Without `mapping` the header is detected and recognised
    (HeaderNotFound when it is not); with one (column index → field), the person's choice is used as given."""
    warnings = list(grid.warnings)
    if mapping is None:
        detected_at, mapping = detect_header(grid)
        header_at = detected_at if header_at is None else header_at
        if detected_at == NO_HEADER or not is_header(grid.cells[detected_at]):
            warnings.append(t("import.read.headerless"))
    else:
        mapping = {int(i): f for i, f in mapping.items() if f}
        header_at = grid.guess_header_row() if header_at is None else header_at
        fields = list(mapping.values())
        twice = sorted({f for f in fields if fields.count(f) > 1})
        if twice:
            raise IntakeError(t("import.read.mapping_twice", fields="、".join(twice)))
        if not (PLACE_FIELDS & set(fields)):
            raise IntakeError(t("import.read.mapping_no_place"))
    if not NO_HEADER <= header_at < len(grid.cells):
        raise IntakeError(t("import.read.header_out_of_range", row=header_at + 1, rows=len(grid.cells)))
    header = grid.cells[header_at] if header_at != NO_HEADER else []
    header = header + [""] * (grid.width() - len(header))
    records, notes = [], []
    for offset, line in enumerate(grid.cells[header_at + 1:], start=header_at + 2):
        if not any(line):
            continue
        if _is_note(line):
            notes.append(next(c for c in line if c))
            continue
        if any(header) and line[: len(header)] == header[: len(line)]:
            continue  # a repeated header row (tables split over pages)
        rec = {fld: (line[i] if i < len(line) else "") for i, fld in mapping.items()}
        rec["source_line"] = str(offset)
        rec["input_cells"] = ",".join(line).rstrip(",")  # the whole row as written, for the check's `input`
        records.append(rec)
    if len(records) > MAX_ROWS:
        raise IntakeError(t("import.read.too_many_records", limit=MAX_ROWS))
    fields = list(dict.fromkeys(mapping.values()))
    rows = pd.DataFrame(records, columns=fields + ["source_line", "input_cells"]).astype(str)
    rows.insert(0, "row", range(1, len(rows) + 1))
    _convert_dates(rows, grid.date1904, warnings)
    if grid.formula_cells:
        key = "import.read.formula_csv" if grid.kind == sniff.TEXT else "import.read.formula_texts"
        warnings.append(t(key, cells=_listed(grid.formula_cells)))
    unmapped = [h for i, h in enumerate(header) if h and i not in mapping]
    return RawTable(rows, {header[i]: f for i, f in mapping.items() if i < len(header) and header[i]}, unmapped,
                    grid.encoding, grid.sheet, notes, warnings, grid.formula_cells, header, header_at, dict(mapping),
                    list(grid.read_notes), list(grid.sheets))


def read_table(data: bytes, filename: str, *, max_bytes: int = MAX_BYTES, header_at: int | None = None,
               mapping: dict[int, str] | None = None, sheet: str | None = None) -> RawTable:
    """Parse an uploaded roster table; raise IntakeError for a file that cannot be a roster at all. `sheet` names
    (or numbers, from 1) the workbook sheet to read instead of the one chosen automatically."""
    return table_from_grid(read_grid(data, filename, max_bytes=max_bytes, sheet=sheet), header_at, mapping)
