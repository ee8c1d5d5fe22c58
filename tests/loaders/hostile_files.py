"""Small files that cost minutes or gigabytes to read without the reader's limits (loaders/tabular.py), and a
full-size roster at the limits: used by tests/loaders/test_tabular_limits.py (work done) and bench.intake_speed
(time taken)."""

from __future__ import annotations

import io

import openpyxl
import xlsxwriter

from loaders.tabular import MAX_ROWS


def stray_cell_xlsx() -> bytes:
    """A 5 kB roster with one cell at the last Excel column (XFD) of row MAX_ROWS."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["省份", "区县", "实验单位"])
    ws.append(["浙江省", "上城区", "杭州市上城区"])
    ws.cell(row=MAX_ROWS, column=16_384, value="far away")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def wide_csv() -> bytes:
    """A header row followed by 4 million commas, then one data row."""
    return ("省份,实验单位" + "," * 4_000_000 + "\n浙江省,杭州市上城区\n").encode()


def long_csv() -> bytes:
    """2 million rows of `1,2` (8 MB)."""
    return b"a,b\n" + b"1,2\n" * 2_000_000


def heavy_xlsx() -> bytes:
    """≈23 MB of sheet XML in a ≈2 MB file: MAX_ROWS rows of 300 numbers."""
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"constant_memory": True})
    ws = wb.add_worksheet()
    for r in range(MAX_ROWS):
        ws.write_row(r, 0, [1] * 300)
    wb.close()
    return buf.getvalue()


def full_xlsx() -> bytes:
    """A roster of MAX_ROWS rows with six columns, as an office would send it."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["省份", "城市", "区县", "实验单位", "实验主题", "实验内容"])
    for _ in range(MAX_ROWS):
        ws.append(["浙江省", "杭州市", "上城区", "杭州市上城区", "网格化服务管理", "以网格为单元的社区服务" * 5])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def full_formula_xlsx() -> bytes:
    """full_xlsx's roster written by xlsxwriter with every 实验单位 cell a formula (=B2&C2) and its stored result,
    as Excel saves a sheet of formulas."""
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"constant_memory": True})
    ws = wb.add_worksheet()
    ws.write_row(0, 0, ["省份", "城市", "区县", "实验单位", "实验主题", "实验内容"])
    for r in range(1, MAX_ROWS + 1):
        ws.write_row(r, 0, ["浙江省", "杭州市", "上城区"])
        ws.write_formula(r, 3, f"=B{r + 1}&C{r + 1}", None, "杭州市上城区")
        ws.write_row(r, 4, ["网格化服务管理", "以网格为单元的社区服务" * 5])
    wb.close()
    return buf.getvalue()


def full_csv() -> bytes:
    """A GB18030 roster of MAX_ROWS rows."""
    return ("省份,区县,实验单位\n" + "浙江省,上城区,杭州市上城区\n" * MAX_ROWS).encode("gb18030")


# name (its extension picks the reader) → builder
FILES = {"wide.xlsx": stray_cell_xlsx, "wide.csv": wide_csv, "long.csv": long_csv, "heavy.xlsx": heavy_xlsx,
         "full.xlsx": full_xlsx, "full_formulas.xlsx": full_formula_xlsx, "full.csv": full_csv}
