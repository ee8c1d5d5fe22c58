"""No English reaches a user in the real browser (issue 16 item 6): every page's text as Chromium shows it —
Streamlit's own texts included ("Choose options", "No results", "You can only select up to 4 options", the data
grid's toolbar tooltips, "Upload", sidebar and status labels) — after the interactions that bring those texts up,
holds no Latin-letter word outside tests/chinese_words.py's allowed list (the one the AppTest walk uses)."""

from __future__ import annotations

import pytest

from loaders.i18n import text as t
from tests.browser.harness import (
    FOLIUM_IFRAME,
    SCREENSHOTS,
    screenshot,
    upload_on_import_page,
    wait_for_app,
    wait_for_map_painted,
    wait_for_maps_at_rest,
)
from tests.chinese_words import latin_words_in_context
from tests.loaders.roster_files import csv_text, roster_rows

APP = "app.py"

# What a person sees or hears on the page: visible text nodes (not the names of Material icons, which show as
# glyphs), and the title / aria-label / placeholder of visible elements (tooltips, screen readers, empty fields).
# The map's iframe title is left out: it is streamlit-folium's component name, which the browser tests (and the
# user's screen reader, as "frame") find the map by. Runs in any frame: the page and the map's iframe.
SHOWN_TEXT = """
() => {
  const out = window === window.top ? [document.title] : [];  // a frame's own <title> is never shown
  const shown = (el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0
                          && getComputedStyle(el).visibility !== 'hidden'; };
  // text nodes of one block (a paragraph, a cell, a button) read as one line, as the eye reads them
  const BLOCK = 'p, li, td, th, h1, h2, h3, h4, h5, h6, label, button, div, section, header, footer';
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let block = null, line = '';
  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
    const el = n.parentElement;
    if (!el || !n.nodeValue.trim() || ['SCRIPT', 'STYLE'].includes(el.nodeName)) continue;
    if (el.closest('[data-testid="stIconMaterial"]') || !shown(el)) continue;
    const mine = el.closest(BLOCK);
    if (mine !== block && line) { out.push(line.trim()); line = ''; }
    block = mine;
    line += n.nodeValue;
  }
  if (line) out.push(line.trim());
  for (const el of document.querySelectorAll('[title], [aria-label], [placeholder]')) {
    if (!shown(el)) continue;
    for (const a of ['title', 'aria-label', 'placeholder']) {
      const v = el.getAttribute(a);
      if (v && !(a === 'title' && el.nodeName === 'IFRAME')) out.push(v);
    }
  }
  return out.join('\\n');
}
"""


def shown_text(page) -> str:
    """The page's shown text (SHOWN_TEXT) and that of every map iframe on it (Leaflet's controls, attribution)."""
    parts = [page.evaluate(SHOWN_TEXT)]
    for i in range(page.locator(FOLIUM_IFRAME).count()):
        frame = page.locator(FOLIUM_IFRAME).nth(i).element_handle().content_frame()
        # its document loaded (under load the card showed before the map's frame had a body to read)
        frame.wait_for_function("() => document.readyState === 'complete' && !!document.body", timeout=60_000)
        parts.append(frame.evaluate(SHOWN_TEXT))
    return "\n".join(parts)


def assert_chinese_only(page, where: str) -> None:
    found = latin_words_in_context(shown_text(page))
    assert not found, f"{where}:\n" + "\n".join(f"  {word}: …{context}…" for word, context in found)


def widget(page, label: str):
    """The selectbox or multiselect labelled `label`."""
    return page.locator('[data-testid="stSelectbox"], [data-testid="stMultiSelect"]').filter(
        has=page.get_by_text(label, exact=True))


def pick_each(page, label: str, options) -> None:
    """Choose each of `options` in the multiselect labelled `label`, typing as a person does; wait for each rerun."""
    picker = widget(page, label)
    for option in options:
        picker.locator("input").click()
        page.keyboard.type(option)
        page.get_by_role("option", name=option, exact=True).click()
        page.keyboard.press("Escape")
        wait_for_app(page)


def hover_grid_toolbar(page, grid, shot: str | None = None) -> None:
    """Hover a data grid so its toolbar shows, then each toolbar button so its tooltip shows; check each tooltip
    (and save a screenshot called `shot` with the first one showing)."""
    grid.scroll_into_view_if_needed()
    grid.hover()
    buttons = grid.locator('[data-testid="stElementToolbar"] button')
    buttons.first.wait_for(state="visible")
    for i in range(buttons.count()):
        buttons.nth(i).hover()
        page.locator('[data-testid="stTooltipContent"]').last.wait_for(state="visible")
        if shot and i == 0:
            still(page, shot)
        assert_chinese_only(page, f"tooltip of grid toolbar button {i + 1}")


def still(page, name: str) -> None:
    """A screenshot with CSS animations finished (a drop-down or tooltip caught mid-fade looks half transparent)."""
    wait_for_maps_at_rest(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), animations="disabled")


def test_map_page_with_a_search_that_matches_nothing_and_the_grid_toolbar(streamlit_app, page):
    server = streamlit_app(APP)
    page.goto(server.url)
    wait_for_app(page)
    wait_for_map_painted(page)
    assert_chinese_only(page, "map page")
    themes = widget(page, t("map.themes"))
    themes.locator("input").click()
    page.keyboard.type("zzqx")  # no theme has these letters: the drop-down says it found nothing
    empty = page.get_by_role("listbox").get_by_text("无匹配项", exact=True)
    empty.wait_for(state="visible")
    still(page, "i18n_no_results")
    assert_chinese_only(page, "map page, theme drop-down with no match")
    page.keyboard.press("Escape")  # clears the typed text
    page.keyboard.press("Escape")  # closes the drop-down
    empty.wait_for(state="detached")
    hover_grid_toolbar(page, page.locator('[class*="st-key-zone_rows"] [data-testid="stDataFrame"]').first,
                       shot="i18n_grid_toolbar")


def test_compare_page_up_to_its_limit_of_provinces(streamlit_app, page):
    server = streamlit_app(APP)
    page.goto(server.url + "/compare")
    wait_for_app(page)
    assert_chinese_only(page, "compare page")
    pick_each(page, t("compare.pick_provinces"), ("北京市", "上海市", "江苏省", "浙江省"))  # max_selections=4
    widget(page, t("compare.pick_provinces")).locator("input").click()
    page.get_by_role("listbox").get_by_text("最多只能选择 4 项", exact=False).wait_for(state="visible")
    wait_for_app(page)  # the rerun after the fourth pick has finished (a running app shows its page faded)
    still(page, "i18n_max_selections")
    assert_chinese_only(page, "compare page, province picker at its limit")
    page.keyboard.press("Escape")
    hover_grid_toolbar(page, page.locator('[data-testid="stDataFrame"]').first)  # the 各省数据 table


@pytest.mark.parametrize("path", ["briefing", "about"])
def test_briefing_and_about_pages(streamlit_app, page, path):
    server = streamlit_app(APP)
    page.goto(f"{server.url}/{path}")
    wait_for_app(page)
    assert_chinese_only(page, f"{path} page")


def test_import_page_before_and_after_an_upload(streamlit_app, page):
    server = streamlit_app(APP)
    page.goto(server.url + "/import")
    wait_for_app(page)
    assert_chinese_only(page, "import page")
    roster = csv_text(roster_rows()).encode()  # the 31 zones of 2019 with Chinese headers, as an office writes them
    upload_on_import_page(page, server.url, "2019名单.csv", roster)
    page.locator('[data-testid="stDataFrame"]').first.wait_for(state="visible")
    wait_for_app(page)
    screenshot(page, "i18n_import_uploaded", full_page=True)
    assert_chinese_only(page, "import page after uploading a roster")


def test_an_unknown_address_says_so_in_chinese(streamlit_app, page):
    """A stale bookmark (/nosuchpage): Streamlit's own "Page not found" dialog."""
    server = streamlit_app(APP)
    page.goto(server.url + "/nosuchpage")
    wait_for_app(page)
    page.get_by_role("dialog").wait_for(state="visible")
    assert_chinese_only(page, "unknown address")


# Streamlit texts that need a state a walk cannot reach on demand (a run slow enough to show "Running...", a lost
# connection, an oversized upload): each one as Streamlit words it, for the translator test below.
PATTERN_SAMPLES = [
    "You can only select up to 4 options. Remove an option first.", "You can only select up to 1 option. Remove an "
    "option first.", "Help for 年份", "Select 3 matches", "Add: 禅城", "18 options available.", "1 option available.",
    "Remove 北京市", "File must be 10.0MB or smaller.", "application/pdf files are not allowed.", "10MB per file",
]


def test_every_known_streamlit_text_is_swapped_also_when_react_writes_it_again(page):
    """ui/builtin_zh.js on a bare page: every text of data/i18n/zh_CN/streamlit.yaml, as a text node and as a
    title / aria-label / placeholder, present at load, added later, and written back in English later."""
    import json
    import re

    from loaders.i18n import builtin_texts
    from ui.text import builtin_chinese_html

    exact, _ = builtin_texts()
    samples = [*exact, *PATTERN_SAMPLES]
    page.set_content("<html><body><div id='root'></div></body></html>")
    page.evaluate("""(samples) => {
      const root = document.getElementById('root');
      for (const s of samples) {
        const d = document.createElement('div'); d.textContent = s; root.appendChild(d);
        const b = document.createElement('button'); b.setAttribute('aria-label', s); b.title = s; root.appendChild(b);
        const i = document.createElement('input'); i.placeholder = s; root.appendChild(i);
      }
    }""", samples)
    script = re.fullmatch(r"<script>(.*)</script>", builtin_chinese_html(), re.DOTALL).group(1)
    page.add_script_tag(content=script)
    page.evaluate("""(samples) => {  // React adds a node, and rewrites one it drew before
      const late = document.createElement('span'); late.textContent = samples[0];
      document.getElementById('root').appendChild(late);
      document.querySelector('#root div').firstChild.nodeValue = samples[1];
    }""", samples)
    page.wait_for_function("() => !document.querySelector('#root span') || "
                           "document.querySelector('#root span').textContent !== " + json.dumps(samples[0]))
    left = page.evaluate("""(samples) => {
      const seen = new Set(samples), out = [];
      for (const el of document.querySelectorAll('#root *')) {
        for (const v of [el.textContent, el.title, el.getAttribute('aria-label'), el.placeholder])
          if (v && seen.has(v)) out.push(v);
      }
      return out;
    }""", samples)
    assert not left, f"still in English: {sorted(set(left))}"
    assert not latin_words_in_context(page.evaluate("() => document.body.innerText"))


def open_column_menu(page, grid) -> None:
    """Open the first column's menu of a data grid (its header is drawn on a canvas: hover along it and click
    until the menu opens, as a person finds the menu button)."""
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    menu = page.get_by_text("升序排列")  # Sort ascending: the menu, not a header's tooltip (an icon shares its row)
    for x in range(20, int(box["width"]) - 10, 12):
        page.mouse.move(box["x"] + x, box["y"] + 18)
        page.wait_for_timeout(80)  # the header draws its menu button under a resting pointer
        page.mouse.click(box["x"] + x, box["y"] + 18)
        try:
            menu.first.wait_for(state="visible", timeout=300)
            return
        except Exception:  # not this point of the header: the next one
            continue
    raise AssertionError("no column menu opened along the grid's header")


def test_a_grid_column_menu_its_statistics_and_its_search(streamlit_app, page):
    server = streamlit_app(APP)
    page.goto(server.url + "/about")
    wait_for_app(page)
    grid = page.locator('[data-testid="stDataFrame"]').first
    open_column_menu(page, grid)
    page.get_by_text("统计").last.hover()
    page.get_by_text("不同值", exact=True).wait_for(state="visible")
    still(page, "i18n_column_menu")
    assert_chinese_only(page, "about page, a column's menu and its statistics")
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    grid.hover()
    grid.locator('[data-testid="stElementToolbar"] button').nth(1).click()  # 搜索
    page.keyboard.type("北京")
    page.get_by_text("找到", exact=False).first.wait_for(state="visible")
    assert_chinese_only(page, "about page, searching a grid")


@pytest.mark.parametrize("zone", ["CN-2019-01", "GS-2020-03", "CN-2015-09"])
def test_a_zone_card_is_chinese(streamlit_app, page, zone):
    """A card opened from a link: the 2019 document, a provincial zone, a public-list zone whose source was cut."""
    server = streamlit_app(APP)
    page.goto(f"{server.url}/?zone={zone}")
    wait_for_app(page)
    page.locator(".st-key-zone_card").wait_for(state="visible")
    wait_for_map_painted(page)  # the map's own text (controls, names) is read too
    assert_chinese_only(page, f"map page with the card of {zone}")
