"""The real dashboard in headless Chromium, internet blocked: national map, click → card, drill-down, deep links."""

import time

import pytest

from loaders.i18n import text as t
from tests.browser.harness import (
    map_frame,
    screenshot,
    start_streamlit,
    wait_for_app,
    wait_for_map_painted,
)

pytestmark = pytest.mark.browser
APP = "app.py"

# Runs in the map iframe: screen positions of our features by kind/key (markers: their centre).
_FEATURES = """
(kind) => {
  const out = {};
  window.map.eachLayer(l => {
    const p = l.feature && l.feature.properties;
    if (!p || p.kind !== kind || !l._map) return;
    const ll = l.getLatLng ? l.getLatLng() : l.getCenter();
    const pt = window.map.latLngToContainerPoint(ll);
    if (!out[p.key] || l.getLatLng) out[p.key] = [pt.x, pt.y];
  });
  return out;
}
"""


def features(page, kind: str) -> dict:
    """Screen positions once the map has settled (streamlit-folium sizes the iframe, then Leaflet re-fits)."""
    frame = map_frame(page)
    last = None
    for _ in range(40):
        now = frame.evaluate(_FEATURES, kind)
        if now and now == last:
            return now
        last = now
        page.wait_for_timeout(250)  # polling for a settled layout, not a fixed wait for the app
    return last


def click_in_map(page, x: float, y: float) -> None:
    """A real mouse click at a map point; the tests use a 1080p window so the whole map is on screen."""
    box = page.locator('iframe[title="streamlit_folium.st_folium"]').first.bounding_box()
    assert box["y"] + y < page.viewport_size["height"], "map point below the fold"
    page.mouse.click(box["x"] + x, box["y"] + y)


def test_national_map_shows_every_zone_offline(streamlit_app, page, browser_log):
    server = streamlit_app(APP)
    page.goto(server.url)
    wait_for_app(page)
    wait_for_map_painted(page, min_paths=60)
    zones = features(page, "zone")
    assert len(zones) == 31
    box = page.locator('iframe[title="streamlit_folium.st_folium"]').first.bounding_box()
    assert all(0 <= x <= box["width"] and 0 <= y <= box["height"] for x, y in zones.values())
    screenshot(page, "map_national")
    assert browser_log.page_errors == []


@pytest.mark.viewport("1080p")
def test_clicking_a_zone_marker_opens_its_card(streamlit_app, page):
    server = streamlit_app(APP)
    page.goto(server.url)
    wait_for_app(page)
    wait_for_map_painted(page, min_paths=60)
    x, y = features(page, "zone")["CN-2019-31"]  # 酒泉市肃州区, alone in the north-west
    click_in_map(page, x, y)
    card = page.locator(".st-key-zone_card")
    card.wait_for(state="visible", timeout=30_000)
    wait_for_app(page)
    assert "甘肃省酒泉市肃州区" in card.inner_text()
    assert "三社联动" in card.inner_text()
    assert "zone=CN-2019-31" in page.url
    screenshot(page, "map_card_after_click")


@pytest.mark.viewport("1080p")
def test_clicking_a_province_drills_down_and_back(streamlit_app, page):
    server = streamlit_app(APP)
    page.goto(server.url)
    wait_for_app(page)
    wait_for_map_painted(page, min_paths=60)
    frame = map_frame(page)
    # the centre of 新疆 (no zones there): a click lands on the province polygon
    x, y = frame.evaluate("() => { const p = window.map.latLngToContainerPoint([41.5, 85.0]); return [p.x, p.y]; }")
    click_in_map(page, x, y)
    page.wait_for_url("**prov=650000**", timeout=30_000)
    wait_for_app(page)
    paint = wait_for_map_painted(page, min_paths=90)
    assert len(features(page, "county")) > 90
    assert paint["painted_features"] > 90
    page.get_by_role("button", name="返回全国").click()
    page.wait_for_function("() => !location.search.includes('prov=')", timeout=30_000)


def test_deep_link_to_a_zone_in_a_province(streamlit_app, page):
    server = streamlit_app(APP)
    page.goto(server.url + "/?prov=330000&zone=CN-2019-11")
    wait_for_app(page)
    wait_for_map_painted(page, min_paths=90)
    assert "浙江省杭州市江干区" in page.locator(".st-key-zone_card").inner_text()
    screenshot(page, "map_zhejiang_card")


def test_search_filters_map_and_list(streamlit_app, page):
    server = streamlit_app(APP)
    page.goto(server.url + "/?theme=grid")
    wait_for_app(page)
    wait_for_map_painted(page, min_paths=6)
    assert sorted(features(page, "zone")) == ["CN-2019-11", "CN-2019-20", "CN-2019-30"]
    started = time.monotonic()
    box = page.get_by_label("搜索")
    box.fill("榆阳")
    box.press("Enter")
    page.wait_for_url("**q=**", timeout=30_000)
    wait_for_app(page)
    frame = map_frame(page)
    frame.wait_for_function("() => { let n = 0; window.map.eachLayer(l => { if (l.feature && "
                            "l.feature.properties.kind === 'zone') n++; }); return n === 2; }", timeout=30_000)
    print(f"search → repainted map in {time.monotonic() - started:.2f}s")
    assert list(features(page, "zone")) == ["CN-2019-30"]


def test_first_request_to_a_fresh_server_can_be_a_deep_link(tmp_path, browser):
    """The pages/ pitfall: the very first request after start is a deep link and must still run app.py."""
    server = start_streamlit(APP, tmp_path)
    try:
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        page = context.new_page()
        page.goto(server.url + "/compare")
        wait_for_app(page)
        sidebar = page.locator('[data-testid="stSidebar"]').inner_text()
        assert "全国及省级社区治理和服务创新实验区" in sidebar  # written by app.py, not by the page
        assert page.get_by_role("heading", name=t("compare.title")).is_visible()
        assert page.get_by_text("Page not found").count() == 0
        context.close()
    finally:
        server.stop()


def test_png_export_of_the_current_view(streamlit_app, page, tmp_path):
    from PIL import Image

    server = streamlit_app(APP)
    page.goto(server.url + "/?prov=330000&theme=smart")
    wait_for_app(page)
    wait_for_map_painted(page, min_paths=90)
    timings = []
    for _ in range(2):  # the second export is the warm one
        started = time.monotonic()
        with page.expect_download(timeout=60_000) as info:
            page.get_by_role("button", name="导出地图 PNG（300 dpi）").click()
        path = tmp_path / info.value.suggested_filename
        info.value.save_as(path)
        timings.append(time.monotonic() - started)
    print(f"in-app PNG export: cold {timings[0]:.2f}s, warm {timings[1]:.2f}s")
    with Image.open(path) as img:
        assert img.format == "PNG" and img.width == 3507
        assert abs(img.info["dpi"][0] - 300) < 1
