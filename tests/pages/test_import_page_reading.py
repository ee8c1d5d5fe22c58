"""Import page in AppTest (issue 13): it says what a file turned out to be and which sheet was read, and a person
can pick another sheet; a Strict workbook that used to end in a red error box is read."""

from tests.loaders.roster_files import HEADER, html_table, ooxml_package, roster_rows, rows_xml, xlsx
from tests.pages.conftest import all_text
from tests.pages.test_import_page import counts_line, open_import, upload
from ui.importing import input_token

LOOKUP = [["省份", "城市", "区县"], ["北京市", "北京市", "海淀区"], ["天津市", "天津市", "和平区"]]


def two_sheet_workbook() -> bytes:
    return xlsx([("lists", LOOKUP, "hidden"), ("名单", [HEADER, *roster_rows(3)], "visible"),
                 ("第二批", [HEADER, *roster_rows(5)[3:]], "visible")], active=1)


def test_the_page_says_which_sheet_was_read_and_that_hidden_ones_were_skipped(app):
    at = upload(open_import(app), "名单.xlsx", two_sheet_workbook())
    notes = all_text(at)
    assert "读取工作表“名单”（共 3 个工作表）" in notes and "跳过隐藏的工作表：“lists”" in notes
    assert counts_line(at).startswith("读取 3 行：已对应 3")


def test_another_sheet_can_be_picked_on_the_page(app):
    data = two_sheet_workbook()
    at = upload(open_import(app), "名单.xlsx", data)
    picker = at.selectbox(key=f"imp_sheet_{input_token('名单.xlsx', data)}")
    assert picker.value == "名单" and picker.options == ["lists（隐藏）", "名单", "第二批"]
    picker.set_value("第二批").run()
    assert not at.exception
    assert counts_line(at).startswith("读取 2 行：已对应 2")
    assert "读取指定的工作表“第二批”" in all_text(at)


def test_an_html_table_saved_as_xls_is_read_and_said_to_be_html(app):
    at = upload(open_import(app), "export.xls", html_table(roster_rows(4)))
    assert "按内容识别为 HTML 表格（文件名是 .xls" in all_text(at)
    assert counts_line(at).startswith("读取 4 行：已对应 4")


def test_a_strict_open_xml_workbook_is_read_not_a_red_box(app):
    at = upload(open_import(app), "strict.xlsx", ooxml_package(rows_xml([HEADER, *roster_rows(2)]), strict=True))
    assert not at.error
    assert "Strict Open XML" in all_text(at) and counts_line(at).startswith("读取 2 行：已对应 2")


def test_picking_a_sheet_that_cannot_be_read_keeps_the_picker_to_choose_again(app):
    data = xlsx([("名单", [HEADER, *roster_rows(2)], "visible"), ("空白", [], "visible")])
    at = upload(open_import(app), "名单.xlsx", data)
    key = f"imp_sheet_{input_token('名单.xlsx', data)}"
    at.selectbox(key=key).set_value("空白").run()
    assert not at.exception and "没有任何内容" in all_text(at)
    at.selectbox(key=key).set_value("名单").run()
    assert counts_line(at).startswith("读取 2 行：已对应 2")
