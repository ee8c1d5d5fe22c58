"""Read roster tables as officials have them: CSV in any Chinese encoding, .xlsx/.xls with title rows, merged
headers, a 序号 column and notes under the table; map Chinese or English headers to roster fields."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import PurePath

import pandas as pd

from loaders.text import normalise_name, normalise_text

MAX_BYTES = 10_000_000
MAX_ROWS = 20_000

# header text (normalised, lower-case) → roster field
HEADER_WORDS = {
    "seq": ["序号", "编号", "no", "no.", "#", "index"],
    "province": ["省份", "省", "省(区、市)", "省(自治区、直辖市)", "省区市", "所在省", "province"],
    "prefecture": ["城市", "市", "地市", "所在市", "地级市", "市(州)", "市州", "city", "prefecture"],
    "county": ["区县", "县(市、区)", "县市区", "县(区、市)", "区(县、市)", "县区", "county", "district"],
    "unit_name": ["实验单位", "单位名称", "单位", "实验区", "实验区名称", "名称", "unit", "name", "unit_name"],
    "theme": ["实验主题", "主题", "theme"],
    "content": ["实验内容", "内容", "content"],
    "approved_on": ["批复日期", "日期", "确认日期", "批准日期", "date", "approved_on"],
    "batch": ["批次", "batch"],
    "doc_number": ["文号", "批复文号", "文件", "doc_number", "document"],
    "status": ["状态", "status"],
    "programme": ["级别", "类别", "programme", "level"],
    "authority": ["批准机关", "发文机关", "authority"],
    "zone_id": ["zone_id", "实验区编号"],
}
_LOOKUP = {w: f for f, words in HEADER_WORDS.items() for w in words}
NOTE_START = re.compile(r"^(注|备注|说明|附注|note)[:：]?", re.IGNORECASE)


class IntakeError(ValueError):
    """The file as a whole cannot be read; the message says why in words an official understands."""


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
    return [list(r) for r in csv.reader(io.StringIO(text), dialect)], enc


def _grid_from_xlsx(data: bytes) -> tuple[list[list[str]], str, list[str]]:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), data_only=False, read_only=False)
    except Exception as exc:  # noqa: BLE001 - any parse failure means "not a workbook"
        raise IntakeError(f"无法打开 Excel 文件（{type(exc).__name__}）") from exc
    ws = wb.worksheets[0]
    grid = [["" if c.value is None else c.value for c in row] for row in ws.iter_rows()]
    for rng in ws.merged_cells.ranges:  # merged header cells: every covered cell gets the top-left value
        top = grid[rng.min_row - 1][rng.min_col - 1]
        for r in range(rng.min_row - 1, rng.max_row):
            for c in range(rng.min_col - 1, rng.max_col):
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
        book = xlrd.open_workbook(file_contents=data)
    except Exception as exc:  # noqa: BLE001
        raise IntakeError(f"无法打开 Excel 97-2003 文件（{type(exc).__name__}）") from exc
    sh = book.sheet_by_index(0)
    grid = []
    for r in range(sh.nrows):
        row = []
        for c in range(sh.ncols):
            cell = sh.cell(r, c)
            if cell.ctype == xlrd.XL_CELL_DATE:
                row.append(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode))
            else:
                row.append(cell.value)
        grid.append(row)
    for (r0, r1, c0, c1) in sh.merged_cells:
        for r in range(r0, r1):
            for c in range(c0, c1):
                grid[r][c] = grid[r0][c0]
    return grid, sh.name


def _cell(v) -> str:
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    if isinstance(v, datetime | date):
        return v.strftime("%Y-%m-%d")
    return normalise_text("" if v is None else str(v))


def read_table(data: bytes, filename: str, *, max_bytes: int = MAX_BYTES) -> RawTable:
    """Parse an uploaded roster table; raise IntakeError for a file that cannot be a roster at all."""
    if not data:
        raise IntakeError("文件是空的")
    if len(data) > max_bytes:
        raise IntakeError(f"文件太大（{len(data) / 1e6:.1f} MB），上限 {max_bytes / 1e6:.0f} MB")
    ext = PurePath(filename).suffix.lower()
    enc = sheet = None
    formulas: list[str] = []
    if ext in (".csv", ".txt", ".tsv"):
        grid, enc = _grid_from_csv(data)
    elif ext == ".xlsx":
        grid, sheet, formulas = _grid_from_xlsx(data)
    elif ext == ".xls":
        grid, sheet = _grid_from_xls(data)
    else:
        raise IntakeError(f"不支持的文件类型“{ext or filename}”：请上传 CSV、XLSX 或 XLS")
    grid = [[_cell(v) for v in row] for row in grid[: MAX_ROWS + 50]]
    header_at = max(range(min(len(grid), 15)), key=lambda i: _score(grid[i]), default=None)
    if header_at is None or _score(grid[header_at]) < 2:
        raise IntakeError("找不到表头：需要“省份/城市/区县”或“实验单位”等列（中文或英文列名）")
    header = grid[header_at]
    mapping = map_header(header)
    if not ({"unit_name", "county", "prefecture"} & set(mapping.values())):
        raise IntakeError("表头里没有“实验单位”或“区县/城市”列，无法确定是哪个行政单位")
    records, notes = [], []
    for offset, line in enumerate(grid[header_at + 1:], start=header_at + 2):
        if not any(line):
            continue
        first = next((c for c in line if c), "")
        if NOTE_START.match(first) and sum(1 for c in line if c) <= 2:
            notes.append(first)
            continue
        if [c for c in line if c] and line[: len(header)] == header:
            continue  # a repeated header row (tables split over pages)
        rec = {fld: (line[i] if i < len(line) else "") for i, fld in mapping.items()}
        rec["source_line"] = str(offset)
        records.append(rec)
    if len(records) > MAX_ROWS:
        raise IntakeError(f"行数太多（超过 {MAX_ROWS} 行）")
    fields = list(dict.fromkeys(mapping.values()))
    rows = pd.DataFrame(records, columns=fields + ["source_line"]).astype(str)
    rows.insert(0, "row", range(1, len(rows) + 1))
    if "approved_on" in rows:
        rows["approved_on_raw"] = rows["approved_on"]
        rows["approved_on"] = rows["approved_on"].map(parse_date)
    unmapped = [h for i, h in enumerate(header) if h and i not in mapping]
    warnings = [f"公式单元格按文字读取，未计算：{', '.join(formulas[:10])}"] if formulas else []
    return RawTable(rows, {header[i]: f for i, f in mapping.items()}, unmapped, enc, sheet, notes, warnings,
                    formulas)
