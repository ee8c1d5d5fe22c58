"""Many officials at once: N browser sessions against ONE dashboard server, each doing a short journey.

Run: `.venv/bin/python -m bench.load [--sessions 20] [--browsers 1] [--stagger 0]` (or `make load`);
`--replicas 2 [--database]` starts two replicas behind nginx (deploy/nginx/zone-atlas.conf) and measures
through nginx; `--url http://proxy/ --pids …` measures a deployment that is already running
(`make load ARGS="--url …"`).
Prints figures; asserts nothing. Exit status 1 only when a session failed (an error is a finding, not a figure).

One server is started the way `make run` starts it (`python -m ui.serve`, via tests/browser/harness) and
warmed by one unmeasured visit. Then every session opens at once (or `--stagger` seconds apart) in its own
browser context — a separate user with its own Streamlit session — spread over `--browsers` headless Chromium
processes, with every non-local request blocked and counted. Each session:

  1. opens the national map and waits until Leaflet has drawn it   → page ready
  2. picks the theme 网格化服务管理 in the sidebar widget and waits until the map holds just its 3 zones → filter
  3. clicks a zone's marker on the map and waits for its card      → card

Timings are wall-clock seconds per step. On a machine that also runs the browsers, they measure the whole
system under load (server + 20 renderers on the same cores), i.e. an upper bound for what users with their own
computers see. The server's memory is its process tree's resident set (psutil, the server and any children),
sampled every 0.2 s: before the sessions, the peak during them, and after.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import psutil

from tests.browser.harness import (
    _PAINT_PROBE,
    CHROMIUM,
    CHROMIUM_ARGS,
    MAP_ELEMENT,
    MISSING_CHROMIUM,
    is_local,
    start_streamlit,
)

THEME = ("网格化服务管理", 3)  # theme name in the sidebar, zones it leaves on the map
CARD_ZONE = ("CN-2019-11", "浙江省杭州市江干区")  # a zone tagged with THEME
STEP_TIMEOUT_MS = 300_000
VIEWPORT = {"width": 1280, "height": 800}

_ZONES_ON_MAP = """(n) => { const ids = new Set(); if (!window.map) return false;
  window.map.eachLayer(l => { const p = l.feature && l.feature.properties; if (p && p.kind === 'zone' && l._map)
  ids.add(p.key); }); return ids.size === n; }"""
_MARKER_AT = """(key) => { let at = null; window.map.eachLayer(l => { const p = l.feature && l.feature.properties;
  if (p && p.kind === 'zone' && p.key === key && l._map && l.getLatLng) {
    const pt = window.map.latLngToContainerPoint(l.getLatLng()); at = [pt.x, pt.y]; } });
  const now = JSON.stringify(at), last = window.__loadLastAt; window.__loadLastAt = now;
  return at && now === last ? at : null; }"""


@dataclass
class Session:
    index: int
    steps: dict[str, float] = field(default_factory=dict)
    error: str | None = None
    page_errors: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)


class RssSampler(threading.Thread):
    """Resident memory of server processes and all their children, sampled until stopped."""

    def __init__(self, pids: list[int], every: float = 0.2) -> None:
        super().__init__(daemon=True)
        self.roots, self.every = [psutil.Process(p) for p in pids], every
        self.samples: list[tuple[float, int]] = []
        self.mark: float | None = None
        self._stop_event = threading.Event()

    def rss(self) -> int:
        total = 0
        for proc in [p for root in self.roots for p in _tree(root)]:
            try:
                total += proc.memory_info().rss
            except psutil.Error:
                pass
        return total

    def run(self) -> None:
        while not self._stop_event.is_set():
            self.samples.append((time.monotonic(), self.rss()))
            self._stop_event.wait(self.every)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()

    def peak_since(self, t0: float) -> int:
        return max((r for t, r in self.samples if t >= t0), default=0)


async def _wait_for_app(page) -> None:
    await page.wait_for_selector(
        '[data-testid="stApp"][data-test-connection-state="CONNECTED"][data-test-script-state="notRunning"]',
        state="attached")
    await page.wait_for_selector('[data-testid="stStatusWidgetRunningIcon"]', state="detached")


async def _map_frame(page):
    """The frame whose document holds the map: a streamlit-folium iframe, or the page (the in-page map)."""
    handle = await page.locator(MAP_ELEMENT).first.element_handle()
    return await handle.content_frame() or page.main_frame


async def _wait_painted(page, min_paths: int) -> None:
    await page.locator(MAP_ELEMENT).first.wait_for(state="visible")
    await page.main_frame.wait_for_function(  # the probe finds the map from the page (tests/browser/harness.py)
        f"() => {{ const p = ({_PAINT_PROBE})(); return p.painted_layers >= {min_paths} && "
        f"(p.svg_paths >= {min_paths} || p.canvas_ink > 0); }}")


async def journey(browser, url: str, session: Session) -> None:
    context = await browser.new_context(viewport=VIEWPORT, locale="zh-CN", service_workers="block")
    context.set_default_timeout(STEP_TIMEOUT_MS)

    async def guard(route):
        if is_local(route.request.url):
            await route.continue_()
        else:
            session.blocked.append(route.request.url)
            await route.abort("blockedbyclient")

    await context.route("**/*", guard)
    page = await context.new_page()
    page.on("pageerror", lambda exc: session.page_errors.append(str(exc)))
    step = "page ready"
    try:
        started = time.monotonic()
        await page.goto(url)
        await _wait_for_app(page)
        await _wait_painted(page, min_paths=60)
        session.steps["page ready"] = time.monotonic() - started

        step, started = "theme filter", time.monotonic()
        sidebar_themes = page.locator('[data-testid="stMultiSelect"]').filter(
            has=page.get_by_text("实验主题", exact=True))
        await sidebar_themes.locator("input").click()
        await page.get_by_role("option", name=THEME[0], exact=True).click()
        await page.keyboard.press("Escape")
        frame = await _map_frame(page)
        await frame.wait_for_function(_ZONES_ON_MAP, arg=THEME[1])
        await _wait_for_app(page)
        session.steps["theme filter"] = time.monotonic() - started

        step, started = "zone card", time.monotonic()
        frame = await _map_frame(page)
        await frame.evaluate("() => { window.__loadLastAt = null; }")
        x, y = await (await frame.wait_for_function(_MARKER_AT, arg=CARD_ZONE[0], polling=200)).json_value()
        box = await page.locator(MAP_ELEMENT).first.bounding_box()
        await page.mouse.click(box["x"] + x, box["y"] + y)
        card = page.locator(".st-key-zone_card")
        await card.get_by_text(CARD_ZONE[1]).first.wait_for()
        session.steps["zone card"] = time.monotonic() - started
        if await page.locator('[data-testid="stException"]').count():
            session.error = "the page shows an exception"
    except Exception as exc:  # noqa: BLE001 - every failure is reported, the others keep going
        session.error = f"{step}: {type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
    finally:
        await context.close()


def _tree(root: psutil.Process) -> list[psutil.Process]:
    try:
        return [root, *root.children(recursive=True)]
    except psutil.Error:
        return []


def cpu_seconds(pids: list[int]) -> dict[int, float]:
    """User + system CPU seconds so far of each server process (and its children), by pid."""
    out = {}
    for pid in pids:
        total = 0.0
        for proc in _tree(psutil.Process(pid)):
            try:
                total += sum(proc.cpu_times()[:2])
            except psutil.Error:
                pass
        out[pid] = total
    return out


@contextmanager
def deployment(args, tmp: Path):
    """(url, urls to warm up, server pids, log text) of what is measured: a running deployment (--url, --pids), N replicas
    started behind nginx (--replicas N, as deploy/nginx/zone-atlas.conf; --database: the roster in a
    throwaway PostgreSQL), or one server reached directly (the default, as before)."""
    if args.url:
        yield args.url, [args.url], list(args.pids), lambda: ""
        return
    if not args.replicas:
        server = start_streamlit("app.py", tmp)
        try:
            yield server.url, [server.url], [server.proc.pid], server.log
        finally:
            server.stop()
        return
    from tests.services import Nginx, PostgresCluster

    pg, env, servers, nginx = None, {}, [], None
    try:
        if args.database:
            from loaders.db import main as db_cli

            pg = PostgresCluster.create()
            db_cli(["--database-url", pg.url, "import-files"])
            env = {"ZONE_ATLAS_DATABASE_URL": pg.url}
        servers = [start_streamlit("app.py", tmp, env=env) for _ in range(args.replicas)]
        nginx = Nginx.start([s.port for s in servers])
        # warmed directly, one visit each (through nginx a warm-up visit reaches a random replica)
        yield nginx.url, [s.url for s in servers], [s.proc.pid for s in servers], \
            lambda: "\n".join(s.log() for s in servers)
    finally:
        if nginx:
            nginx.stop()
        for server in servers:
            server.stop()
        if pg:
            pg.destroy()


def _pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, max(0, round(q * (len(xs) - 1))))]


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} CPUs"


async def run(sessions: int, browsers: int, stagger: float, url: str, warm_urls: list[str],
              warmed=lambda: None) -> list[Session]:
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        pool = [await pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
                for _ in range(browsers)]
        for warm_url in warm_urls:  # fills each server's caches: the figures are for running servers
            warm = Session(-1)
            await journey(pool[0], warm_url, warm)
            print(f"warm-up visit ({warm_url}): {warm.steps or warm.error}", flush=True)
        warmed()  # the measured part starts here
        results = [Session(i) for i in range(sessions)]

        async def one(s: Session) -> None:
            await asyncio.sleep(s.index * stagger)
            await journey(pool[s.index % browsers], url, s)

        await asyncio.gather(*(one(s) for s in results))
        for b in pool:
            await b.close()
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--browsers", type=int, default=1, help="Chromium processes to spread the sessions over")
    parser.add_argument("--stagger", type=float, default=0.0, help="seconds between session starts (0: all at once)")
    parser.add_argument("--url", help="measure a running deployment at this address (e.g. nginx in front of "
                                      "the replicas) instead of starting a server")
    parser.add_argument("--pids", type=int, nargs="*", default=[],
                        help="with --url: the replicas' process ids, for their CPU time and memory")
    parser.add_argument("--replicas", type=int, default=0,
                        help="start N replicas behind nginx on this machine and measure through nginx")
    parser.add_argument("--database", action="store_true", help="with --replicas: the roster in PostgreSQL")
    args = parser.parse_args(argv)
    if CHROMIUM is None:
        print(MISSING_CHROMIUM, file=sys.stderr)
        return 2
    what = args.url or (f"{args.replicas} replica(s) behind nginx" + (" (roster in PostgreSQL)" if args.database
                                                                      else "") if args.replicas else "one server")
    print(f"bench.load: {args.sessions} sessions, {args.browsers} browser(s), stagger {args.stagger} s, "
          f"against {what}; {_load()}")
    with tempfile.TemporaryDirectory() as tmp, deployment(args, Path(tmp)) as (url, warm_urls, pids, server_log):
        sampler = RssSampler(pids)
        sampler.start()
        try:
            idle_rss = sampler.rss()
            started = time.monotonic()
            cpu_warm = {}
            results = asyncio.run(run(args.sessions, args.browsers, args.stagger, url, warm_urls,
                                      warmed=lambda: cpu_warm.update(cpu_seconds(pids))))
            wall = time.monotonic() - started
            cpu_after = cpu_seconds(pids)
            after_rss = sampler.rss()
            peak = sampler.peak_since(started)
            log = server_log().splitlines()
            log_errors = [i for i, line in enumerate(log) if "Traceback" in line or "ERROR" in line]
            log_excerpt = "\n".join(log[log_errors[0]:log_errors[0] + 30]) if log_errors else ""
        finally:
            sampler.stop()
    per_server = {pid: cpu_after[pid] - cpu_warm[pid] for pid in pids}  # after the warm-up visits
    cpu_used = sum(per_server.values())

    failed = [s for s in results if s.error]
    blocked = sorted({u for s in results for u in s.blocked})
    page_errors = sorted({e for s in results for e in s.page_errors})
    print(f"\nsessions: {len(results) - len(failed)} ok, {len(failed)} failed; wall time {wall:.1f} s "
          f"(incl. {len(warm_urls)} warm-up visit(s))")
    for s in failed:
        print(f"   session {s.index}: {s.error}")
    for step in ("page ready", "theme filter", "zone card"):
        xs = [s.steps[step] for s in results if step in s.steps]
        if xs:
            print(f"   {step:13s} p50 {statistics.median(xs):6.2f} s   p95 {_pct(xs, 0.95):6.2f} s   "
                  f"max {max(xs):6.2f} s   (n={len(xs)})")
    print(f"server memory (RSS, process tree): idle {idle_rss / 2**20:.0f} MiB → peak {peak / 2**20:.0f} MiB "
          f"→ after {after_rss / 2**20:.0f} MiB")
    journeys = max(1, len(results) - len(failed))
    if pids:
        print(f"server CPU time for the {journeys} measured journeys (warm-up excluded): {cpu_used:.1f} s "
              f"(≈{cpu_used / journeys:.2f} CPU-s per journey; the rest of the machine's time went to the browsers "
              f"and nginx)")
        if len(pids) > 1:
            print("   per replica: " + ", ".join(f"{v:.1f} s" for v in per_server.values()))
    else:
        print("server CPU time: not measured (give the replicas' process ids with --pids)")
    print(f"external requests blocked: {len(blocked)}{' ' + str(blocked[:5]) if blocked else ''}")
    print(f"uncaught page errors: {len(page_errors)}{' ' + str(page_errors[:3]) if page_errors else ''}")
    print(f"server log lines with Traceback/ERROR: {len(log_errors)}")
    if log_excerpt:
        print("   first one:\n" + log_excerpt)
    print(f"done; {_load()}")
    return 1 if failed or blocked or page_errors or log_errors else 0


if __name__ == "__main__":
    sys.exit(main())
