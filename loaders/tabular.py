"""Read roster tables as officials have them: CSV in any Chinese encoding, .xlsx/.xls with title rows, merged
headers, a 序号 column and notes under the table; map Chinese or English headers to roster fields, or take the
mapping a person chose when the headers are not recognised."""

from __future__ import annotations

import csv
import io
import itertools
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import PurePath

import pandas as pd

from loaders.text import normalise_name, normalise_text

MAX_BYTES = 10_000_000
MAX_ROWS = 3_000  # every national and provincial zone together is a few hundred rows; the resolver takes ≈40 ms a row
MAX_UNZIPPED_BYTES = 200_000_000  # an .xlsx is a zip: refuse one that would unpack past this (zip bombs)
# openpyxl keeps every cell of the sheet XML as an object (≈0.5 kB each): a 3 000-row roster is a few MB of XML,
# 20 MB of it already takes ≈12 s and ≈0.4 GB on a server that everyone shares.
MAX_UNZIPPED_XML = 20_000_000
# A roster table has ≈20 columns; cells further right are not read (one stray cell at column XFD of a 4 kB file
# would otherwise make every row 16 384 cells long — minutes of work and GBs of memory).
MAX_COLUMNS = 100
HEADER_SEARCH_ROWS = 15

# header text (normalised, lower-case) → roster field
HEADER_WORDS = {
    "seq": ["序号", "编号", "no", "no.", "#", "index"],
    "province": ["省份", "省", "省(区、市)", "省(自治区、直辖市)", "省区市", "所在省", "province"],
    "prefecture": ["城市", "市", "地市", "所在市", "地级市", "市(州)", "市州", "city", "prefecture"],
    "county": ["区县", "县(市、区)", "县市区", "县(区、市)", "区(县、市)", "县区", "county", "district"],
    "unit_name": ["实验单位", "单位名称", "单位", "实验区", "实验区名称", "名称", "unit", "name", "unit_name"],
    "theme": ["实验主题", "主题", "实验任务", "theme", "task_text", "task"],
    "content": ["实验内容", "内容", "content"],
    "approved_on": ["批复日期", "日期", "确认日期", "批准日期", "date", "approved_on"],
    "batch": ["批次", "batch"],
    "doc_number": ["文号", "批复文号", "文件", "doc_number", "document"],
    "status": ["状态", "实验状态", "status"],
    "programme": ["级别", "类别", "programme", "level"],
    "authority": ["批准机关", "发文机关", "认定机关", "authority"],
    "zone_id": ["zone_id", "实验区编号"],
    "period_years": ["实验期", "实验周期", "实验期(年)", "周期", "实验期限", "period_years", "period"],
    "status_as_of": ["状态日期", "状态截至", "status_as_of"],
    "designation": ["认定方式", "designation"],
    "confidence": ["可信度", "来源可信度", "confidence"],
    "source_url": ["来源链接", "出处链接", "来源网址", "source_url", "url"],
    "source_note": ["来源说明", "出处说明", "source_note"],
}
# What a person can map a column to (in this order); "" means "not used".
FIELDS = tuple(HEADER_WORDS)
_LOOKUP = {w: f for f, words in HEADER_WORDS.items() for w in words}
NOTE_START = re.compile(r"^(注|备注|说明|附注|填表|制表|联系人|审核人|合计|总计|note)", re.IGNORECASE)
_FORMULA = re.compile(r"^(=|[+\-@][A-Za-z_]+\s*\(|[+\-@]?cmd\s*\|)", re.IGNORECASE)


class IntakeError(ValueError):
    """The file as a whole cannot be read; the message says why in words an official understands."""


class HeaderNotFound(IntakeError):
    """The table was read but its header row is not recognised: a person must say which column is which."""


@dataclass
class Grid:
    """A sheet or CSV as a grid of cleaned text cells, before any header is chosen."""

    cells: list[list[str]]
    encoding: str | None = None
    sheet: str | None = None
    formula_cells: list[str] = field(default_factory=list)

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
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    formula_cells: list[str] = field(default_factory=list)
    header: list[str] = field(default_factory=list)  # the header row's cells, as read
    header_at: int = 0  # 0-based row index of the header in the grid
    mapping: dict[int, str] = field(default_factory=dict)  # column index → roster field


def _header_key(text: str) -> str:
    return normalise_name(str(text)).lower().replace("（", "(").replace("）", ")")


def map_header(cells: list[str]) -> dict[int, str]:
    """Column index → roster field for the header cells we recognise (first match wins)."""
    out: dict[int, str] = {}
    for i, cell in enumerate(cells):
        key = _header_key(cell)
        f = _LOOKUP.get(key)
        if f is None:
            f = next((fld for w, fld in _LOOKUP.items() if len(w) >= 2 and key and key.endswith(w)), None)
        if f and f not in out.values():
            out[i] = f
    return out


def _score(cells: list[str]) -> int:
    return len(map_header(cells))


def decode_csv(data: bytes) -> tuple[str, str]:
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise IntakeError("无法识别文件编码：不是文本表格（CSV）")
    return str(best), best.encoding


def parse_date(value) -> str:
    """ISO date from Excel serials, 2019年3月25日, 2019.3.25, 2019/3/25, 2019-03-25; '' when not a date."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime | date):
        return value.strftime("%Y-%m-%d")
    s = normalise_text(str(value))
    if re.fullmatch(r"\d{5}(\.0+)?", s):  # Excel serial day number
        d = datetime(1899, 12, 30) + timedelta(days=int(float(s)))
        return d.strftime("%Y-%m-%d")
    m = re.fullmatch(r"(\d{4})\s*[年./-]\s*(\d{1,2})\s*[月./-]\s*(\d{1,2})\s*日?(\s.*)?", s)
    if m:
        try:
            return date(int(m[1]), int(m[2]), int(m[3])).isoformat()
        except ValueError:
            return ""
    return ""


def _grid_from_csv(data: bytes) -> tuple[list[list[str]], str]:
    text, enc = decode_csv(data)
    if "\x00" in text:
        raise IntakeError("文件含有二进制内容，不是 CSV 表格")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    try:  # rows past the limit are not parsed at all; read_grid reports "too many rows" for the extra one
        return [r[:MAX_COLUMNS] for r in itertools.islice(csv.reader(io.StringIO(text), dialect), MAX_ROWS + 51)], enc
    except csv.Error as exc:  # e.g. a field larger than the csv module allows
        raise IntakeError(f"CSV 格式有误，无法读取（{exc}）") from exc


def _check_unzipped_size(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            total = sum(i.file_size for i in zf.infolist())
            xml = sum(i.file_size for i in zf.infolist() if i.filename.lower().endswith((".xml", ".rels")))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise IntakeError(f"无法打开 Excel 文件（{type(exc).__name__}：不是有效的 .xlsx）") from exc
    if total > MAX_UNZIPPED_BYTES:
        raise IntakeError(f"Excel 文件解压后过大（{total / 1e6:.0f} MB），上限 {MAX_UNZIPPED_BYTES / 1e6:.0f} MB")
    if xml > MAX_UNZIPPED_XML:
        raise IntakeError(f"Excel 表格内容过大（解压后 {xml / 1e6:.0f} MB），上限 {MAX_UNZIPPED_XML / 1e6:.0f} MB："
                          "请只保留名单所在的工作表")


def _grid_from_xlsx(data: bytes) -> tuple[list[list[str]], str, list[str]]:
    import openpyxl

    _check_unzipped_size(data)
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), data_only=False, read_only=False)
    except Exception as exc:  # noqa: BLE001 - any parse failure means "not a workbook"
        raise IntakeError(f"无法打开 Excel 文件（{type(exc).__name__}）") from exc
    ws = wb.worksheets[0]
    if ws.max_row > MAX_ROWS + 50:
        raise IntakeError(f"行数太多（{ws.max_row} 行，上限 {MAX_ROWS} 行）")
    grid = [["" if c.value is None else c.value for c in row]
            for row in ws.iter_rows(max_col=min(ws.max_column, MAX_COLUMNS))]
    for rng in ws.merged_cells.ranges:  # merged cells: every covered cell gets the top-left value
        if rng.min_row - 1 >= len(grid):
            continue
        top = grid[rng.min_row - 1][rng.min_col - 1]
        for r in range(rng.min_row - 1, min(rng.max_row, len(grid))):
            for c in range(rng.min_col - 1, min(rng.max_col, len(grid[r]))):
                grid[r][c] = top
    formulas = []
    for r, row in enumerate(grid):
        for c, v in enumerate(row):
            if isinstance(v, str) and v.startswith("="):
                formulas.append(f"{ws.title}!{openpyxl.utils.get_column_letter(c + 1)}{r + 1}")
    return grid, ws.title, formulas


def _grid_from_xls(data: bytes) -> tuple[list[list[str]], str]:
    import xlrd

    try:
        # formatting_info=True is what makes xlrd report merged cells at all
        book = xlrd.open_workbook(file_contents=data, formatting_info=True)
    except Exception:  # noqa: BLE001 - retry without formatting (some writers omit it), then give up clearly
        try:
            book = xlrd.open_workbook(file_contents=data)
        except Exception as exc:  # noqa: BLE001
            raise IntakeError(f"无法打开 Excel 97-2003 文件（{type(exc).__name__}）") from exc
    sh = book.sheet_by_index(0)
    if sh.nrows > MAX_ROWS + 50:
        raise IntakeError(f"行数太多（{sh.nrows} 行，上限 {MAX_ROWS} 行）")
    grid = []
    for r in range(sh.nrows):
        row = []
        for c in range(min(sh.ncols, MAX_COLUMNS)):
            cell = sh.cell(r, c)
            if cell.ctype == xlrd.XL_CELL_DATE:
                try:
                    row.append(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode))
                except (ValueError, OverflowError, xlrd.xldate.XLDateError):
                    row.append(cell.value)
            else:
                row.append(cell.value)
        grid.append(row)
    for (r0, r1, c0, c1) in sh.merged_cells:
        for r in range(r0, min(r1, len(grid))):
            for c in range(c0, min(c1, len(grid[r]))):
                grid[r][c] = grid[r0][c0]
    return grid, sh.name


def _cell(v) -> str:
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    if isinstance(v, datetime | date):
        return v.strftime("%Y-%m-%d")
    return normalise_text("" if v is None else str(v))


def read_grid(data: bytes, filename: str, *, max_bytes: int = MAX_BYTES) -> Grid:
    """The first sheet (or the CSV) as cleaned text cells. Size and type are checked before anything is parsed."""
    if not data:
        raise IntakeError("文件是空的")
    if len(data) > max_bytes:
        raise IntakeError(f"文件太大（{len(data) / 1e6:.1f} MB），上限 {max_bytes / 1e6:.0f} MB")
    ext = PurePath(filename).suffix.lower()
    enc = sheet = None
    formulas: list[str] = []
    if ext in (".csv", ".txt", ".tsv"):
        raw, enc = _grid_from_csv(data)
    elif ext == ".xlsx":
        raw, sheet, formulas = _grid_from_xlsx(data)
    elif ext == ".xls":
        raw, sheet = _grid_from_xls(data)
    else:
        raise IntakeError(f"不支持的文件类型“{ext or filename}”：请上传 CSV、XLSX 或 XLS")
    if len(raw) > MAX_ROWS + 50:
        raise IntakeError(f"行数太多（超过 {MAX_ROWS} 行）")
    cells = [[_cell(v) for v in row] for row in raw]
    if not any(any(row) for row in cells):
        raise IntakeError("文件里没有任何内容")
    if enc is not None:  # CSV: a cell a spreadsheet would evaluate is flagged like an Excel formula
        formulas = [f"第{r + 1}行第{c + 1}列" for r, row in enumerate(cells) for c, v in enumerate(row)
                    if _FORMULA.match(v)]
    return Grid(cells, enc, sheet, formulas)


def detect_header(grid: Grid) -> tuple[int, dict[int, str]]:
    """The header row among the first rows (most recognised column names) and its column mapping."""
    head = grid.cells[:HEADER_SEARCH_ROWS]
    at = max(range(len(head)), key=lambda i: _score(head[i]), default=None)
    if at is None or _score(head[at]) < 2:
        raise HeaderNotFound("找不到表头：需要“省份/城市/区县”或“实验单位”等列（中文或英文列名）；"
                             "可在下方“列的对应”中指定每一列的含义")
    mapping = map_header(head[at])
    if not ({"unit_name", "county", "prefecture"} & set(mapping.values())):
        raise HeaderNotFound("表头里没有“实验单位”或“区县/城市”列，无法确定是哪个行政单位；"
                             "可在下方“列的对应”中指定")
    return at, mapping


def _is_note(line: list[str]) -> bool:
    """A note under (or inside) the table: starts like 注：/备注/填表人, or one text merged across the row."""
    filled = [c for c in line if c]
    distinct = list(dict.fromkeys(filled))
    if NOTE_START.match(distinct[0]) and len(distinct) <= 2:
        return True
    return len(distinct) == 1 and len(filled) >= 3  # no real row repeats one text in three columns


def table_from_grid(grid: Grid, header_at: int | None = None, mapping: dict[int, str] | None = None) -> RawTable:
    """Rows under the header as roster fields. Without `mapping` the header is detected and recognised
    (HeaderNotFound when it is not); with one (column index → field), the person's choice is used as given."""
    if mapping is None:
        detected_at, mapping = detect_header(grid)
        header_at = detected_at if header_at is None else header_at
    else:
        mapping = {int(i): f for i, f in mapping.items() if f}
        header_at = grid.guess_header_row() if header_at is None else header_at
        fields = list(mapping.values())
        twice = sorted({f for f in fields if fields.count(f) > 1})
        if twice:
            raise IntakeError(f"同一字段对应了多列：{'、'.join(twice)}；每个字段只能选一列")
        if not ({"unit_name", "county", "prefecture"} & set(fields)):
            raise IntakeError("请至少指定“实验单位”或“区县/城市”中的一列")
    if not 0 <= header_at < len(grid.cells):
        raise IntakeError(f"表头行号 {header_at + 1} 超出表格范围（共 {len(grid.cells)} 行）")
    header = grid.cells[header_at]
    header = header + [""] * (grid.width() - len(header))
    records, notes = [], []
    for offset, line in enumerate(grid.cells[header_at + 1:], start=header_at + 2):
        if not any(line):
            continue
        if _is_note(line):
            notes.append(next(c for c in line if c))
            continue
        if line[: len(header)] == header[: len(line)]:
            continue  # a repeated header row (tables split over pages)
        rec = {fld: (line[i] if i < len(line) else "") for i, fld in mapping.items()}
        rec["source_line"] = str(offset)
        records.append(rec)
    if len(records) > MAX_ROWS:
        raise IntakeError(f"行数太多（超过 {MAX_ROWS} 行）")
    fields = list(dict.fromkeys(mapping.values()))
    rows = pd.DataFrame(records, columns=fields + ["source_line"]).astype(str)
    rows.insert(0, "row", range(1, len(rows) + 1))
    warnings = []
    if "approved_on" in rows:
        rows["approved_on_raw"] = rows["approved_on"]
        rows["approved_on"] = rows["approved_on"].map(parse_date)
        bad = rows[(rows.approved_on_raw != "") & (rows.approved_on == "")]
        if len(bad):
            listed = "、".join(f"第{r}行“{v}”" for r, v in zip(bad.row[:10], bad.approved_on_raw[:10], strict=True))
            warnings.append(f"无法识别的日期（改用本批次的批复日期）：{listed}")
    if grid.formula_cells:
        warnings.append(f"公式单元格按文字读取，未计算：{', '.join(grid.formula_cells[:10])}"
                        + (f" 等 {len(grid.formula_cells)} 处" if len(grid.formula_cells) > 10 else ""))
    unmapped = [h for i, h in enumerate(header) if h and i not in mapping]
    return RawTable(rows, {header[i]: f for i, f in mapping.items() if i < len(header)}, unmapped, grid.encoding,
                    grid.sheet, notes, warnings, grid.formula_cells, header, header_at, dict(mapping))


def read_table(data: bytes, filename: str, *, max_bytes: int = MAX_BYTES, header_at: int | None = None,
               mapping: dict[int, str] | None = None) -> RawTable:
    """Parse an uploaded roster table; raise IntakeError for a file that cannot be a roster at all."""
    return table_from_grid(read_grid(data, filename, max_bytes=max_bytes), header_at, mapping)
