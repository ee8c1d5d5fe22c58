"""Every data grid fits the page at 1280×800 (issue 16 item 6): on every page each st.dataframe shows all its
columns without scrolling sideways — its scroller is no wider than the grid (Glide data grid: .dvn-scroller)."""

from __future__ import annotations

from loaders.i18n import text as t
from tests.browser.harness import screenshot, upload_on_import_page, wait_for_app, wait_for_map_painted
from tests.browser.test_chinese_only_browser import pick_each
from tests.loaders.roster_files import csv_text, roster_rows

APP = "app.py"

# Each grid on the page: its width and how wide its columns are in all (the scroller's content), after layout.
GRIDS = """
() => [...document.querySelectorAll('[data-testid="stDataFrame"]')].map((grid, i) => {
  const scroller = grid.querySelector('.dvn-scroller');
  const heading = grid.closest('[data-testid="stVerticalBlock"]')?.querySelector('h2, h3')?.innerText || '';
  return {index: i, heading, client: scroller ? scroller.clientWidth : 0, content: scroller ? scroller.scrollWidth : 0};
})
"""


def grids_fit(page, where: str, expect: int) -> list[dict]:
    """Wait for `expect` grids to be drawn, then assert none scrolls sideways; the measurements."""
    page.locator('[data-testid="stDataFrame"] .dvn-scroller').nth(expect - 1).wait_for(state="attached")
    grids = page.evaluate(GRIDS)
    assert len(grids) >= expect, (where, grids)
    wide = [g for g in grids if g["content"] > g["client"] + 1]
    assert not wide, f"{where}: grids wider than the page (content px > shown px): {wide}"
    return grids


def shoot_grid(page, index: int, name: str) -> None:
    """A screenshot with the page's `index`-th grid scrolled into view."""
    page.locator('[data-testid="stDataFrame"]').nth(index).scroll_into_view_if_needed()
    screenshot(page, name)


def test_zone_list_beside_the_map_fits(streamlit_app, page):
    server = streamlit_app(APP)
    page.goto(server.url)
    wait_for_app(page)
    wait_for_map_painted(page)
    grids_fit(page, "map page", 1)
    screenshot(page, "i18n_tables_1280_map")


def test_compare_table_fits_in_each_view_and_the_side_by_side_tables_too(streamlit_app, page):
    server = streamlit_app(APP)
    page.goto(server.url + "/compare")
    wait_for_app(page)
    for view in ("overview", "programmes", "batches", "themes"):
        page.locator(".st-key-cmp_view").get_by_text(t(f"compare.views.{view}"), exact=True).click()
        wait_for_app(page)
        grids_fit(page, f"compare page, {view}", 1)
        if view == "overview":
            shoot_grid(page, 0, "i18n_tables_1280_compare")
    # four side by side: the narrowest tables
    pick_each(page, t("compare.pick_provinces"), ("北京市", "上海市", "浙江省", "甘肃省"))
    grids_fit(page, "compare page, four provinces side by side", 5)
    shoot_grid(page, 1, "i18n_tables_1280_compare_side")


def test_about_page_tables_fit(streamlit_app, page):
    server = streamlit_app(APP)
    page.goto(server.url + "/about")
    wait_for_app(page)
    grids_fit(page, "about page", 4)
    shoot_grid(page, 2, "i18n_tables_1280_about")


def test_import_preview_fits(streamlit_app, page):
    server = streamlit_app(APP)
    upload_on_import_page(page, server.url, "2019名单.csv", csv_text(roster_rows()).encode())
    page.locator('[data-testid="stDataFrame"]').first.wait_for(state="visible")
    wait_for_app(page)
    grids_fit(page, "import page", 1)
    shoot_grid(page, 0, "i18n_tables_1280_import")
