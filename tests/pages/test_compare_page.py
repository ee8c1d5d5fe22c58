"""The province comparison page as a user drives it: all 34 provinces, a measure picker, 2–4 side by side."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.pages.conftest import all_text

PAGE = Path(__file__).resolve().parents[2] / "pages" / "compare.py"


@pytest.fixture
def page():
    return AppTest.from_file(str(PAGE), default_timeout=60).run()


def test_page_runs_and_tables_all_34_provinces(page):
    assert not page.exception
    table = page.dataframe[0].value
    assert len(table) == 34
    by_name = table.set_index("省份")
    # the 概况 view, headers short enough to fit 1280 px (the full label is the header's tooltip)
    assert by_name.at["河北省", "实验区"] == 2  # 双桥区 (batch 1), 广阳区 (batch 3)
    assert by_name.at["江苏省", "实验区"] == 6  # 4 of 2019, 秦淮区 and 无锡市 of batch 1
    assert by_name.at["甘肃省", "省级"] == 16 and by_name.at["甘肃省", "全国"] == 1
    assert by_name.at["台湾省", "备注"] == "资料暂缺"
    page.session_state["cmp_view"] = "programmes"
    programmes = page.run().dataframe[0].value.set_index("省份")
    assert programmes.at["湖北省", "省级·湖北"] == 10 and programmes.at["甘肃省", "省级·甘肃"] == 16
    text = all_text(page)
    assert "全国实验区（城市社区）·2019年批次：已录入 31/31" in text
    assert "全国实验区（城市社区）·第三批：已录入 10/40，数字不完整" in text
    assert "省级实验区（浙江）·浙江第二批：已录入 4，官方总数未知" in text
    kinds = [b.proto.label for b in page.get("download_button")]
    assert kinds.count("下载图片（PNG）") == 3 and "下载 CSV" in kinds and "下载 Excel" in kinds
    assert len(page.get("image")) == 3


def test_picking_two_provinces_shows_them_side_by_side(page):
    assert "请再选择至少一个省份" in all_text(page)
    page.multiselect(key="cmp_provinces").select("320000").select("330000").run()
    assert not page.exception
    text = all_text(page)
    assert "### 江苏省" in text and "### 浙江省" in text
    assert [m.value for m in page.metric] == ["6", "8"]  # 浙江: 3 of 2019, 杭州市, 4 provincial units of 宁波
    assert "6 个实验区" in text and "8 个实验区" in text
    zhejiang = page.dataframe[-1].value
    assert "浙江省衢州市" in set(zhejiang["实验单位"])


def test_changing_the_measure_updates_the_side_by_side_figures(page):
    page.multiselect(key="cmp_provinces").select("110000").select("130000").run()
    page.selectbox(key="cmp_measure").select("coverage").run()
    assert not page.exception  # 北京: 东城、西城、海淀 (batches 2, 3) and 石景山 of 16; 河北: 双桥、广阳
    assert [(m.label, m.value) for m in page.metric] == [("县级单位覆盖率（%）", "25.0%"), ("县级单位覆盖率（%）", "1.2%")]


def test_the_map_export_warns_clearly_without_an_approval_number_and_shows_it_when_set(monkeypatch):
    monkeypatch.delenv("ZONE_ATLAS_APPROVAL_NO", raising=False)
    at = AppTest.from_file(str(PAGE), default_timeout=60).run()
    assert not at.exception and any("未设置审图号" in w.value for w in at.warning)
    monkeypatch.setenv("ZONE_ATLAS_APPROVAL_NO", "GS(2024)0650号")
    at = AppTest.from_file(str(PAGE), default_timeout=60).run()
    assert not any("未设置审图号" in w.value for w in at.warning)
    assert "审图号：GS(2024)0650号" in all_text(at)


def test_export_names_say_what_they_show():
    from datetime import date

    from geo.printmap.captions import export_file_name

    day = date(2026, 11, 30)
    assert export_file_name("实验区分布图", "三社联动", "png", day) == "实验区分布图_三社联动_2026-11-30.png"
    assert export_file_name("实验区名单", "智慧社区/信息化", "csv", day) == "实验区名单_智慧社区-信息化_2026-11-30.csv"
    assert export_file_name("各省数据表", None, "xlsx", day) == "各省数据表_2026-11-30.xlsx"
