"""Faults an intranet server meets: a damaged boundary cache, a roster with bad rows, a roster that cannot be read.

Each test runs its own server on a private copy (ZONE_ATLAS_CACHE / ZONE_ATLAS_ROSTER), never on the shared
.cache/ or data/. What a person must see: a message and then the dashboard — never a traceback.
"""

from __future__ import annotations

import shutil

import pytest

from geo.boundaries import cache as boundaries
from loaders.roster import read_roster_csv
from tests.browser.harness import open_map, screenshot, start_streamlit, wait_for_app, wait_for_map_painted

pytestmark = pytest.mark.browser
REBUILD_TIMEOUT = 300_000  # ms: the cache build takes ≈30 s on an idle machine, several times that on a busy one


def no_exception(page) -> None:
    errors = page.locator('[data-testid="stException"]')
    assert errors.count() == 0, errors.first.inner_text()


@pytest.fixture
def server_with(tmp_path):
    """`server_with(**env)` → a dashboard server with those environment variables; stopped after the test."""
    servers = []

    def start(**env):
        servers.append(start_streamlit("app.py", tmp_path / "logs", env=env))
        return servers[-1]

    yield start
    for server in servers:
        server.stop()


def private_cache_copy(root):
    """A copy of the current boundary cache under `root` (the layout ZONE_ATLAS_CACHE points at)."""
    source = boundaries.cache_dir()
    target = root / "boundaries" / source.name
    shutil.copytree(source, target)
    return target


def test_truncated_boundary_cache_is_rebuilt_with_a_message(server_with, page, tmp_path, browser_log):
    cache = private_cache_copy(tmp_path / "cache")
    layer = cache / "province.parquet"
    layer.write_bytes(layer.read_bytes()[: layer.stat().st_size // 2])  # a copy cut off half-way
    server = server_with(ZONE_ATLAS_CACHE=str(tmp_path / "cache"))
    page.goto(server.url)
    # the notice (the progress bar's first text says the same for a moment, then names each step)
    message = page.locator('[data-testid="stAlert"]').filter(has_text="正在重建")
    message.wait_for(timeout=60_000)
    assert "province" in message.inner_text()
    screenshot(page, "fault_cache_rebuilding")
    wait_for_app(page, timeout=REBUILD_TIMEOUT)
    wait_for_map_painted(page, min_paths=60)
    no_exception(page)
    assert len(boundaries.gpd.read_parquet(layer)) == 34  # the rebuilt layer is whole
    assert browser_log.page_errors == []


def test_roster_rows_with_errors_are_reported_and_the_rest_shown(server_with, page, tmp_path):
    raw = read_roster_csv()
    raw.loc[2, "status"] = "进行中"  # not an allowed status
    raw.loc[5, "zone_id"] = raw.loc[4, "zone_id"]  # a duplicate id
    raw.loc[7, "approved_on"] = "2019-02-30"  # no such day
    path = tmp_path / "roster.csv"
    raw.to_csv(path, index=False)
    server = server_with(ZONE_ATLAS_ROSTER=str(path))
    open_map(page, server.url, min_paths=34)
    no_exception(page)
    assert page.locator(".atlas-figure").first.inner_text().endswith("87 / 87")  # 90 rows, 3 refused
    problems = page.locator('[data-testid="stExpander"]').filter(has_text="名单文件中有 3 处问题")
    problems.click()
    text = problems.inner_text()
    assert "进行中" in text and "2019-02-30" in text and "重复" in text
    screenshot(page, "fault_roster_bad_rows")


@pytest.mark.parametrize("content", [b"", b"zone_id,unit_name\nCN-2019-01,x\n", "编号,单位\n".encode("gbk"),
                                     b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 50],
                         ids=["empty", "missing_columns", "gbk", "binary"])
def test_a_roster_that_cannot_be_read_gives_a_message_not_a_traceback(server_with, page, tmp_path, content):
    path = tmp_path / "roster.csv"
    path.write_bytes(content)
    server = server_with(ZONE_ATLAS_ROSTER=str(path))
    for url in (server.url, server.url + "/compare"):
        page.goto(url)
        wait_for_app(page)
        no_exception(page)
        alert = page.locator('[data-testid="stAlert"]').filter(has_text="名单文件")
        assert alert.count() == 1
        assert str(path.name) in alert.inner_text()
    screenshot(page, "fault_roster_unreadable")
