"""The map page with every public list: the network as of a year, programme filters, provincial zones outlined,
and the zone card's designations, status history, results and confidence (AppTest, real roster and boundaries)."""

import re

import pytest

from tests.pages.conftest import all_text, map_html
from tests.pages.test_map_page import listed


@pytest.mark.parametrize(("year", "zones"), [("2012", 12), ("2016", 26), ("2020", 86)])
def test_the_year_in_the_url_shows_the_network_as_of_that_year(app, year, zones):
    at = app(year=year).run()
    assert not at.exception
    assert len(listed(at)) == zones
    assert at.selectbox(key="f_year").value == int(year)
    assert f"{zones} / 90" in all_text(at)


def test_picking_a_year_narrows_the_map_and_writes_the_url(app):
    at = app().run()
    at.selectbox(key="f_year").select(2012).run()
    assert not at.exception
    assert len(listed(at)) == 12 and at.query_params["year"] in ("2012", ["2012"])
    assert all(z.startswith("CN-2011-") for z in listed(at))  # batch 1 only (approved 2011–2012)


def test_a_programme_filter_shows_one_programme(app):
    at = app(prog="provincial_gs").run()
    assert not at.exception
    assert len(listed(at)) == 16 and all(z.startswith("GS-2020-") for z in listed(at))


def test_provincial_zones_are_dashed_outlines_and_the_legend_says_so(app):
    at = app().run()
    text = map_html(at)  # what streamlit-folium was given: the zone group's packed layer among it
    assert '"key": "HB-2019-01"' in text
    hubei = re.search(r'\{[^{}]*"key": "HB-2019-02"[^{}]*\}', text).group(0)
    national = re.search(r'\{[^{}]*"key": "CN-2019-01"[^{}]*\}', text).group(0)
    assert '"dash": "6 4"' in hubei and '"dash"' not in national
    legend = next(e.proto.body for e in at.get("html") if "atlas-legend" in e.proto.body)
    assert "虚线轮廓：省级实验区（30）" in legend and "实心：全国实验区（60）" in legend


def test_the_card_shows_status_history_with_sources(app):
    at = app(zone="CN-2011-08").run()  # 安徽省铜陵市铜官山区, batch 1
    text = all_text(at)
    assert "确认（2011年—2012年） → 实验中（2011年—2012年） → 结项验收（2015年10月）" in text
    assert "中国网 2015-10-09 报道" in text
    assert "铜官区" in text and "340705" in text  # drawn as today's unit


def test_the_card_quotes_published_results_with_their_source(app):
    at = app(zone="CN-2019-01").run()
    text = all_text(at)
    assert "**成果**：探索健全居民自治工作机制：北京市石景山区" in text
    assert "mzj.smx.gov.cn" in text


def test_a_low_confidence_zone_says_so_on_its_card(app):
    at = app(zone="CN-2014-03").run()  # 天津市和平区: batch 2 only by elimination
    assert not at.exception
    text = all_text(at)
    assert "可信度低（间接提及，未经证实）" in text
    assert any("来源可信度低" in w.value for w in at.warning)


def test_a_renewed_zone_shows_its_earlier_acceptance(app):
    at = app(zone="CN-2019-05").run()  # 上海市徐汇区
    assert "结项验收（2019-03-25前）" in all_text(at)
