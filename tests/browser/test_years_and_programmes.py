"""The network as of a year and provincial programmes, in headless Chromium (internet blocked): the map draws the
zones certain by the end of 2012, 2016 and 2020, provincial zones as dashed outlines, and says how many."""

import pytest

from tests.browser.harness import feature_positions, map_frame, open_map, screenshot, zone_grid_rows

pytestmark = pytest.mark.browser
APP = "app.py"


@pytest.mark.parametrize(("year", "drawn", "listed"), [(2012, 12, 12), (2016, 26, 26), (2020, 84, 86)])
def test_the_year_picker_shows_the_network_as_of_that_year(streamlit_app, page, browser_log, year, drawn, listed):
    server = streamlit_app(APP)
    open_map(page, f"{server.url}/?year={year}", min_paths=drawn)
    assert len(feature_positions(page, "zone")) == drawn  # 街道/园区 rows are listed, not drawn
    assert zone_grid_rows(page) == listed
    assert f"{listed} / 90" in page.locator(".atlas-figure").first.inner_text()
    screenshot(page, f"map_as_of_{year}")
    assert browser_log.page_errors == []


def test_provincial_zones_are_drawn_as_dashed_outlines(streamlit_app, page):
    server = streamlit_app(APP)
    open_map(page, f"{server.url}/?prov=420000", min_paths=10)  # 湖北省: 10 provincial zones and 3 national
    dashed = map_frame(page).evaluate("""() => {
      let n = 0;
      window.map.eachLayer(l => { const p = l.feature && l.feature.properties;
        if (p && p.kind === 'zone' && l.options && l.options.dashArray === '6 4') n++; });
      return n;
    }""")
    assert dashed == 10
    legend = page.locator(".atlas-legend").inner_text()
    assert "虚线轮廓：省级实验区" in legend
    screenshot(page, "map_hubei_provincial_outlines")


@pytest.mark.viewport("1080p")
@pytest.mark.parametrize(("zone", "words"), [
    ("CN-2011-08", ("确认（2011年—2012年） → 实验中（2011年—2012年） → 结项验收（2015年10月）", "340705")),
    ("CN-2019-01", ("成果", "探索健全居民自治工作机制")),
    ("CN-2014-03", ("来源可信度低", "可信度低（间接提及，未经证实）")),
])
def test_the_card_shows_history_results_and_confidence(streamlit_app, page, zone, words):
    server = streamlit_app(APP)
    # a zone deep link zooms the map in until the zone's badge is out of its cluster (Beijing's four zones: zoom 11,
    # six shapes drawn), so the map is only waited for, not counted
    open_map(page, f"{server.url}/?zone={zone}", min_paths=1)
    card = page.locator(".st-key-zone_card")
    card.wait_for(state="visible", timeout=30_000)
    text = card.inner_text()
    assert all(w in text for w in words), text
    screenshot(page, f"card_{zone}")
