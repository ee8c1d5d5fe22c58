"""What an official does, end to end in headless Chromium with the internet blocked (the `page` fixture fails a
test on any non-local request): filter by theme in the sidebar, drill down with the province picker, preview an
import and see it on the map, read the comparison charts and download one.

The national paint, click → card, click drill-down, deep links, search and the map PNG export are in
test_map_page.py; the briefing deck's keyboard journeys are in test_briefing.py. A new journey goes here when it
crosses pages or widgets those files do not drive.
"""

from __future__ import annotations

import io

import pytest
from PIL import Image

from geo.printmap.charts import A4_LANDSCAPE_PX, PRINT_DPI
from loaders.i18n import text as t
from tests.browser.harness import (
    feature_positions,
    map_frame,
    navigate_sidebar,
    open_map,
    screenshot,
    upload_on_import_page,
    wait_for_app,
    wait_for_map_painted,
)

pytestmark = pytest.mark.browser
APP = "app.py"
GRID_ZONES = ["CN-2019-11", "CN-2019-20", "CN-2019-30"]  # zones tagged 网格化服务管理 (data/themes.yaml)
DRAWN = 85  # roster rows with a polygon: all 90 but the 5 街道/镇/园区


_COUNT = """(kind) => { const keys = new Set(); window.map.eachLayer(l => {
    const p = l.feature && l.feature.properties; if (p && p.kind === kind && l._map) keys.add(p.key); });
  return keys.size; }"""


def feature_count(page, kind: str) -> int:
    """How many distinct features of `kind` (zone, province, county) the map holds right now."""
    return map_frame(page).evaluate(_COUNT, kind)


def wait_for_zone_count(page, n: int) -> None:
    map_frame(page).wait_for_function(f"(n) => ({_COUNT})('zone') === n", arg=n)


def shown_metric(page) -> str:
    return page.locator(".atlas-figure").first.inner_text()


def pick(page, label: str, option: str) -> None:
    """Choose `option` in the selectbox or multiselect labelled `label`, by typing as a person would."""
    widget = page.locator('[data-testid="stSelectbox"], [data-testid="stMultiSelect"]').filter(
        has=page.get_by_text(label, exact=True))
    widget.locator("input").click()
    page.keyboard.type(option)  # long option lists are virtualised: narrow them first
    page.get_by_role("option", name=option, exact=True).click()
    page.keyboard.press("Escape")  # a multiselect stays open for more choices


def test_theme_filter_in_the_sidebar_narrows_map_list_and_link(streamlit_app, page):
    server = streamlit_app(APP)
    open_map(page, server.url, min_paths=60)
    assert feature_count(page, "zone") == DRAWN
    pick(page, t("map.themes"), "网格化服务管理")
    page.wait_for_url("**theme=grid**")
    wait_for_zone_count(page, len(GRID_ZONES))
    wait_for_app(page)
    assert sorted(feature_positions(page, "zone")) == GRID_ZONES
    assert shown_metric(page).endswith(f"{len(GRID_ZONES)} / 90")
    screenshot(page, "journey_theme_filter")
    # The link now reopens the same view in a new session.
    open_map(page, page.url, min_paths=34)
    wait_for_zone_count(page, len(GRID_ZONES))


@pytest.mark.viewport("1080p")
def test_province_picker_drills_down_and_back_to_the_nation(streamlit_app, page):
    server = streamlit_app(APP)
    open_map(page, server.url, min_paths=60)
    pick(page, t("map.province_pick"), "浙江省")
    page.wait_for_url("**prov=330000**")
    wait_for_app(page)
    wait_for_map_painted(page, min_paths=90)
    assert len(feature_positions(page, "county")) == 90  # Zhejiang's county-level units
    assert "浙江省" in page.locator('[data-testid="stMain"]').inner_text()
    screenshot(page, "journey_province_picker")
    page.get_by_role("button", name=t("map.back_to_nation")).click()
    page.wait_for_function("() => !location.search.includes('prov=')")
    wait_for_app(page)
    wait_for_map_painted(page, min_paths=60)
    wait_for_zone_count(page, DRAWN)
    assert feature_count(page, "county") == 0


IMPORT_CSV = (
    "省份,城市,区县,实验单位,实验主题,实验内容\n"
    "吉林省,长春市,南关区,吉林省长春市南关区,网格化服务管理,以网格为单元的社区服务\n"
    "火星,,,火星市,无,无\n"
).encode()


def test_import_preview_counts_rows_and_shows_them_on_this_sessions_map(streamlit_app, page):
    server = streamlit_app(APP)
    upload_on_import_page(page, server.url, "jilin.csv", IMPORT_CSV)
    counts = page.get_by_text("读取 2 行")
    counts.wait_for()
    wait_for_app(page)
    assert "已对应 1" in counts.inner_text() and "未找到 1" in counts.inner_text()
    page.locator('[data-testid="stDataFrame"] canvas').first.wait_for()  # the row-by-row preview table
    counts.scroll_into_view_if_needed()
    screenshot(page, "journey_import_preview")
    # Both downloads of the checked roster, one right after the other (no rerun between to lose the second click),
    # named in Chinese after the upload: 整理后的名单_jilin_<date>.csv / .xlsx
    names = []
    for label in ("import.download_csv", "import.download_xlsx"):
        with page.expect_download(timeout=60_000) as info:
            page.get_by_role("button", name=t(label)).click()
        names.append(info.value.suggested_filename)
    assert [n.rsplit("_", 1)[0] for n in names] == ["整理后的名单_jilin"] * 2, names
    assert [n.rsplit(".", 1)[1] for n in names] == ["csv", "xlsx"], names

    page.get_by_role("button", name=t("import.show_on_map")).click()
    page.get_by_text("已把 1 个实验区加入本次会话的地图").wait_for()
    # Same session: go to the map through the navigation, not a new page load.
    navigate_sidebar(page, "map")
    wait_for_map_painted(page, min_paths=60)
    wait_for_zone_count(page, DRAWN + 1)
    assert shown_metric(page).endswith("91 / 91")
    screenshot(page, "journey_import_on_map")


def test_compare_page_draws_its_charts_and_downloads_a_print_png(streamlit_app, page, tmp_path):
    server = streamlit_app(APP)
    page.goto(server.url + "/compare")
    wait_for_app(page)
    images = page.locator('[data-testid="stImage"] img')
    images.first.wait_for()
    sizes = images.evaluate_all("imgs => imgs.map(i => [i.complete, i.naturalWidth, i.naturalHeight])")
    assert len(sizes) >= 3  # map, bar chart, heatmap
    assert all(done and w >= 1000 and h >= 300 for done, w, h in sizes), sizes

    with page.expect_download() as info:
        page.get_by_role("button", name=t("compare.download.png")).first.click()
    data = (tmp_path / "chart.png")
    info.value.save_as(data)
    with Image.open(io.BytesIO(data.read_bytes())) as img:
        assert img.format == "PNG"
        assert abs(img.width - A4_LANDSCAPE_PX) <= 1
        assert abs(img.info["dpi"][0] - PRINT_DPI) < 1

    pick(page, t("compare.pick_provinces"), "浙江省")
    pick(page, t("compare.pick_provinces"), "广东省")
    page.locator(".st-key-profile_330000").wait_for()
    page.locator(".st-key-profile_440000").wait_for()
    wait_for_app(page)
    assert "浙江省" in page.locator(".st-key-profile_330000").inner_text()
    page.locator(".st-key-profile_330000").scroll_into_view_if_needed()
    screenshot(page, "journey_compare")
