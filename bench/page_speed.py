"""How fast the map page feels: first map paint vs an empty Streamlit page, filter → repaint, click → card, payload.

Run: `.venv/bin/python -m bench.page_speed [--runs 7]`. Prints medians; asserts nothing (figures, not a test).

Idle and loaded figures, this tree against an older one, in one invocation (what issue 15 asks for):

    git worktree add /tmp/before <commit>   # or: mkdir /tmp/before && git archive <commit> | tar -x -C /tmp/before
    ln -s "$PWD/.venv" "$PWD/.cache" /tmp/before/
    .venv/bin/python -m bench.page_speed --before /tmp/before --hog 4 --skip filter click payload

The first-paint sections run as the machine is (on an idle machine: the idle figures), then again with 4
busy-looping processes started by the bench (loaded); a summary table at the end gives each condition × tree
with the load average at its start. Each section also prints the first paint's timeline (title shown → map
frame created → the frame's bundle run → map arguments in the frame → Leaflet run → map script run → painted),
the page's main-thread time in long tasks and the script files it fetched before the paint.

Everything runs in one process against two `streamlit run` servers started like the browser tests start them
(the dashboard through ui.serve, and bench/apps/empty_page.py as the baseline) and headless Chromium with the
internet blocked. Each first-paint sample is a fresh browser context (new user, server caches warm after one
unmeasured visit); the dashboard and the empty page are measured alternately, so their ratio comes from the
same minutes of machine load. Times are taken inside the browser: navigation start of the page (its
performance.timeOrigin) → the moment the probe of tests/browser/harness.wait_for_map_painted sees Leaflet's
zone shapes on screen in the streamlit-folium iframe that holds the map (the same clock: the probe runs in the
page and looks into the iframe).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from tests.browser.harness import (
    _PAINT_PROBE,  # the probe wait_for_map_painted uses: Leaflet layers on screen AND pixels drawn
    CHROMIUM,
    CHROMIUM_ARGS,
    FOLIUM_IFRAME,
    MISSING_CHROMIUM,
    REPO,
    NetworkGuard,
    map_box,
    map_frame,
    start_streamlit,
    wait_for_app,
)

EMPTY_APP = REPO / "bench" / "apps" / "empty_page.py"
MAP_TITLE = "实验区分布图"
EMPTY_TITLE = "空白页"
SEARCH = ("榆阳", 1)  # a query and the zones it leaves on the map; the empty query brings back all of them
DESKTOP = {"width": 1280, "height": 800}
# The map's element: streamlit-folium's iframe, or (an older tree measured with --before) the in-page map.
MAP_ELEMENTS = f"{FOLIUM_IFRAME}, .atlas-map"
WIDE = {"width": 1920, "height": 1080}

# Records, in ms since navigation start, every change of Streamlit's script state, when the page title (a heading
# with window.__benchTitle) first appears, and when the map's element (in-page map or iframe) is first in the page.
_RECORDER = """
window.__bench = {states: [], title: null, map: null};
new MutationObserver(() => {
  const b = window.__bench, app = document.querySelector('[data-testid="stApp"]');
  if (b.map === null && document.querySelector(window.__benchMapElement)) b.map = performance.now();
  const s = app && app.getAttribute('data-test-script-state');
  if (s && (!b.states.length || b.states[b.states.length - 1][0] !== s)) b.states.push([s, performance.now()]);
  if (b.title === null && [...document.querySelectorAll('h1, h2, h3, h4')]
        .some(h => h.textContent.includes(window.__benchTitle))) b.title = performance.now();
}).observe(document, {subtree: true, childList: true, characterData: true, attributes: true,
                      attributeFilter: ['data-test-script-state']});
"""
# Zone shapes drawn (polygons: badges may be clustered; the same count for the older in-page map).
# Injected into streamlit-folium's frame document (its index.html, rewritten on the way by the bench's route: an
# init script does not reach that frame) — epoch ms of: the component's render arguments arriving, Leaflet
# executed (window.L set), the map script done (streamlit-folium sets window.map after running it) and the
# frame's bundle executed (DOMContentLoaded follows its deferred script).
_FRAME_RECORDER = """<script>(() => {
  const t = window.__benchFrame = {};
  const mark = (k) => { if (!(k in t)) t[k] = performance.timeOrigin + performance.now(); };
  window.addEventListener('message', e => { if (e.data && e.data.type === 'streamlit:render') mark('args'); }, true);
  for (const [name, key] of [['L', 'leaflet'], ['map', 'map_script']]) {
    let v;
    Object.defineProperty(window, name, {configurable: true, get: () => v, set: (x) => { v = x; mark(key); }});
  }
  document.addEventListener('DOMContentLoaded', () => mark('bundle'));
})();</script>"""
FOLIUM_INDEX = re.compile(r"/component/streamlit_folium\.st_folium/index\.html")
# Main thread of the page (the map's frame is same-origin: it runs on the same thread) busy in long tasks.
_LONG_TASKS = """
window.__benchLong = [];
try { new PerformanceObserver((list) => { for (const e of list.getEntries())
  window.__benchLong.push([e.startTime, e.duration]); }).observe({type: 'longtask', buffered: true}); } catch (e) {}
"""
# Script files the page fetched before the map painted: Streamlit's lazily loaded element code competes with the
# map's frame for the (HTTP/1.1: six) connections and the main thread.
_PAGE_SCRIPTS = """(until) => performance.getEntriesByType('resource')
  .filter(e => e.name.endsWith('.js') && e.responseEnd <= until && !e.name.includes('/component/'))
  .reduce((a, e) => [a[0] + 1, a[1] + e.decodedBodySize], [0, 0])"""
# The stages of a first paint, in order, as recorded in visit_map (ms after navigation start).
STAGES = (("title", "title shown"), ("map_element", "map frame created"), ("bundle", "frame bundle run"),
          ("args", "map arguments in frame"), ("leaflet", "Leaflet run"), ("map_script", "map script run"),
          ("paint", "map painted"))
_ZONE_COUNT = """(() => { let n = 0; map.eachLayer(l => {
  if (l.feature && l.feature.properties.kind === 'zone' && l._map && !l.getLatLng) n++; }); return n; })()"""
_NOW = "() => performance.timeOrigin + performance.now()"
# Zones whose badge stands alone (not in a cluster) at the national zoom, [key, unit name] (the name is the first
# line of its tooltip), so that a click at the badge's centre hits it: the bench clicks the first two.
_LONE_BADGES = """() => { const out = []; window.map.eachLayer(l => { const p = l.feature && l.feature.properties;
  if (p && p.kind === 'zone' && l.getLatLng && l._map) out.push([p.key, p.tip.split('<br>')[0]]); });
  return out.slice(0, 2); }"""
# The map at rest at its opening view: no zoom or pan animation, the same zoom and centre for three polls in a row
# (an animation Leaflet has scheduled starts at the next animation frame). folium's fit_bounds, last in the map's
# script, used to draw the map at its zoom_start first and then animate a zoom to the fit: the first ink is then
# not yet the view the user gets.
_SETTLED = """(() => { const s = window.__benchSettle = window.__benchSettle || {n: 0, z: null, c: null};
  const z = map.getZoom(), c = map.getCenter(), moving = map._animatingZoom || (map._panAnim && map._panAnim._inProgress);
  if (moving || z !== s.z || !s.c || !c.equals(s.c)) { s.n = 0; s.z = z; s.c = c; return false; }
  return ++s.n >= 2; })()"""


def _median(xs: list[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


def _spread(xs: list[float], unit: str = "s", scale: float = 1e-3) -> str:
    if not xs:
        return "n/a"
    return (f"median {_median(xs) * scale:.2f} {unit} (min {min(xs) * scale:.2f}, max {max(xs) * scale:.2f}, "
            f"n={len(xs)})")


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} / {five:.2f} / {fifteen:.2f} on {os.cpu_count()} cores"


def wait_map_painted_at(page, condition: str = "true", timeout: float = 60.0) -> float:
    """Epoch ms (browser clock) at which the page's map has painted and `condition` holds (`condition` sees
    `map`, the Leaflet map, wherever it lives).

    Polled on every animation frame from the page itself, which the probe searches for the map (a
    streamlit-folium iframe, replaced whenever that component remounts, or the in-page map): no wait for an
    element to appear first, whose polling would add its own delay to the figure.
    """
    js = f"""() => {{
        const p = ({_PAINT_PROBE})();
        const painted = p.painted_layers >= 1 && (p.svg_paths >= 1 || p.canvas_ink > 0);
        if (!painted) return null;
        const frame = document.querySelector({json.dumps(FOLIUM_IFRAME)});
        const map = (frame ? frame.contentWindow : window).map;
        return ({condition}) ? performance.timeOrigin + performance.now() : null;
    }}"""
    return page.main_frame.wait_for_function(js, timeout=timeout * 1000, polling="raf").json_value()


def _title_at(page) -> float:
    """ms after navigation start at which the page's title heading appeared (recorded by _RECORDER)."""
    return page.wait_for_function("() => window.__bench.title", polling="raf", timeout=60_000).json_value()


class Bench:
    def __init__(self, browser, runs: int) -> None:
        self.browser = browser
        self.runs = runs
        self.blocked: list[str] = []
        self._warm_contexts: dict[str, object] = {}
        self.server_pids: dict[str, int] = {}  # server URL → process id, for its CPU time per visit

    def new_context(self, viewport=DESKTOP):
        context = self.browser.new_context(viewport=viewport, locale="zh-CN", timezone_id="Asia/Shanghai",
                                           service_workers="block")
        guard = NetworkGuard()
        guard.install(context)
        context.add_init_script(f"window.__benchMapElement = {json.dumps(MAP_ELEMENTS)};" + _RECORDER + _LONG_TASKS)
        context.route(FOLIUM_INDEX, _inject_frame_recorder)
        context.set_default_timeout(60_000)
        self.blocked = guard.blocked  # the latest context's list; reported at the end
        return context

    def new_page(self, viewport=DESKTOP, title: str = MAP_TITLE, warm_cache: str | None = None):
        """A page in a fresh context, or (warm_cache=name) a new tab in a context kept for that name, so the
        browser's HTTP cache already holds Streamlit's and Leaflet's files (a returning user)."""
        if warm_cache is None:
            context = self.new_context(viewport)
        else:
            context = self._warm_contexts.get(warm_cache) or self._warm_contexts.setdefault(
                warm_cache, self.new_context(viewport))
        context.add_init_script(f"window.__benchTitle = {json.dumps(title)};")
        page = context.new_page()
        return context, page

    def _done(self, context, page) -> None:
        page.close()
        if context not in self._warm_contexts.values():
            context.close()

    def close(self) -> None:
        for context in self._warm_contexts.values():
            context.close()

    def visit_map(self, url: str, warm_cache: str | None = None) -> dict:
        context, page = self.new_page(warm_cache=warm_cache)
        received = []
        page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: received.append(len(payload))))
        main_thread = _MainThreadTime(context, page)
        server_cpu = _cpu_seconds(self.server_pids.get(url))
        page.goto(url, wait_until="commit")
        painted = wait_map_painted_at(page, f"{_ZONE_COUNT} >= 1")
        busy = main_thread.seconds()
        settled = wait_map_painted_at(page, f"{_ZONE_COUNT} >= 1 && {_SETTLED}")
        origin = page.evaluate("() => performance.timeOrigin")
        title = _title_at(page)
        wait_for_app(page)
        server_cpu = _cpu_seconds(self.server_pids.get(url)) - server_cpu
        states = page.evaluate("() => window.__bench.states")
        handle = page.query_selector(FOLIUM_IFRAME)
        frame_marks = {}
        if handle is None:  # an older tree's in-page map (--before): when its element was added
            map_start = page.evaluate("() => window.__bench.map")
        else:  # the streamlit-folium iframe: when its document started loading
            map_start = handle.content_frame().evaluate("() => performance.timeOrigin") - origin
            frame_marks = handle.content_frame().evaluate("() => window.__benchFrame || {}")
        scripts, script_bytes = page.evaluate(_PAGE_SCRIPTS, painted - origin)
        long_ms = sum(d for s, d in page.evaluate("() => window.__benchLong") if s < painted - origin)
        self._done(context, page)
        started = next((t for s, t in states if s == "running"), float("nan"))
        done = next((t for s, t in states if s == "notRunning" and t > started), float("nan"))
        marks = {k: frame_marks[k] - origin if k in frame_marks else float("nan") for k in ("bundle", "args", "leaflet", "map_script")}
        return {"paint": painted - origin, "settled": settled - origin, "title": title, "map_element": map_start, "script_start": started,
                "script_done": done, "ws_bytes": sum(received), **marks, "page_scripts": scripts,
                "page_script_bytes": script_bytes, "long_tasks": long_ms, "main_thread": busy * 1e3,
                "server_cpu": server_cpu * 1e3}

    def visit_empty(self, url: str, warm_cache: str | None = None) -> tuple[float, float]:
        """(ms after navigation start at which the empty page's title showed, main-thread ms until then)."""
        context, page = self.new_page(title=EMPTY_TITLE, warm_cache=warm_cache)
        main_thread = _MainThreadTime(context, page)
        page.goto(url, wait_until="commit")
        title = _title_at(page)
        busy = main_thread.seconds()
        self._done(context, page)
        return title, busy * 1e3

    def first_paint(self, apps: dict[str, str], empty_url: str, warm_cache: bool) -> dict[str, dict[str, list[float]]]:
        """Alternate the empty page and each map page (`apps`: label → URL, e.g. this tree and an older one), so
        every ratio comes from the same minutes of machine load; `warm_cache` keeps one browser context per
        app (HTTP cache)."""
        cache_empty = "empty" if warm_cache else None
        for label, url in apps.items():  # warm the servers' caches (and the browser's, if kept) once
            self.visit_map(url, label if warm_cache else None)
        self.visit_empty(empty_url, cache_empty)
        keys = ("paint", "settled", "settled_ratio", "title", "map_element", "script_start", "script_done", "ws_bytes", "bundle", "args",
                "leaflet", "map_script", "page_scripts", "page_script_bytes", "long_tasks", "main_thread",
                "server_cpu", "empty", "empty_main_thread", "ratio")
        out = {label: {k: [] for k in keys} for label in apps}
        order = list(apps.items())
        for round_ in range(self.runs):
            empty, empty_busy = self.visit_empty(empty_url, cache_empty)
            # Each round starts with another tree: no tree always comes right after the empty page's visit.
            for label, url in order[round_ % len(order):] + order[:round_ % len(order)]:
                visit = self.visit_map(url, label if warm_cache else None)
                for k, v in visit.items():
                    out[label][k].append(v)
                out[label]["empty"].append(empty)
                out[label]["empty_main_thread"].append(empty_busy)
                out[label]["ratio"].append(visit["paint"] / empty)
                out[label]["settled_ratio"].append(visit["settled"] / empty)
        return out

    def filter_repaint(self, app_url: str) -> list[float]:
        context, page = self.new_page()
        page.goto(app_url)
        wait_for_app(page)
        wait_map_painted_at(page, f"{_ZONE_COUNT} >= 1")
        everything = map_frame(page).evaluate(f"() => {{ const map = window.map; return {_ZONE_COUNT}; }}")
        box = page.get_by_label("搜索")
        times = []
        for i in range(self.runs + 1):
            query, zones = SEARCH if i % 2 == 0 else ("", everything)
            box.fill(query)
            started = page.evaluate(_NOW)
            box.press("Enter")
            done = wait_map_painted_at(page, f"{_ZONE_COUNT} === {zones}")
            wait_for_app(page)
            if i:  # the first change warms the filtered view's caches
                times.append(done - started)
        context.close()
        return times

    def click_to_card(self, app_url: str) -> list[float]:
        context, page = self.new_page(WIDE)  # the whole map on screen whatever the layout
        page.goto(app_url)
        wait_for_app(page)
        wait_map_painted_at(page, f"{_ZONE_COUNT} >= 1")
        everything = map_frame(page).evaluate(f"() => {{ const map = window.map; return {_ZONE_COUNT}; }}")
        lone = map_frame(page).evaluate(_LONE_BADGES)
        if len(lone) < 2:
            raise RuntimeError(f"fewer than two zone badges stand alone at the national zoom: {lone}")
        times = []
        for i in range(self.runs + 1):
            zone, name = lone[i % 2]
            wait_map_painted_at(page, f"{_ZONE_COUNT} === {everything}")
            x, y = _marker_point(page, zone)
            started = page.evaluate(_NOW)
            page.mouse.click(x, y)
            shown = page.wait_for_function(
                """(name) => { const c = document.querySelector('.st-key-zone_card');
                   return c && c.offsetParent !== null && c.innerText.includes(name)
                     ? performance.timeOrigin + performance.now() : null; }""",
                arg=name, polling="raf", timeout=60_000,
            ).json_value()
            wait_for_app(page)
            if i:
                times.append(shown - started)
        context.close()
        return times


class _MainThreadTime:
    """Seconds the page's renderer main thread spent in tasks (Chromium's TaskDuration metric, which also counts
    the same-origin map frame: it runs on that thread) since this was made: the browser's work, apart from the
    time it waited for the server or for the CPU — steadier than wall time on a loaded machine."""

    def __init__(self, context, page) -> None:
        self.cdp = context.new_cdp_session(page)
        self.cdp.send("Performance.enable")
        self.start = self._now()

    def _now(self) -> float:
        metrics = self.cdp.send("Performance.getMetrics")["metrics"]
        return next(m["value"] for m in metrics if m["name"] == "TaskDuration")

    def seconds(self) -> float:
        return self._now() - self.start


def _cpu_seconds(pid: int | None) -> float:
    """User + system CPU seconds so far of a server process and its children (0 when not known)."""
    if pid is None:
        return 0.0
    import psutil

    total = 0.0
    root = psutil.Process(pid)
    for proc in [root, *root.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):
            total += sum(proc.cpu_times()[:2])
    return total


def _inject_frame_recorder(route) -> None:
    response = route.fetch()
    body = response.text().replace("<head>", "<head>" + _FRAME_RECORDER, 1)
    route.fulfill(response=response, body=body)


def _marker_point(page, zone: str) -> tuple[float, float]:
    """Page coordinates of a zone marker's centre once the map has stopped moving (fit, resize)."""
    js = """(zone) => { let out = null; window.map.eachLayer(l => {
        const p = l.feature && l.feature.properties;
        if (p && p.kind === 'zone' && p.key === zone && l.getLatLng && l._map) {
          const pt = window.map.latLngToContainerPoint(l.getLatLng()); out = [pt.x, pt.y]; } });
        return out; }"""
    last = None
    for _ in range(40):
        frame = map_frame(page)
        now = frame.evaluate(js, zone)
        box = map_box(page)
        now = now and box and (box["x"] + now[0], box["y"] + now[1])
        if now and now == last:
            return now
        last = now
        page.wait_for_timeout(100)  # polling for a settled layout
    raise TimeoutError(f"marker {zone} did not settle")


def payload_bytes(cases: dict[str, dict[str, str]]) -> dict[str, dict[str, int]]:
    """Bytes of what st_folium hands the browser (its component arguments: the base map's script, header and html,
    the zone group's script) per view, run through AppTest."""
    from streamlit.testing.v1 import AppTest

    out = {}
    for label, query in cases.items():
        at = AppTest.from_file(str(REPO / "pages" / "map.py"), default_timeout=120)
        for k, v in query.items():
            at.query_params[k] = v
        at.run()
        for node in at.get("component_instance"):
            args = json.loads(node.proto.json_args or "{}")
            if "script" in args:
                out[label] = {k: len(str(v or "").encode()) for k, v in args.items()
                              if k in ("script", "header", "html", "feature_group")}
                out[label]["total"] = len(node.proto.json_args.encode())
        if label not in out:
            raise RuntimeError(f"{label}: no map on the page (did the run fail? {at.exception})")
    return out


def _print_paints(results: dict[str, dict[str, list[float]]]) -> None:
    for label, r in results.items():
        print(f"  [{label}]")
        _print_paint(r)
    labels = list(results)
    if len(labels) == 2:  # same-run comparison, visit by visit
        a, b = (results[x] for x in labels)
        for key, what in (("paint", "paint"), ("settled", "at rest"), ("main_thread", "page main-thread CPU"),
                          ("server_cpu", "server CPU")):
            ratios = [x / y for x, y in zip(a[key], b[key], strict=True) if y]
            print(f"   {what} {labels[0]} / {labels[1]} (same rounds): median {_median(ratios):.2f}")


def _print_paint(r: dict[str, list[float]]) -> None:
    print(f"   national map painted:  {_spread(r['paint'])}  (target ≤ 1.5 s)")
    print(f"   … at rest at its opening view: {_spread(r['settled'])}; ratio to the empty page "
          f"{_median(r['settled_ratio']):.2f}x")
    print(f"   empty page title:      {_spread(r['empty'])}")
    print(f"   ratio map/empty (same-run pairs): median {_median(r['ratio']):.2f}x "
          f"(min {min(r['ratio']):.2f}, max {max(r['ratio']):.2f})  (target ≤ 2x)")
    print(f"   map page timeline (medians, s after navigation start; script run "
          f"{_median(r['script_start']) / 1e3:.2f} → {_median(r['script_done']) / 1e3:.2f}):")
    print("     " + " → ".join(f"{label} {_median(r[k]) / 1e3:.2f}" for k, label in STAGES))
    print(f"   before the paint: page main thread in long tasks {_median(r['long_tasks']) / 1e3:.2f} s; "
          f"page fetched {_median(r['page_scripts']):.0f} script files, "
          f"{_median(r['page_script_bytes']) / 1e6:.2f} MB decoded")
    print(f"   CPU until the paint: page main thread {_median(r['main_thread']) / 1e3:.2f} s (empty page until its "
          f"title {_median(r['empty_main_thread']) / 1e3:.2f} s), server {_median(r['server_cpu']) / 1e3:.2f} s per "
          f"visit (until its run ended)")
    print(f"   websocket bytes received per visit: median {_median(r['ws_bytes']) / 1e6:.2f} MB")


def _print_summary(summary: dict[str, tuple[str, dict]]) -> None:
    """One table of the first-paint figures: each condition (as the machine was: its load average when the
    section began; with --hog, the same again with busy processes added) × each tree."""
    if not summary:
        return
    print("\n== first paint summary (medians; ratio = map painted / empty page title, same-run pairs)")
    print(f"   {'condition':40s} {'tree':10s} {'map painted':>11s} {'at rest':>9s} {'empty title':>11s} {'ratio':>6s} "
          f"{'at rest':>7s} {'page CPU':>9s} {'server CPU':>10s}  load average")
    for condition, (load, results) in summary.items():
        for label, r in results.items():
            print(f"   {condition:40s} {label:10s} {_median(r['paint']) / 1e3:9.2f} s {_median(r['settled']) / 1e3:7.2f} s "
                  f"{_median(r['empty']) / 1e3:9.2f} s {_median(r['ratio']):5.2f}x {_median(r['settled_ratio']):6.2f}x "
                  f"{_median(r['main_thread']) / 1e3:7.2f} s {_median(r['server_cpu']) / 1e3:8.2f} s"
                  f"  {load.split(' on ')[0].removeprefix('load average ')}")


@contextlib.contextmanager
def _hogs(n: int):
    """n processes that each keep one core busy (a loaded machine), ended afterwards by their own ids."""
    procs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(n)]
    try:
        time.sleep(2)
        yield
    finally:
        for proc in procs:
            proc.kill()
            proc.wait()


def _section(title: str, fn: Callable[[], None]) -> None:
    print(f"\n== {title}  [{_load()}]", flush=True)
    started = time.monotonic()
    fn()
    print(f"   ({time.monotonic() - started:.0f} s)", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\nEverything")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--skip", nargs="*", default=[], choices=["paint", "filter", "click", "payload"])
    parser.add_argument("--before", type=Path, help="another checkout of the project (e.g. `git archive main`), "
                        "measured in the same rounds as this one")
    parser.add_argument("--hog", type=int, default=0, help="also measure first paint with this many busy-looping "
                        "processes started by the bench (a loaded machine, in the same run)")
    args = parser.parse_args(argv)
    if CHROMIUM is None:
        print(MISSING_CHROMIUM, file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    print(f"bench.page_speed: {args.runs} runs each; {_load()}")
    if "payload" not in args.skip:
        def payload() -> None:
            for label, sizes in payload_bytes({"national": {}, "浙江 330000": {"prov": "330000"},
                                               "新疆 650000": {"prov": "650000"},
                                               "四川 510000": {"prov": "510000"}}).items():
                parts = ", ".join(f"{k} {v / 1e6:.3f}" for k, v in sizes.items() if k != "total")
                print(f"   {label}: {sizes['total'] / 1e6:.3f} MB ({parts})")
        _section("map payload (st_folium component arguments, MB)", payload)
    with tempfile.TemporaryDirectory() as logs, sync_playwright() as pw:
        app = start_streamlit(REPO / "app.py", Path(logs))
        before = start_streamlit(args.before / "app.py", Path(logs), root=args.before) if args.before else None
        apps = {"this tree": app.url, **({"before": before.url} if before else {})}
        empty = start_streamlit(EMPTY_APP, Path(logs))
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        bench = Bench(browser, args.runs)
        bench.server_pids = {app.url: app.proc.pid, **({before.url: before.proc.pid} if before else {})}
        try:
            summary: dict[str, tuple[str, dict]] = {}

            def paints(condition: str, warm_cache: bool) -> None:
                load = _load()
                results = bench.first_paint(apps, empty.url, warm_cache)
                summary[condition] = (load, results)
                _print_paints(results)

            if "paint" not in args.skip:
                for warm_cache, condition, who in ((False, "fresh browser context per visit", "new user"),
                                                   (True, "browser HTTP cache warm", "returning user, new tab")):
                    _section(f"warm-server first paint, 1280×800, {condition} ({who})",
                             lambda w=warm_cache, c=condition: paints(c, w))
                if args.hog:
                    with _hogs(args.hog):
                        _section(f"first paint with {args.hog} busy processes started by the bench, fresh context",
                                 lambda: paints(f"fresh context + {args.hog} busy processes", False))
                _print_summary(summary)
            if "filter" not in args.skip:
                _section("filter change (search box) → map repainted",
                         lambda: print(f"   {_spread(bench.filter_repaint(app.url))}  (target ≤ 0.5 s)"))
            if "click" not in args.skip:
                _section("click a zone marker → zone card visible (1920×1080)",
                         lambda: print(f"   {_spread(bench.click_to_card(app.url))}  (target ≤ 1 s)"))
        finally:
            bench.close()
            browser.close()
            app.stop()
            empty.stop()
            if before:
                before.stop()
    if bench.blocked:
        print(f"external requests blocked: {bench.blocked}")
    print(f"\ndone; {_load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
