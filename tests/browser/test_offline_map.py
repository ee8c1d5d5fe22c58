"""With every non-local request blocked, the map still paints: Leaflet, its CSS and images come from /app/static."""

import time

import pytest

from tests.browser.harness import map_frame, screenshot, wait_for_app, wait_for_map_painted

APP = "tests/browser/apps/offline_map_app.py"
PROVINCES = 34  # 31 mainland provinces + Taiwan, Hong Kong, Macao in the boundary package

pytestmark = pytest.mark.browser


def test_province_map_paints_with_the_internet_blocked(streamlit_app, page, browser_log, record_property):
    server = streamlit_app(APP)
    started = time.monotonic()
    page.goto(server.url)
    wait_for_app(page)
    paint = wait_for_map_painted(page, min_paths=2 * PROVINCES)
    first_paint = time.monotonic() - started
    record_property("first_paint_s", round(first_paint, 2))
    print(f"time to first paint {first_paint:.2f}s; paint {paint}")
    path = screenshot(page, "offline_map")

    assert paint["painted_features"] >= PROVINCES  # every province polygon is on screen
    assert paint["painted_layers"] >= 2 * PROVINCES  # and a circle marker per province
    # Pixels, not just objects: China's provinces cover well over a tenth of the fitted map.
    if paint["canvases"]:
        assert paint["canvas_ink"] / paint["canvas_samples"] > 0.10
    else:
        assert paint["svg_paths"] >= 2 * PROVINCES
    assert browser_log.page_errors == []
    assert path.stat().st_size > 10_000


def test_leaflet_comes_from_app_static(streamlit_app, page):
    server = streamlit_app(APP)
    responses = {}
    page.on("response", lambda r: responses.setdefault(r.url.removeprefix(server.url), r))
    page.goto(server.url)
    wait_for_app(page)
    wait_for_map_painted(page, min_paths=PROVINCES)
    leaflet = responses["/app/static/vendor/leaflet/leaflet.js"]
    assert leaflet.status == 200
    assert "javascript" in leaflet.headers["content-type"]
    assert responses["/app/static/vendor/leaflet/leaflet.css"].headers["content-type"].startswith("text/css")
    loaded = map_frame(page).evaluate("() => [window.L.version, !!window.jQuery]")
    assert loaded == ["1.9.4", True]  # our vendored Leaflet; jQuery because the markers carry popups


def test_streamlit_loads_its_fonts_locally(streamlit_app, page, browser_log):
    server = streamlit_app(APP)
    fonts = []
    page.on("request", lambda r: r.resource_type == "font" and fonts.append(r.url))
    page.goto(server.url)
    wait_for_app(page)
    page.evaluate("() => document.fonts.ready")
    assert fonts, "expected Streamlit to load its bundled fonts"
    assert all(url.startswith(server.url) for url in fonts), fonts
    assert browser_log.blocked == []


def test_guard_aborts_and_records_an_external_request(streamlit_app, page, browser_log):
    # The harness itself: a CDN-style request never leaves the machine and is reported (a reserved .invalid host).
    server = streamlit_app(APP)
    page.goto(server.url)
    wait_for_app(page)
    outcome = map_frame(page).evaluate(
        "() => fetch('https://cdn.example.invalid/leaflet.js').then(() => 'loaded', e => 'failed: ' + e.name)"
    )
    assert outcome.startswith("failed")
    assert browser_log.blocked == ["https://cdn.example.invalid/leaflet.js"]
    browser_log.blocked.clear()  # expected here; any other test would fail at teardown
