"""Workbooks as offices save them (issue 13): hidden lookup sheets, the roster on the second sheet, stored formula
results, formulas never calculated, the 1904 date system, Strict Open XML — read right, with a note saying how."""

import datetime as dt

import openpyxl
import pytest

from loaders.tabular import IntakeError, read_table
from tests.loaders.roster_files import (
    HEADER,
    ooxml_package,
    roster_rows,
    rows_xml,
    workbook_bytes,
    xls,
    xlsx,
    xlsx_with_formulas,
)

LOOKUP = [["省份", "城市", "区县"], ["北京市", "北京市", "石景山区"], ["天津市", "天津市", "河北区"],
          ["吉林省", "长春市", "朝阳区"], ["江苏省", "南京市", "鼓楼区"]]


def text_of(table) -> str:
    return "\n".join(table.messages())


def test_a_hidden_lookup_sheet_first_is_skipped_and_the_visible_active_roster_is_read():
    """The handed case: 省份/城市/区县 drop-down lists on a hidden first sheet, the roster on the active one."""
    rows = roster_rows(5)
    data = xlsx([("lists", LOOKUP, "hidden"), ("名单", [HEADER, *rows], "visible")], active=1)
    table = read_table(data, "名单.xlsx")
    assert table.sheet == "名单"
    assert list(table.rows.unit_name) == [r[2] for r in rows]
    assert "跳过隐藏的工作表：“lists”" in text_of(table)
    assert "读取工作表“名单”" in text_of(table)


@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
def test_a_hidden_sheet_is_skipped_even_when_the_file_says_it_is_active(state):
    rows = roster_rows(3)
    data = xlsx([("lookup", LOOKUP, state), ("roster", [HEADER, *rows], "visible")], active=0)
    table = read_table(data, "a.xlsx")
    assert table.sheet == "roster" and len(table.rows) == 3
    assert [s.state for s in table.sheets] == [state, "visible"]


def test_of_several_visible_sheets_the_first_with_a_recognised_header_is_read():
    rows = roster_rows(4)
    cover = [["2019年全国社区治理和服务创新实验区名单"], ["说明：见第二页"]]
    data = xlsx([("封面", cover, "visible"), ("Sheet2", [HEADER, *rows], "visible")], active=0)
    table = read_table(data, "a.xlsx")
    assert table.sheet == "Sheet2" and list(table.rows.county) == [r[1] for r in rows]
    assert "跳过没有可识别表头的工作表：“封面”" in text_of(table)


def test_another_sheet_can_be_picked_by_name_or_number_and_a_missing_one_is_named():
    a, b = roster_rows(3), roster_rows(6)[3:]
    data = xlsx([("2019", [HEADER, *a], "visible"), ("2020", [HEADER, *b], "visible")], active=0)
    auto = read_table(data, "a.xlsx")
    assert auto.sheet == "2019" and "其他工作表也有可识别的表头：“2020”" in text_of(auto)
    assert list(read_table(data, "a.xlsx", sheet="2020").rows.unit_name) == [r[2] for r in b]
    assert read_table(data, "a.xlsx", sheet="2").sheet == "2020"
    with pytest.raises(IntakeError, match="没有工作表“2021”.*“2019”、“2020”"):
        read_table(data, "a.xlsx", sheet="2021")


def test_picking_a_hidden_sheet_reads_it_with_a_warning():
    data = xlsx([("lists", LOOKUP, "hidden"), ("名单", [HEADER, *roster_rows(2)], "visible")], active=1)
    table = read_table(data, "a.xlsx", sheet="lists")
    assert table.sheet == "lists" and any("隐藏" in w for w in table.warnings)


def test_a_workbook_whose_sheets_are_all_hidden_is_refused_with_their_names():
    data = xls([("a", LOOKUP, True), ("b", [HEADER, *roster_rows(2)], True)])  # openpyxl refuses to write it
    with pytest.raises(IntakeError, match="都是隐藏的.*“a”、“b”"):
        read_table(data, "a.xls")


def test_hidden_sheets_of_an_old_xls_are_skipped_too():
    rows = roster_rows(3)
    data = xls([("lists", LOOKUP, True), ("名单", [HEADER, *rows], False)])
    table = read_table(data, "a.xls")
    assert table.sheet == "名单" and list(table.rows.unit_name) == [r[2] for r in rows]


def test_vlookup_formulas_with_stored_results_give_the_results_flagged():
    """The handed case: 区县 filled by =VLOOKUP(...) — the file stored each result; they are read, and listed."""
    rows = roster_rows(4)
    formulas = {(r, 1): (f"=VLOOKUP(C{r + 1},lists!A:B,2,FALSE)", rows[r - 1][1]) for r in range(1, 5)}
    data = xlsx_with_formulas([HEADER, *rows], formulas, lookup=[[r[2], r[1]] for r in rows])
    table = read_table(data, "a.xlsx")
    assert list(table.rows.county) == [r[1] for r in rows]
    assert table.formula_cells == []
    assert any("保存的计算结果" in w and "名单!B2" in w and "名单!B5" in w for w in table.warnings)


def test_a_formula_without_a_stored_result_falls_back_to_its_text_flagged():
    rows = roster_rows(2)
    data = xlsx_with_formulas([HEADER, *rows], {(1, 1): ("=VLOOKUP(C2,lists!A:B,2,FALSE)", None)},
                              lookup=[["x", "y"]])
    table = read_table(data, "a.xlsx")
    assert table.rows.county.iloc[0] == "=VLOOKUP(C2,lists!A:B,2,FALSE)"
    assert table.rows.county.iloc[1] == rows[1][1]
    assert table.formula_cells == ["名单!B2"]
    assert any("没有保存计算结果" in w for w in table.warnings)


def test_a_formula_whose_stored_result_is_an_error_is_flagged():
    rows = roster_rows(2)
    data = xlsx_with_formulas([HEADER, *rows], {(1, 1): ("=VLOOKUP(C2,lists!A:B,2,FALSE)", "#N/A")},
                              lookup=[["x", "y"]])
    table = read_table(data, "a.xlsx")
    assert table.rows.county.iloc[0] == "#N/A"
    assert any("错误值" in w and "名单!B2" in w for w in table.warnings)


def test_shared_formulas_give_each_cell_its_stored_result():
    """Excel writes a filled-down formula once (<f t="shared" ref=…>) and the others as references to it."""
    rows = roster_rows(3)
    cells = []
    for r, (province, county, unit) in enumerate(rows, start=2):
        f = ('<f t="shared" ref="B2:B4" si="0">VLOOKUP(C2,lists!A:B,2,FALSE)</f>' if r == 2
             else '<f t="shared" si="0"/>')
        cells.append(f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>{province}</t></is></c>'
                     f'<c r="B{r}" t="str">{f}<v>{county}</v></c>'
                     f'<c r="C{r}" t="inlineStr"><is><t>{unit}</t></is></c></row>')
    data = ooxml_package(rows_xml([HEADER]) + "".join(cells))
    table = read_table(data, "shared.xlsx")
    assert list(table.rows.county) == [r[1] for r in rows]
    assert any("名单!B2、名单!B3、名单!B4" in w for w in table.warnings)


def test_a_plain_number_date_in_a_1904_workbook_follows_its_date_system():
    """The handed case: 42087 in a General-format 批复日期 cell of a 1904 workbook is 2019-03-25 (not 2015-03-24)."""
    rows = [[*r, 42087] for r in roster_rows(2)]
    data = xlsx([("名单", [[*HEADER, "批复日期"], *rows], "visible")], date1904=True)
    table = read_table(data, "a.xlsx")
    assert list(table.rows.approved_on) == ["2019-03-25", "2019-03-25"]
    assert any("1904 日期系统" in m for m in table.messages())


def test_a_plain_number_date_in_a_1904_workbook_written_by_hand_xml():
    xml = rows_xml([[*HEADER, "批复日期"], [*roster_rows(1)[0], 42087]])
    table = read_table(ooxml_package(xml, date1904=True), "a.xlsx")
    assert table.rows.approved_on.iloc[0] == "2019-03-25"


def test_the_same_number_in_a_1900_workbook_is_the_1900_date():
    rows = [[*r, 43549] for r in roster_rows(1)]
    table = read_table(xlsx([("名单", [[*HEADER, "批复日期"], *rows], "visible")]), "a.xlsx")
    assert table.rows.approved_on.iloc[0] == "2019-03-25"
    assert any("1900 日期系统" in w for w in table.warnings)


def test_a_formatted_date_cell_in_a_1904_workbook_is_the_date_it_shows():
    wb = openpyxl.Workbook()
    wb.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    ws = wb.active
    ws.append([*HEADER, "批复日期"])
    ws.append([*roster_rows(1)[0], dt.datetime(2019, 3, 25)])
    ws["D2"].number_format = "yyyy-mm-dd"
    table = read_table(workbook_bytes(wb), "a.xlsx")
    assert table.rows.approved_on.iloc[0] == "2019-03-25"


def test_a_strict_open_xml_workbook_is_read_and_said_to_be_strict():
    """The handed case: openpyxl alone raises IndexError on Strict; the reader rewrites the namespaces."""
    rows = roster_rows(3)
    data = ooxml_package(rows_xml([HEADER, *rows]), strict=True)
    table = read_table(data, "strict.xlsx")
    assert list(table.rows.unit_name) == [r[2] for r in rows]
    assert any("Strict Open XML" in m for m in table.messages())


def test_a_strict_workbook_with_a_1904_date_is_read_right():
    data = ooxml_package(rows_xml([[*HEADER, "批复日期"], [*roster_rows(1)[0], 42087]]), strict=True, date1904=True)
    assert read_table(data, "strict.xlsx").rows.approved_on.iloc[0] == "2019-03-25"


def test_a_broken_strict_workbook_is_refused_with_what_to_do_not_an_exception():
    data = ooxml_package("<row r='1'><c r='A1' t='inlineStr'><is><t>x</t></is></c>", strict=True)  # unclosed row
    with pytest.raises(IntakeError, match="另存为"):
        read_table(data, "strict.xlsx")


def test_an_old_xls_in_the_1904_date_system_reads_plain_numbers_and_date_cells_alike():
    import io

    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    wb.dates_1904 = True
    ws = wb.add_sheet("名单")
    for c, h in enumerate([*HEADER, "批复日期"]):
        ws.write(0, c, h)
    for r, row in enumerate(roster_rows(2), start=1):
        for c, v in enumerate(row):
            ws.write(r, c, v)
    ws.write(1, 3, 42087)  # a plain number
    ws.write(2, 3, dt.date(2019, 3, 25), xlwt.easyxf(num_format_str="YYYY-MM-DD"))  # a date cell
    buf = io.BytesIO()
    wb.save(buf)
    table = read_table(buf.getvalue(), "a.xls")
    assert list(table.rows.approved_on) == ["2019-03-25", "2019-03-25"]
    assert any("1904" in m for m in table.messages())


def test_a_strict_package_with_styles_theme_and_properties_reads_its_date_cells():
    """The other parts Excel writes (styles with date formats, theme, docProps) in Strict namespaces too: each
    transitional namespace of an openpyxl file is swapped for its Strict twin (ECMA-376 Part 1, 5th ed., §A)."""
    import io
    import zipfile

    from loaders.workbook import STRICT_TO_TRANSITIONAL

    wb = openpyxl.Workbook()
    wb.active.title = "名单"
    wb.active.append([*HEADER, "批复日期"])
    for r in roster_rows(3):
        wb.active.append([*r, dt.datetime(2019, 3, 25)])
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(workbook_bytes(wb))) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            part = src.read(info)
            for strict, transitional in STRICT_TO_TRANSITIONAL[:-1]:
                part = part.replace(transitional, strict)
            if info.filename == "xl/workbook.xml":
                part = part.replace(b"<workbook ", b'<workbook conformance="strict" ', 1)
            dst.writestr(info, part)
    table = read_table(out.getvalue(), "strict.xlsx")
    assert list(table.rows.approved_on) == ["2019-03-25"] * 3 and table.sheet == "名单"


def test_formula_cells_of_an_old_xls_are_flagged_on_their_own_sheet():
    """xlwt, like many exporters, stores no result for a formula: the cell is read blank and listed; the
    formula on the hidden sheet is not the roster's and not listed."""
    import io

    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    lists = wb.add_sheet("lists")
    lists.write(0, 0, "x")
    lists.write(1, 1, xlwt.Formula("1+1"))
    lists.visibility = 1
    ws = wb.add_sheet("名单")
    for c, h in enumerate(HEADER):
        ws.write(0, c, h)
    rows = roster_rows(2)
    for r, (province, county, unit) in enumerate(rows, start=1):
        ws.write(r, 0, province)
        ws.write(r, 1, xlwt.Formula('"石景山"&"区"') if r == 1 else county)
        ws.write(r, 2, unit)
    buf = io.BytesIO()
    wb.save(buf)
    table = read_table(buf.getvalue(), "a.xls")
    assert list(table.rows.county) == ["", rows[1][1]]
    assert any("没有保存计算结果" in w and "名单!B2" in w and "lists" not in w for w in table.warnings)
    assert not any("无法确定" in m for m in table.messages())
