"""Briefing mode in headless Chromium, internet blocked: clicker and arrow keys page through the deck, the URL
follows, type is projector-sized, nothing overflows at 1280×720 or 1920×1080, and the other pages keep their sidebar.

Screenshots of each slide kind go to artifacts/screenshots/briefing_*.png; key-to-slide times to
artifacts/briefing_timings.json.
"""

from __future__ import annotations

import json
import time

import pytest

from tests.browser.harness import REPO, screenshot, wait_for_app

pytestmark = pytest.mark.browser
APP = "app.py"
SLIDE = ".zb-slide"
TIMINGS = REPO / "artifacts" / "briefing_timings.json"
# One of each kind, and the most crowded of each: 甘肃省 has the most zones, 北京市石景山区 the longest 实验内容,
# 山东省滨州市滨城区 the longest 实验主题; 名单完整度 lists 5 batches on its first slide.
KINDS = {"overview": 1, "batches": 2, "theme": 4, "province": 112, "zone": 18, "zone_long_theme": 73}
SLIDES = 129  # the whole roster: the 31 units of 2019 and the public lists

# Every element on screen that has its own text: tag, classes, computed font size, and its box.
_TEXT_SIZES = """
(root) => [...document.querySelectorAll(root + ' *')].filter(e => {
    const own = [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    const box = e.getBoundingClientRect();
    return own && box.width > 0 && box.height > 0;
  }).map(e => ({tag: e.tagName, cls: e.className.toString(), text: e.textContent.trim().slice(0, 20),
                size: parseFloat(getComputedStyle(e).fontSize)}))
"""

# Boxes of the slide's parts, overflow of every scrolling container, and text clipped inside the side panel.
_LAYOUT = """
() => {
  // the map in the shape the window shows (one <img> per shape, the other display: none)
  const shown = s => [...document.querySelectorAll(s)].find(e => e.getClientRects().length);
  const box = s => { const e = shown(s); if (!e) return null;
                     const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  const parts = {head: box('.zb-head'), map: box('.zb-map img'), legend: box('.zb-legend'), panel: box('.zb-panel'),
                 foot: box('.zb-foot'), controls: box('.st-key-zb_controls')};
  const overflowing = [];
  for (const e of [document.scrollingElement, ...document.querySelectorAll('.zb-slide, .zb-slide *, [data-testid=stMain], [data-testid=stAppViewContainer]')]) {
    // A clipping or scrolling box must hold all its content; any other box must not spill sideways (a title
    // running past the edge). Glyphs taller than a tight line-height are not overflow anyone can see.
    const style = getComputedStyle(e);
    if (style.textOverflow === 'ellipsis' && style.whiteSpace === 'nowrap')
      continue;  // a one-line detail cut with "…" on purpose (its whole text is on the zone's own slide)
    const clips = e === document.scrollingElement || style.overflow !== 'visible';
    const tall = e.scrollHeight > e.clientHeight + 1, wide = e.scrollWidth > e.clientWidth + 1;
    if ((clips && (tall || wide)) || (!clips && wide && e.closest('.zb-slide')))
      overflowing.push([e.tagName, e.className.toString().slice(0, 40), e.scrollWidth, e.clientWidth,
                        e.scrollHeight, e.clientHeight]);
  }
  const panel = document.querySelector('.zb-panel').getBoundingClientRect();
  const clipped = [...document.querySelectorAll('.zb-panel *')].filter(e => {
    const r = e.getBoundingClientRect();
    return r.height > 0 && (r.bottom > panel.bottom + 1 || r.right > panel.right + 1);
  }).map(e => e.textContent.trim().slice(0, 20));
  return {parts, overflowing, clipped, width: innerWidth, height: innerHeight};
}
"""


# The badges on the slide's map as the window shows them: geo.deck.slide_map writes each badge's box (PNG pixels)
# into its <img>'s data-labels; scaled here by displayed size / natural size (object-fit: contain keeps the ratio).
_MAP_LABELS = """
() => {
  const i = [...document.querySelectorAll('.zb-map img')].find(e => e.getClientRects().length);
  const r = i.getBoundingClientRect();
  const scale = Math.min(r.width / i.naturalWidth, r.height / i.naturalHeight);
  const d = JSON.parse(i.dataset.labels);
  return {shape: i.className, font: d.font_px * scale, width: i.naturalWidth * scale, height: i.naturalHeight * scale,
          free: (() => { const f = document.querySelector('.zb-map').getBoundingClientRect();
                         const l = document.querySelector('.zb-legend');
                         return [f.width, f.height - (l ? l.getBoundingClientRect().height + 8 : 0)]; })(),
          labels: d.labels.map(([text, x0, y0, x1, y1]) => ({text, box: [x0, y0, x1, y1].map(v => v * scale)})),
          rows: [...document.querySelectorAll('.zb-rows li')].map(e => (e.querySelector('.zb-num') || {}).textContent || '')};
}
"""
# Slides whose maps carry badges: a national theme map (三社联动, 7 zones), every page of 甘肃省 (17 zones, 15 of
# them county-level and badged, the rest listed as not on the map) and a spotlight (its zone's name).
LABELLED = {"theme": [4, 5], "province": [109, 110, 111, 112], "zone": [18, 128]}  # 128: 积石山…自治县
MIN_LABEL_PX = 20  # the slide's own type floor (ui.briefing.CSS --zb-small) holds for the map's badges too


def open_slide(page, server, n: int, query: str = "") -> None:
    page.goto(f"{server.url}/briefing?slide={n}{query}")
    wait_for_app(page)
    page.wait_for_selector(f'{SLIDE}[data-slide="{n}"]')


def current(page) -> int:
    return int(page.locator(SLIDE).get_attribute("data-slide"))


def press_and_wait(page, key: str, expected: int) -> float:
    """Press a key, wait until slide `expected` is on screen and in the URL; seconds from key to slide."""
    started = time.perf_counter()
    page.keyboard.press(key)
    page.wait_for_selector(f'{SLIDE}[data-slide="{expected}"]')
    elapsed = time.perf_counter() - started
    page.wait_for_function(f"() => new URLSearchParams(location.search).get('slide') === '{expected}'")
    wait_for_app(page)  # the run also draws the following slide's map ahead; let it finish before the next key
    return elapsed


def overlaps(a, b) -> bool:
    return min(a[2], b[2]) - max(a[0], b[0]) > 1 and min(a[3], b[3]) - max(a[1], b[1]) > 1


@pytest.mark.viewport("720p")
def test_keys_and_clicker_page_through_the_deck_and_the_url_follows(streamlit_app, page, browser_log):
    server = streamlit_app(APP)
    open_slide(page, server, 1)
    timings = {}
    timings["ArrowRight 1→2"] = press_and_wait(page, "ArrowRight", 2)
    assert "各批次名单完整度" in page.locator(".zb-title").inner_text()  # known/official size of each batch
    timings["PageDown 2→3"] = press_and_wait(page, "PageDown", 3)
    timings["ArrowLeft 3→2"] = press_and_wait(page, "ArrowLeft", 2)  # cached: the slide was shown before
    timings["PageUp 2→1"] = press_and_wait(page, "PageUp", 1)
    timings[f"End 1→{SLIDES}"] = press_and_wait(page, "End", SLIDES)
    timings[f"Home {SLIDES}→1"] = press_and_wait(page, "Home", 1)
    timings["Space 1→2"] = press_and_wait(page, "Space", 2)
    for n in range(3, 8):  # warm: each of these maps was drawn ahead while the previous slide showed
        timings[f"PageDown {n - 1}→{n}"] = press_and_wait(page, "PageDown", n)
    off = page.get_by_role("radio", name="关")
    off.click()  # focus on the auto-advance radio group: its own arrow-key handling must not take the key
    timings["ArrowRight 7→8 (radio focused)"] = press_and_wait(page, "ArrowRight", 8)
    assert off.get_attribute("aria-checked") == "true"
    TIMINGS.parent.mkdir(parents=True, exist_ok=True)
    TIMINGS.write_text(json.dumps({k: round(v, 3) for k, v in timings.items()}, ensure_ascii=False, indent=1))
    assert browser_log.page_errors == []


@pytest.mark.viewport("720p")
def test_keys_typed_into_a_text_field_do_not_change_the_slide(streamlit_app, page):
    server = streamlit_app(APP)
    open_slide(page, server, 1)
    page.evaluate("() => { const i = document.createElement('input'); i.id = 'probe'; document.body.append(i); }")
    page.focus("#probe")
    for key in ("ArrowRight", "PageDown", " ", "End"):
        page.keyboard.press(key)
    page.locator("#probe").evaluate("e => e.blur()")
    page.get_by_role("button", name="下一页").click()  # one real step: from 1 to 2 unless a key above slipped through
    page.wait_for_function("() => new URLSearchParams(location.search).get('slide') !== '1'")
    wait_for_app(page)
    assert current(page) == 2
    assert page.locator("#probe").input_value() == " "


@pytest.mark.viewport("720p")
def test_type_is_projector_sized_and_nothing_overflows_at_720p(streamlit_app, page):
    check_slides(streamlit_app, page, "720p")


@pytest.mark.viewport("1080p")
def test_type_is_projector_sized_and_nothing_overflows_at_1080p(streamlit_app, page):
    check_slides(streamlit_app, page, "1080p")


@pytest.mark.viewport("default")
def test_type_is_projector_sized_and_nothing_overflows_at_1280x800(streamlit_app, page):
    """A 16:10 laptop on a projector: type a little larger than at 720p for the same panel width (two-line row
    details once pushed 另有 N 个 out of a theme slide's panel here)."""
    check_slides(streamlit_app, page, "1280x800")


@pytest.mark.viewport("xga")
def test_type_is_projector_sized_and_nothing_overflows_on_a_4_3_projector(streamlit_app, page):
    check_slides(streamlit_app, page, "1024x768")


@pytest.mark.viewport("720p")
def test_controls_hide_until_the_mouse_moves(streamlit_app, page):
    server = streamlit_app(APP)
    open_slide(page, server, 2)
    opacity = "() => getComputedStyle(document.querySelector('.st-key-zb_controls')).opacity"
    page.mouse.move(5, 5)
    page.wait_for_function(f"() => ({opacity})() === '1'")
    page.mouse.move(5, 5)  # stays still: hidden again after the idle delay
    page.wait_for_function(f"() => ({opacity})() === '0'", timeout=8000)
    page.keyboard.press("PageDown")  # a clicker needs no visible control
    page.wait_for_selector(f'{SLIDE}[data-slide="3"]')


def check_map_labels(page, kind: str) -> dict:
    """The map fills ≥ 85 % of its cell; every numbered row has its badge on the map; each badge's type and box
    are ≥ MIN_LABEL_PX css px high, it lies inside the map and touches no other badge."""
    data = page.evaluate(_MAP_LABELS)
    where = (kind, page.locator(SLIDE).get_attribute("data-key"), data["shape"])
    # The map's cell (its column less the legend) is 0.9–1.1 times as tall as wide at 4:3, depending on how many
    # lines the title and legend take (积石山…自治县's title takes two); the tall map (0.95) fills ≥ 85 % of it.
    free_w, free_h = data["free"]
    assert data["width"] * data["height"] >= 0.85 * free_w * free_h, (where, data["width"], data["height"], data["free"])
    assert data["font"] >= MIN_LABEL_PX, (where, data["font"])
    texts = [label["text"] for label in data["labels"]]
    numbered = [n for n in data["rows"] if n]
    assert numbered and set(numbered) <= set(texts) if kind != "zone" else len(texts) == 1, (where, texts, data["rows"])
    boxes = [label["box"] for label in data["labels"]]
    for text, (x0, y0, x1, y1) in zip(texts, boxes, strict=True):
        assert y1 - y0 >= MIN_LABEL_PX, (where, text, y1 - y0)
        assert x0 >= 0 and y0 >= 0 and x1 <= data["width"] + 0.5 and y1 <= data["height"] + 0.5, (where, text)
    for i, a in enumerate(boxes):
        for j in range(i + 1, len(boxes)):
            b = boxes[j]
            assert not (min(a[2], b[2]) > max(a[0], b[0]) and min(a[3], b[3]) > max(a[1], b[1])), \
                (where, texts[i], texts[j], a, b)
    return data


def check_labelled_slides(streamlit_app, page) -> None:
    server = streamlit_app(APP)
    for kind, numbers in LABELLED.items():
        for n in numbers:
            open_slide(page, server, n)
            page.wait_for_function("() => [...document.querySelectorAll('.zb-map img')].every(i => i.complete)")
            key = page.locator(SLIDE).get_attribute("data-key")
            assert key.startswith({"theme": "theme:", "province": "province:620000", "zone": "zone:"}[kind]), (n, key)
            check_map_labels(page, kind)


@pytest.mark.viewport("720p")
def test_map_badges_are_projector_sized_and_never_collide_at_720p(streamlit_app, page):
    check_labelled_slides(streamlit_app, page)


@pytest.mark.viewport("xga")
def test_map_badges_are_projector_sized_and_never_collide_on_a_4_3_projector(streamlit_app, page):
    """The 4:3 window shows the tall map (the cell is ≈ 436 × 460 px): the same 20 px floor holds there."""
    check_labelled_slides(streamlit_app, page)


def check_slides(streamlit_app, page, label: str) -> None:
    server = streamlit_app(APP)
    for kind, n in KINDS.items():
        open_slide(page, server, n)
        assert_slide_fits(page, kind)
        if kind in ("overview", "batches", "theme", "province", "zone"):
            screenshot(page, f"briefing_{kind}_{label}")


def assert_slide_fits(page, kind: str) -> None:
    """Title ≥ 40 px, all other text ≥ 20 px, no scrollbar, nothing clipped, spilling or overlapping."""
    page.wait_for_function("() => [...document.querySelectorAll('.zb-map img')].every(i => i.complete)")
    title = page.locator(".zb-title").evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert title >= 40, (kind, title)
    sizes = page.evaluate(_TEXT_SIZES, ".zb-slide") + page.evaluate(_TEXT_SIZES, ".st-key-zb_controls")
    small = [s for s in sizes if s["size"] < 20]
    assert len(sizes) > 8 and not small, (kind, small)
    layout = page.evaluate(_LAYOUT)
    assert layout["overflowing"] == [], (kind, layout["overflowing"])
    assert layout["clipped"] == [], (kind, layout["clipped"])
    parts = {k: v for k, v in layout["parts"].items() if v}
    assert {"head", "panel", "foot", "controls"} <= set(parts), (kind, parts)
    for name, (left, top, right, bottom) in parts.items():
        assert left >= 0 and top >= 0 and right <= layout["width"] and bottom <= layout["height"], (kind, name)
    names = list(parts)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            assert not overlaps(parts[a], parts[b]), (kind, a, b, parts[a], parts[b])


@pytest.mark.viewport("720p")
def test_every_slide_of_the_deck_fits_a_720p_screen(streamlit_app, page):
    walk_the_deck(streamlit_app, page)


@pytest.mark.viewport("xga")
def test_every_slide_of_the_deck_fits_a_4_3_projector(streamlit_app, page):
    """At 1024×768 the side panel is narrower for its height: a theme list whose row details wrapped (智慧社区) and
    a zone legend with a 22-character county name (积石山…自治县) overflowed there while the slides above fitted."""
    walk_the_deck(streamlit_app, page)


def walk_the_deck(streamlit_app, page) -> None:
    server = streamlit_app(APP)
    open_slide(page, server, 1)
    count = int(page.locator(".zb-page").inner_text().split("/")[1].split()[0])
    assert count == SLIDES
    for n in range(1, count + 1):
        if n > 1:
            press_and_wait(page, "PageDown", n)
        assert_slide_fits(page, f"slide {n} ({page.locator(SLIDE).get_attribute('data-key')})")


@pytest.mark.viewport("720p")
def test_filters_from_the_map_page_carry_into_the_briefing_and_the_sidebar_returns_after(streamlit_app, page):
    server = streamlit_app(APP)
    page.goto(server.url + "/?theme=grid")
    wait_for_app(page)
    page.get_by_role("link", name="汇报模式").click()
    page.wait_for_selector(f'{SLIDE}[data-slide="1"]')
    wait_for_app(page)
    footer = page.locator(".zb-page").inner_text()
    count = int(footer.split("/")[1].split()[0])
    assert 1 < count < SLIDES, footer
    assert "网格化服务管理" in page.locator(".zb-subtitle").inner_text()
    assert not page.locator('[data-testid="stSidebar"]').is_visible()
    assert not page.locator('[data-testid="stHeader"]').is_visible()
    page.get_by_role("link", name="退出汇报").click()
    page.wait_for_selector('[data-testid="stSidebar"]', state="visible")
    wait_for_app(page)
    assert page.locator('[data-testid="stHeader"]').is_visible()  # the briefing's CSS left with the briefing
    assert page.locator(SLIDE).count() == 0


@pytest.mark.viewport("720p")
def test_auto_advance_turns_the_page_by_itself(streamlit_app, page):
    server = streamlit_app(APP)
    open_slide(page, server, 4)
    started = time.perf_counter()
    page.get_by_role("radio", name="10 秒").click()
    page.wait_for_selector(f'{SLIDE}[data-slide="5"]', timeout=30_000)
    assert time.perf_counter() - started >= 9  # not at once: after the chosen interval
    page.get_by_role("radio", name="关").click()
    wait_for_app(page)
