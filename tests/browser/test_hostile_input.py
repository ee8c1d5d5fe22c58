"""Hostile text through every path — roster file, import page, query string — shows as text in a real browser.

Script payloads set `window.top.__xss` and call alert(); XssGuard fails a test if a dialog opens in any frame
(the streamlit-folium iframe included) or a flag is set. Text is compared as a person reads it (hostile.shown).
"""

from __future__ import annotations

import csv
import io
import re
from urllib.parse import quote

import openpyxl
import pytest
from playwright.sync_api import expect

from loaders.roster import read_roster_csv
from loaders.tabular import MAX_BYTES
from tests.browser.harness import (
    feature_positions,
    free_port,
    map_frame,
    open_map,
    page_point,
    screenshot,
    start_streamlit,
    wait_for_app,
)
from tests.browser.hostile import (
    FORMULA_THEMES,
    HOSTILE_ZONES,
    LINKS,
    NAME_PAYLOADS,
    PAYLOADS,
    XssGuard,
    expected_text,
    shown,
    write_hostile_roster,
)
from ui.text import WORD_JOINER

pytestmark = pytest.mark.browser
DATA_URLS = ({r["source_url"] for r in csv.DictReader(open("data/results.csv", encoding="utf-8"))}
             | set(read_roster_csv().source_url)) - {""}
STREAMLIT_UPLOAD_LIMIT = 10 * 1024 * 1024  # server.maxUploadSize = 10 (MB, counted in MiB by Streamlit)
PROBE_APP = "tests/browser/apps/escape_probe_app.py"
# Elements a payload must never turn into (the link-to-heading anchor Streamlit adds to every heading is its own).
ACTIVE = (":is(a, img, svg, script, iframe, .katex, [data-testid='stIconMaterial'], [data-testid='stMarkdownColoredText'])"
          ":not([data-testid='stHeaderActionElements'] *)")


@pytest.fixture
def guard(page):
    g = XssGuard(page)
    yield g
    g.assert_clean()


def test_escaped_payloads_render_as_their_own_text(streamlit_app, page, guard):
    """md_escape → st.markdown / st.caption / st.warning / headings, and the legend's HTML: literal text only."""
    server = streamlit_app(PROBE_APP)
    page.goto(server.url)
    wait_for_app(page)
    page.get_by_text("probe ready").wait_for()
    wrong = {}
    for name, payload in PAYLOADS.items():
        for kind in ("md", "caption", "warning", "heading"):
            box = page.locator(f".st-key-{kind}_{name}")
            text = shown(box.inner_text())
            active = box.locator(ACTIVE).count()
            if text != shown(payload) or active:
                wrong[f"{kind}_{name}"] = (text, active)
    legend = shown(page.locator(".st-key-legend").inner_text())
    missing = [p for p in PAYLOADS.values() if shown(p) not in legend]
    screenshot(page, "hostile_escape_probe", full_page=True)
    assert wrong == {}, "payloads that did not render as their own text (shown, active elements):\n" + "\n".join(
        f"  {k}: {v!r}" for k, v in wrong.items())
    assert missing == []
    assert page.locator(f".st-key-legend :is({ACTIVE})").count() == 0


def test_web_addresses_from_the_data_open_as_links_and_nothing_else_does(streamlit_app, page, guard):
    """md_link in the browser: a plain http(s) address is one link, to that address, reading (and copying) as the
    address; javascript:, data: and text with a markdown link inside stay text without any link."""
    server = streamlit_app(PROBE_APP)
    page.goto(server.url)
    wait_for_app(page)
    page.get_by_text("probe ready").wait_for()
    for name, (url, href) in LINKS.items():
        box = page.locator(f".st-key-link_{name}")
        links = box.locator("a")
        # waited for (auto-retrying expect): under load in CI a caption was read before its markdown had rendered
        expect(box).to_contain_text("来源：", timeout=30_000)
        if href is None:
            expect(links).to_have_count(0)
            assert shown(box.inner_text()) == shown("来源：" + url), name
        else:
            expect(links).to_have_count(1, timeout=30_000)
            expect(links.first).to_have_attribute("href", href, timeout=30_000)
            assert links.first.inner_text().replace(WORD_JOINER, "") == url, name  # what a reader selects and copies
            assert box.locator(ACTIVE.replace("a, ", "")).count() == 0, name  # no icon/emoji from ":smile:"


# --- the real dashboard on a roster whose text fields carry the payloads ----------------------------------------


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    roster = write_hostile_roster(root / "data" / "roster.csv")
    server = start_streamlit("app.py", root / "logs",
                             env={"ZONE_ATLAS_ROSTER": str(roster), "ZONE_ATLAS_ADMIN_TOKEN": None})
    yield server
    server.stop()


def no_exception(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0, page.locator(
        '[data-testid="stException"]').first.inner_text()


@pytest.mark.viewport("1080p")
@pytest.mark.parametrize("zone", HOSTILE_ZONES, ids=lambda z: z.zone_id)
def test_roster_payloads_show_as_text_in_card_tooltip_and_legend(hostile_server, page, guard, zone):
    # a zone deep link zooms in until the zone's badge leaves its cluster (CN-2019-01, in Beijing: zoom 11, a few
    # shapes drawn), so the map is waited for without a count
    open_map(page, f"{hostile_server.url}/?zone={zone.zone_id}&color=batch", min_paths=1)
    no_exception(page)
    card = page.locator(".st-key-zone_card")
    text = shown(card.inner_text())
    assert expected_text(zone.unit_name, "name") in text
    for column, payload in zone.fields.items():
        if column != "batch":  # the batch is shown in the legend, below
            assert expected_text(payload) in text, column
    # the only active elements: links to the web addresses of the data's own sources (data/results.csv, the
    # roster's source_url), each opening exactly that address (ui.text.md_link)
    links = [a.get_attribute("href") for a in card.locator("a:not([data-testid='stHeaderActionElements'] *)").all()]
    assert set(links) <= DATA_URLS, links
    assert card.locator(ACTIVE).count() == len(links)
    # the list beside the map is a data grid: cells are drawn on a canvas as text (its values are checked as data
    # in tests/pages/test_map_page.py); nothing from the roster becomes an element of the page
    zone_list = page.locator('[class*="st-key-zone_rows_"]')
    zone_list.locator('[data-testid="stDataFrame"]').wait_for()
    assert zone_list.locator("img, script, a, iframe").count() == 0
    if "batch" in zone.fields:
        assert expected_text(zone.fields["batch"]) in shown(page.locator(".atlas-legend").inner_text())

    # Leaflet tooltips are HTML: hover the zone's marker and read what the tooltip shows.
    x, y = feature_positions(page, "zone")[zone.zone_id]
    page.mouse.move(*page_point(page, x, y))
    tooltip = map_frame(page).locator(".leaflet-tooltip:not(.atlas-note)")
    tooltip.wait_for(state="visible")
    tip = shown(tooltip.inner_text())
    assert expected_text(zone.unit_name, "name") in tip
    assert expected_text(zone.fields["theme"]) in tip
    assert tooltip.locator("img, svg, script, a").count() == 0
    screenshot(page, f"hostile_card_tooltip_{zone.zone_id}")


# What each page shows of the hostile roster as page text. The briefing is opened as a presenter would for one
# batch (?batch=, the map page's batch filter) whose name is a payload: its overview names the batch (scope line
# and batch tally) and so does the zone's own slide (subtitle). Unfiltered, the overview of the whole roster has
# too many batches to list them, and the 名单完整度 slide lists only the batches of data/batches.csv.
# /compare and /about show roster text only inside data grids, which draw cells on a canvas: that those cells hold
# the payload as text is checked in tests/pages/test_about_page.py; here, that nothing runs.
BATCH_ZONE = HOSTILE_ZONES[1]
SHOWN_ON = {"/briefing": [BATCH_ZONE.fields["batch"]], "/compare": [], "/about": []}
QUERY = {"/briefing": "?batch=" + quote(BATCH_ZONE.fields["batch"], safe="")}


def assert_shown_as_text(page, payloads) -> None:
    main = page.locator("[data-testid='stMain']")
    for payload in payloads:
        expect(main).to_contain_text(expected_text(payload))  # waited for: shown as its own text
        assert expected_text(payload) in shown(main.inner_text())
    assert main.locator("img[onerror], svg[onload]").count() == 0  # (the deck runs a script of its own)


@pytest.mark.parametrize("path", SHOWN_ON)
def test_roster_payloads_do_not_run_on_the_other_pages(hostile_server, page, guard, path):
    page.goto(hostile_server.url + path + QUERY.get(path, ""))
    wait_for_app(page)
    no_exception(page)
    assert page.locator("[data-testid='stMarkdownContainer'] :is(script, svg[onload], img[onerror])").count() == 0
    assert_shown_as_text(page, SHOWN_ON[path])
    if path == "/briefing":  # the batch's one zone has the deck's last slide
        assert page.locator(".zb-slide").get_attribute("data-slide") == "1"
        screenshot(page, "hostile_briefing_batch_overview")
        page.keyboard.press("End")
        page.wait_for_selector(f'.zb-slide[data-key="zone:{BATCH_ZONE.zone_id}"]')
        wait_for_app(page)
        no_exception(page)
        assert_shown_as_text(page, SHOWN_ON[path])
        assert expected_text(BATCH_ZONE.unit_name, "name") in shown(page.locator(".zb-title").inner_text())
        screenshot(page, "hostile_briefing_batch_zone_slide")


# --- the query string -------------------------------------------------------------------------------------------

JUNK_QUERIES = {
    "unknown_values": "?theme=nope&batch=1999&status=进行中&prov=999999&color=rainbow&mode=sometimes",
    "oversized_10kB": "?theme=" + "grid," * 2000,
    "repeated_keys": "?theme=grid&theme=nope&zone=CN-2019-01&zone=CN-2019-99",
    "nul_byte": "?prov=%00&zone=CN-2019-01%00",
    "not_utf8": "?zone=%ED%A0%80&theme=%FF%FE",
    "bidi_override": "?q=%E2%80%AEgrid",
    "control_chars": "?q=%07%1B%5B31m",
    "private_use": "?color=%EE%80%80",
}


@pytest.mark.parametrize("query", JUNK_QUERIES.values(), ids=JUNK_QUERIES.keys())
def test_junk_in_the_url_falls_back_to_defaults_with_a_notice(hostile_server, page, guard, query):
    open_map(page, hostile_server.url + "/" + query, min_paths=30)
    no_exception(page)
    notice = page.locator('[data-testid="stAlert"]').filter(has_text="已使用默认值")
    assert notice.count() == 1
    assert all(ch.isprintable() for ch in notice.inner_text().replace("\n", " ").replace("\u2060", ""))
    if query == JUNK_QUERIES["repeated_keys"]:  # a repeated list key adds up (theme=grid stays, nope is junk);
        page.wait_for_function("() => location.search === '?theme=grid'")  # two different zones: neither
    else:
        assert "90 / 90" in page.locator(".atlas-figure").first.inner_text()


def test_script_in_the_url_shows_as_text_in_the_notice_and_the_search_box(hostile_server, page, guard):
    theme, zone = PAYLOADS["img"], PAYLOADS["svg"]
    page.goto(f"{hostile_server.url}/?theme={quote(theme)}&zone={quote(zone)}&q={quote(PAYLOADS['script'])}")
    wait_for_app(page)
    no_exception(page)
    notice = page.locator('[data-testid="stAlert"]').filter(has_text="已使用默认值")
    text = shown(notice.inner_text())
    assert shown(theme)[:40] in text and shown(zone)[:40] in text
    assert notice.locator(ACTIVE).count() == 0
    # The script reports notRunning before the sidebar is painted, and Streamlit's text input mounts empty and
    # takes its value a frame later: wait for the value rather than read it once (one CI run in six read '').
    expect(page.get_by_label("搜索")).to_have_value(PAYLOADS["script"][:60], timeout=10_000)


# --- downloads: a spreadsheet must never evaluate roster text ---------------------------------------------------

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def download(page, button: str, tmp_path) -> bytes:
    with page.expect_download() as info:
        page.get_by_role("button", name=button, exact=True).click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    return path.read_bytes()


def test_zone_list_downloads_neutralise_formula_cells(hostile_server, page, guard, tmp_path):
    """The bytes the browser saves: no CSV cell and no Excel cell starts like a formula; the payloads are there."""
    page.goto(hostile_server.url)
    wait_for_app(page)
    rows = list(csv.reader(io.StringIO(download(page, "下载 CSV", tmp_path).decode("utf-8-sig"))))
    cells = [c for row in rows for c in row]
    assert len(rows) == 91  # header and the roster's 90 rows
    assert [c for c in cells if c.startswith(FORMULA_START)] == []
    for theme in FORMULA_THEMES.values():
        assert "'" + theme in cells

    book = openpyxl.load_workbook(io.BytesIO(download(page, "下载 Excel", tmp_path)))
    xcells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert len(xcells) > 31 * 5
    assert [c.coordinate for c in xcells if c.data_type == "f"] == []
    assert [c.value for c in xcells if isinstance(c.value, str) and c.value.startswith(FORMULA_START)] == []
    for theme in FORMULA_THEMES.values():
        assert "'" + theme in {c.value for c in xcells}


# --- the import page: hostile files, the size limit, XSRF, the admin token -------------------------------------


def open_import_page(page, server) -> None:
    page.goto(server.url + "/import")
    wait_for_app(page)
    no_exception(page)


def choose_file(page, name: str, data: bytes, mime: str = "text/csv") -> None:
    """Pick a file through the uploader's own file chooser, as a person would."""
    with page.expect_file_chooser() as chooser:
        page.locator('[data-testid="stFileUploaderDropzone"] button').first.click()
    chooser.value.set_files({"name": name, "mimeType": mime, "buffer": data})


def hostile_csv() -> bytes:
    header = ["省份", "城市", "区县", "实验单位", "实验主题", "实验内容", "<img/src=x/onerror=window.top.__xss=9>备注"]
    rows = [
        ["北京市", "", "石景山区", NAME_PAYLOADS["img_nospace"], PAYLOADS["img"], PAYLOADS["shortcode"], PAYLOADS["svg"]],
        ["甘肃省", "酒泉市", "肃州区", NAME_PAYLOADS["svg"], PAYLOADS["directive"], PAYLOADS["latex"], PAYLOADS["js_link"]],
        ["注：" + PAYLOADS["script"]],
    ]
    buf = io.StringIO()
    csv.writer(buf).writerows([header, *rows])
    return buf.getvalue().encode("utf-8")


def test_hostile_upload_shows_as_text_on_the_import_page(hostile_server, page, guard):
    open_import_page(page, hostile_server)
    choose_file(page, '<img src=x onerror="window.top.__xss=10">.csv', hostile_csv())
    counts = page.get_by_text("读取 2 行")
    counts.wait_for()
    wait_for_app(page)
    no_exception(page)
    main = page.locator('[data-testid="stMain"]')
    text = shown(main.inner_text())
    assert "<img/src=x/onerror=window.top.__xss=9>备注" in text  # the unused column's name, as text
    assert main.locator(":is(img, svg, script, iframe)[onerror], :is(img, svg, script)[onload], script").count() == 0
    screenshot(page, "hostile_import_preview")


def multipart(boundary: str, name: str, data: bytes) -> bytes:
    head = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: text/csv\r\n\r\n").encode()
    return head + data + f"\r\n--{boundary}--\r\n".encode()


def test_the_upload_size_limit_holds_in_all_three_places(hostile_server, page, guard):
    """The uploader refuses a file over 10 MB; the server refuses a body over server.maxUploadSize (10 MiB) even
    from a client that skips the uploader; and the app refuses what gets past both (over MAX_BYTES)."""
    open_import_page(page, hostile_server)
    choose_file(page, "big.csv", b"a" * (MAX_BYTES + 1))
    page.get_by_text("文件不能超过 10.0 MB").wait_for()  # Streamlit's "File must be 10.0MB or smaller." (streamlit.yaml)
    no_exception(page)

    # A client that skips the uploader's check: replay the browser's own upload request with other bodies.
    open_import_page(page, hostile_server)
    with page.expect_request(lambda r: "/_stcore/upload_file/" in r.url and r.method == "PUT") as sent:
        choose_file(page, "small.csv", hostile_csv())
    page.get_by_text("读取 2 行").wait_for()
    wait_for_app(page)
    request = sent.value
    boundary = request.headers["content-type"].split("boundary=")[1]
    headers = {"content-type": request.headers["content-type"], "x-xsrftoken": request.headers["x-xsrftoken"]}
    too_big = page.request.fetch(request.url, method="PUT", headers=headers,
                                 data=multipart(boundary, "small.csv", b"a" * (STREAMLIT_UPLOAD_LIMIT + 1)))
    assert too_big.status == 413
    between = b"\xe5\xae\x9e" * ((MAX_BYTES + 300_000) // 3)  # over the app's limit, under Streamlit's
    assert MAX_BYTES < len(between) < STREAMLIT_UPLOAD_LIMIT
    swapped = page.request.fetch(request.url, method="PUT", headers=headers,
                                 data=multipart(boundary, "small.csv", between))
    assert swapped.ok, swapped.status
    rerun = page.get_by_label("批次", exact=True)  # any widget change reruns the page on the swapped file
    rerun.fill("x")
    rerun.press("Enter")
    page.get_by_text("文件太大").wait_for()
    wait_for_app(page)
    no_exception(page)


def test_upload_endpoint_refuses_a_request_without_the_xsrf_token(hostile_server, page, guard):
    """Replay the browser's own upload PUT: without X-Xsrftoken it is refused (403); with it, accepted."""
    open_import_page(page, hostile_server)
    with page.expect_request(lambda r: "/_stcore/upload_file/" in r.url and r.method == "PUT") as sent:
        choose_file(page, "small.csv", hostile_csv())
    request = sent.value
    headers = request.headers
    assert headers.get("x-xsrftoken"), "the browser sent no XSRF token: is enableXsrfProtection off?"
    replay = {"content-type": headers["content-type"]}
    refused = page.request.fetch(request.url, method="PUT", headers=replay, data=request.post_data_buffer)
    assert refused.status == 403
    forged = page.request.fetch(request.url, method="PUT", data=request.post_data_buffer,
                                headers={**replay, "x-xsrftoken": "2|00000000|" + "0" * 32 + "|1700000000"})
    assert forged.status == 403
    accepted = page.request.fetch(request.url, method="PUT", data=request.post_data_buffer,
                                  headers={**replay, "x-xsrftoken": headers["x-xsrftoken"]})
    assert accepted.ok, accepted.status


ADMIN_TOKEN = "zone-atlas-admin-7f3c9e1d"
WRONG_TOKEN = "zone-atlas-guess-0b5a2e88"


@pytest.fixture(scope="module")
def admin_server(tmp_path_factory):
    """A server that may save: its own copy of the bundled roster and an admin token in its environment."""
    root = tmp_path_factory.mktemp("admin")
    roster = root / "data" / "roster.csv"
    roster.parent.mkdir(parents=True)
    read_roster_csv().to_csv(roster, index=False)
    server = start_streamlit("app.py", root / "logs",
                             env={"ZONE_ATLAS_ROSTER": str(roster), "ZONE_ATLAS_ADMIN_TOKEN": ADMIN_TOKEN})
    server.data_dir = roster.parent
    yield server
    server.stop()


def submit_token(page, token: str) -> None:
    box = page.get_by_label("管理员口令")
    box.fill(token)
    page.get_by_role("button", name="保存", exact=True).click()


def test_admin_token_is_checked_and_never_written_anywhere(admin_server, page, guard):
    open_import_page(page, admin_server)
    rows = ("省份,城市,区县,实验单位,实验主题,实验内容,批准机关,批次,文号,批复日期,级别\n"
            "吉林省,长春市,南关区,吉林省长春市南关区,测试主题,测试内容,吉林省民政厅,吉林2019,吉民发〔2019〕30号,2019-05-01,省级实验区\n")
    choose_file(page, "jilin.csv", rows.encode("utf-8"))
    page.get_by_text("读取 1 行").wait_for()
    wait_for_app(page)
    batch = page.get_by_label("批次", exact=True)  # the batch's own line in batches.csv is named on the page
    batch.fill("吉林2019")
    batch.press("Enter")
    wait_for_app(page)
    submit_token(page, WRONG_TOKEN)
    page.get_by_text("口令不正确").wait_for()
    wait_for_app(page)
    submit_token(page, ADMIN_TOKEN)
    page.get_by_text("已保存").wait_for()
    wait_for_app(page)
    no_exception(page)
    written = [admin_server.log()] + [p.read_text(encoding="utf-8", errors="replace")
                                      for p in admin_server.data_dir.rglob("*") if p.is_file()]
    assert len(written) >= 4  # log, roster, its backup, the import log
    for token in (ADMIN_TOKEN, WRONG_TOKEN):
        assert not any(token in text for text in written), "an admin token was written to disk or the log"
    assert "admin token rejected" in admin_server.log()  # the attempt is logged — as an event, not its text
    assert "南关区" in (admin_server.data_dir / "roster.csv").read_text(encoding="utf-8")
    assert page.url.find(ADMIN_TOKEN) < 0


def test_a_page_on_another_site_cannot_open_the_apps_websocket(hostile_server):
    """Cross-site WebSocket hijacking: with server.enableCORS the stream refuses a foreign Origin (403)."""
    # The sync client: Playwright's sync API keeps an event loop running in this thread.
    from websockets import InvalidStatus
    from websockets.sync.client import connect

    def attempt(origin: str):
        url = hostile_server.url.replace("http://", "ws://") + "/_stcore/stream"
        try:
            with connect(url, origin=origin, subprotocols=["streamlit"], open_timeout=30):
                return "open"
        except InvalidStatus as exc:
            return exc.response.status_code

    assert attempt("http://intranet-evil.example") == 403
    assert attempt("null") == 403  # sandboxed iframes and file:// pages
    assert attempt(hostile_server.url) == "open"


def test_tile_attribution_from_the_server_config_shows_as_text(tmp_path, page, guard):
    """Leaflet writes the tile attribution as HTML; the agency's setting reaches it as text."""
    attribution = PAYLOADS["img"] + " 本单位测绘"
    server = start_streamlit("app.py", tmp_path, env={
        "ZONE_ATLAS_TILE_URL": f"http://127.0.0.1:{free_port()}/{{z}}/{{x}}/{{y}}.png",  # local, nothing there
        "ZONE_ATLAS_TILE_ATTRIBUTION": attribution})
    try:
        open_map(page, server.url, min_paths=34)
        credit = map_frame(page).locator(".leaflet-control-attribution")
        assert shown(attribution) in shown(credit.inner_text())
        assert credit.locator("img").count() == 0
        # Leaflet's prefix is plain text here: no link out of a closed network.
        assert credit.inner_text().startswith("Leaflet")
        assert credit.locator("a").count() == 0
        assert "leafletjs.com" not in credit.inner_html()
    finally:
        server.stop()


def test_roster_payloads_show_as_text_on_every_briefing_slide(hostile_server, page, guard):
    """The deck is HTML built by the app (st.html): every slide for the hostile zones, read as text."""
    page.goto(f"{hostile_server.url}/briefing?q=xss&slide=1")
    wait_for_app(page)
    slide = page.locator(".zb-slide")
    slide.wait_for()
    total = int(re.findall(r"\d+", page.locator(".zb-page").inner_text())[-1])  # "第 1 / 5 页"
    texts = []
    for n in range(1, total + 1):
        if n > 1:
            page.keyboard.press("ArrowRight")
            page.wait_for_selector(f'.zb-slide[data-slide="{n}"]')
            wait_for_app(page)
        no_exception(page)
        texts.append(shown(slide.inner_text()))
        assert slide.locator(":is(img, svg, script)[onerror], :is(img, svg)[onload], script, a").count() == 0
    deck = "\n".join(texts)
    for zone in HOSTILE_ZONES[:2]:  # the two whose names carry "xss"
        assert expected_text(zone.unit_name, "name") in deck
        assert expected_text(zone.fields["theme"]) in deck
    screenshot(page, "hostile_briefing_last_slide")
