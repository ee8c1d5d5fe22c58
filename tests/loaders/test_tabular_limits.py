"""Small hostile files must stay cheap to read: the import page is open to every intranet user, and one upload
that takes minutes or gigabytes slows or kills the server for everyone."""

import io
import time

import openpyxl
import xlsxwriter

from loaders.tabular import MAX_COLUMNS, MAX_ROWS, MAX_UNZIPPED_XML, IntakeError, read_grid

QUICK = 15.0  # seconds: each of these took over 60 s (or ran out of memory) before the limits


def timed(data: bytes, name: str):
    started = time.monotonic()
    try:
        return read_grid(data, name), time.monotonic() - started
    except IntakeError as exc:
        return exc, time.monotonic() - started


def test_a_stray_cell_at_the_last_excel_column_is_ignored_not_expanded():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["省份", "区县", "实验单位"])
    ws.append(["浙江省", "上城区", "杭州市上城区"])
    ws.cell(row=MAX_ROWS, column=16_384, value="far away")  # XFD: a 5 kB file
    buf = io.BytesIO()
    wb.save(buf)
    grid, seconds = timed(buf.getvalue(), "wide.xlsx")
    assert seconds < QUICK
    assert max(len(row) for row in grid.cells) <= MAX_COLUMNS
    assert grid.cells[1][:3] == ["浙江省", "上城区", "杭州市上城区"]


def test_a_csv_row_of_millions_of_commas_is_cut_to_the_column_limit():
    data = ("省份,实验单位" + "," * 4_000_000 + "\n浙江省,杭州市上城区\n").encode()
    grid, seconds = timed(data, "wide.csv")
    assert seconds < QUICK
    assert max(len(row) for row in grid.cells) <= MAX_COLUMNS


def test_a_csv_of_millions_of_rows_is_refused_without_reading_them_all():
    data = b"a,b\n" + b"1,2\n" * 2_000_000
    error, seconds = timed(data, "long.csv")
    assert isinstance(error, IntakeError) and "行数太多" in str(error)
    assert seconds < QUICK


def test_an_xlsx_whose_sheet_unpacks_past_the_xml_limit_is_refused_before_parsing():
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"constant_memory": True})
    ws = wb.add_worksheet()
    for r in range(MAX_ROWS):
        ws.write_row(r, 0, [1] * 300)  # ≈23 MB of sheet XML in a ≈2 MB file
    wb.close()
    error, seconds = timed(buf.getvalue(), "heavy.xlsx")
    assert isinstance(error, IntakeError) and f"{MAX_UNZIPPED_XML / 1e6:.0f} MB" in str(error)
    assert seconds < QUICK


def test_a_full_size_roster_still_reads():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["省份", "城市", "区县", "实验单位", "实验主题", "实验内容"])
    for _ in range(MAX_ROWS):
        ws.append(["浙江省", "杭州市", "上城区", "杭州市上城区", "网格化服务管理", "以网格为单元的社区服务" * 5])
    buf = io.BytesIO()
    wb.save(buf)
    grid, _ = timed(buf.getvalue(), "full.xlsx")
    assert len(grid.cells) == MAX_ROWS + 1
