"""Browser-test fixtures: Streamlit servers started on demand, headless Chromium, and a page cut off from the internet.

    def test_x(streamlit_app, page):
        server = streamlit_app("app.py")          # any app file, started once per session
        page.goto(server.url); wait_for_app(page)

Every request a page makes to anything but localhost is aborted and recorded; the test then fails at teardown
with the list. `@pytest.mark.viewport("720p")` / `("1080p")` picks another window size (default 1280×800).

Chromium is found as the Makefile finds it (harness.find_chromium: `$CHROMIUM`, else `chromium` on PATH). Without
one the browser tests skip on a developer's machine; with CI set, every browser test that does not run is a failure
(a CI run that skipped the browser tests has not tested what a person sees).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.browser.harness import (
    CHROMIUM,
    CHROMIUM_ARGS,
    MISSING_CHROMIUM,
    REPO,
    VIEWPORTS,
    NetworkGuard,
    in_ci,
    start_streamlit,
)


def pytest_configure(config):
    config.addinivalue_line("markers", "viewport(name): browser window size, one of " + ", ".join(VIEWPORTS))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """With CI set, a browser test that skipped (for any reason) is reported as failed, with the skip's reason."""
    report = (yield).get_result()
    if report.skipped and in_ci() and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"browser test skipped while CI is set (a skip counts as a failure in CI): {reason}"


@pytest.fixture(scope="session")
def streamlit_app(tmp_path_factory):
    """Factory: `streamlit_app(path)` → a running StreamlitServer for that app file (one per file per session)."""
    servers = {}
    log_dir = tmp_path_factory.mktemp("streamlit-logs")

    def start(app: str | Path):
        key = Path(app) if Path(app).is_absolute() else (REPO / app)
        key = key.resolve()
        if key not in servers or servers[key].proc.poll() is not None:
            servers[key] = start_streamlit(key, log_dir)
        return servers[key]

    yield start
    for server in servers.values():
        server.stop()


@pytest.fixture(scope="session")
def browser():
    if CHROMIUM is None:
        if in_ci():
            pytest.fail(f"{MISSING_CHROMIUM}; CI is set, so a missing browser fails the run", pytrace=False)
        pytest.skip(MISSING_CHROMIUM)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class BrowserLog:
    """What a page tried and what broke: blocked external URLs, uncaught JS errors, console errors."""

    guard: NetworkGuard = field(default_factory=NetworkGuard)
    page_errors: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    @property
    def blocked(self) -> list[str]:
        return self.guard.blocked


@pytest.fixture
def browser_log() -> BrowserLog:
    return BrowserLog()


@pytest.fixture
def page(request, browser, browser_log):
    marker = request.node.get_closest_marker("viewport")
    width, height = VIEWPORTS[marker.args[0] if marker else "default"]
    context = browser.new_context(
        viewport={"width": width, "height": height}, locale="zh-CN", timezone_id="Asia/Shanghai",
        service_workers="block",
    )
    browser_log.guard.install(context)
    page = context.new_page()
    page.on("pageerror", lambda exc: browser_log.page_errors.append(str(exc)))
    page.on("console", lambda msg: msg.type == "error" and browser_log.console_errors.append(msg.text))
    page.set_default_timeout(float(os.environ.get("BROWSER_TIMEOUT_MS", 60_000)))
    yield page
    context.close()
    if browser_log.blocked:
        pytest.fail("page tried to reach the internet:\n  " + "\n  ".join(dict.fromkeys(browser_log.blocked)),
                    pytrace=False)
