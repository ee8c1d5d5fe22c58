"""What a person sees on the import page for a workbook as offices send it (issue 13): a hidden drop-down list
sheet, two visible sheets, 区县 filled by VLOOKUP with stored results, 批复日期 as a plain number in a 1904
workbook — the page says which sheet it read and why, flags the formulas and the date system, offers the sheet
picker, and another sheet can be chosen."""

import pytest

from tests.browser.harness import screenshot, wait_for_app
from tests.browser.hostile import shown
from tests.browser.test_hostile_input import choose_file, no_exception
from tests.browser.test_journeys import pick
from tests.loaders.roster_files import HEADER, roster_rows, with_sheet_states

pytestmark = pytest.mark.browser

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def office_workbook() -> bytes:
    import io

    import xlsxwriter

    rows = roster_rows(4)
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    wb.set_calc_mode("auto")
    lists = wb.add_worksheet("下拉列表")
    for r, (province, county, unit) in enumerate(rows):
        lists.write_row(r, 0, [unit, county, province])
    ws = wb.add_worksheet("2019名单")
    ws.write_row(0, 0, [*HEADER, "批复日期"])
    for r, (province, county, unit) in enumerate(rows, start=1):
        ws.write(r, 0, province)
        ws.write_formula(r, 1, f"=VLOOKUP(C{r + 1},下拉列表!A:B,2,FALSE)", None, county)
        ws.write(r, 2, unit)
        ws.write_number(r, 3, 42087)  # General format, 1904 date system → 2019-03-25
    other = wb.add_worksheet("2020名单")
    other.write_row(0, 0, HEADER)
    for r, row in enumerate(roster_rows(8)[4:], start=1):
        other.write_row(r, 0, row)
    wb.close()
    data = buf.getvalue()
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            part = src.read(info)
            if info.filename == "xl/workbook.xml":
                part = part.replace(b"<workbookPr ", b'<workbookPr date1904="1" ', 1)
            dst.writestr(info, part)
    return with_sheet_states(out.getvalue(), ["hidden", "visible", "visible"], 0)


@pytest.mark.viewport("1080p")
def test_the_import_page_says_which_sheet_it_read_and_how(streamlit_app, page):
    server = streamlit_app("app.py")
    page.goto(server.url + "/import")
    wait_for_app(page)
    choose_file(page, "2019名单.xlsx", office_workbook(), XLSX)
    page.get_by_text("读取 4 行").wait_for()
    wait_for_app(page)
    no_exception(page)
    main = shown(page.locator('[data-testid="stMain"]').inner_text())
    assert "读取工作表“2019名单”（共 3 个工作表）" in main and "跳过隐藏的工作表：“下拉列表”" in main
    assert "公式单元格按文件中保存的计算结果读取" in main and "1904 日期系统" in main
    assert "已对应 4" in main
    screenshot(page, "import_sheet_notes")
    page.get_by_text("日期列中的数字按 Excel 日期序号").scroll_into_view_if_needed()
    screenshot(page, "import_sheet_warnings")

    pick(page, "工作表", "2020名单")
    page.get_by_text("读取指定的工作表“2020名单”").wait_for()
    wait_for_app(page)
    assert "读取 4 行" in shown(page.locator('[data-testid="stMain"]').inner_text())
