"""Real-browser test helpers: run a Streamlit app on a free local port, block the internet, wait and look.

Nothing here sleeps for a fixed time: each wait polls for a state the page itself reports (Streamlit's
`data-test-script-state`, the Leaflet map object `window.map`).

Every map (the dashboard's and tests/browser/apps/offline_map_app.py) is shown by streamlit-folium, in its own
iframe; `window.map` is the Leaflet map in that iframe's document.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parents[2]
VENV_PYTHON = REPO / ".venv" / "bin" / "python"


def find_chromium() -> Path | None:
    """The Chromium the browser tests and benches drive, found as the Makefile finds it (`command -v chromium`):
    `$CHROMIUM` (a name or a path) if set, else `chromium` on PATH. None when there is none."""
    found = shutil.which(os.environ.get("CHROMIUM") or "chromium")
    return Path(found) if found else None


def in_ci() -> bool:
    """True when the environment variable CI is set (GitHub, GitLab and .ci/run set it), unless to ""/0/false."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


CHROMIUM = find_chromium()
MISSING_CHROMIUM = "no Chromium: `chromium` is not on PATH and $CHROMIUM is not set (`make browser-deps` installs it)"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--no-first-run",
]
VIEWPORTS = {"default": (1280, 800), "720p": (1280, 720), "1080p": (1920, 1080), "xga": (1024, 768)}
SCREENSHOTS = REPO / "artifacts" / "screenshots"
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1", "[::1]"})
FOLIUM_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
MAP_ELEMENT = FOLIUM_IFRAME


def is_local(url: str) -> bool:
    """True for requests that stay on this machine (and for data:/blob:/about: which are not requests)."""
    parts = urlsplit(url)
    if parts.scheme in {"data", "blob", "about", "chrome-error"}:
        return True
    return (parts.hostname or "") in LOCAL_HOSTS


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class StreamlitServer:
    """One `streamlit run` process in its own process group; `stop()` ends the whole group."""

    app: Path
    port: int
    proc: subprocess.Popen
    log_path: Path
    started_at: float = field(default_factory=time.monotonic)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace") if self.log_path.exists() else ""

    def stop(self) -> None:
        if self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)


def start_streamlit(app: str | Path, log_dir: Path, timeout: float = 90.0, *, env: dict[str, str | None] | None = None,
                    args: tuple[str, ...] = (), root: Path = REPO) -> StreamlitServer:
    """Start `streamlit run <app>` from the repo root and return once /_stcore/health answers ok.

    `env` adds to (or, with value None, removes from) this process's environment — e.g. another roster via
    ZONE_ATLAS_ROSTER or a private boundary cache via ZONE_ATLAS_CACHE; `args` are extra `streamlit run` options;
    `root`: another checkout of the project to run from (bench.page_speed --before).
    """
    app = Path(app)
    app = app if app.is_absolute() else root / app
    if not app.is_file():
        raise FileNotFoundError(app)
    port = free_port()
    log_dir.mkdir(parents=True, exist_ok=True)
    log_path = log_dir / f"streamlit-{app.stem}-{port}.log"
    cmd = [
        str(VENV_PYTHON if VENV_PYTHON.exists() else Path(sys.executable)),
        # The dashboard itself starts the way `make run` starts it (ui.serve: st.navigation mode from the start).
        *(["-m", "ui.serve"] if app == root / "app.py" else ["-m", "streamlit", "run", str(app)]),
        "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
        "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none", *args,
    ]
    server_env = os.environ.copy()
    for key, value in (env or {}).items():
        if value is None:
            server_env.pop(key, None)
        else:
            server_env[key] = value
    with log_path.open("wb") as log:
        proc = subprocess.Popen(cmd, cwd=root, env=server_env, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
    server = StreamlitServer(app=app, port=port, proc=proc, log_path=log_path)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}:\n{server.log()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{server.url}/_stcore/health", timeout=2) as resp:
                if resp.status == 200 and resp.read().strip() == b"ok":
                    return server
        except OSError:
            pass
        time.sleep(0.2)  # polling interval while the server boots, not a wait for the page
    server.stop()
    raise TimeoutError(f"streamlit did not become healthy in {timeout}s:\n{server.log()[-3000:]}")


class NetworkGuard:
    """Lets localhost through; aborts every other request and remembers it (also web sockets)."""

    def __init__(self) -> None:
        self.blocked: list[str] = []

    def install(self, context) -> None:
        context.route("**/*", self._on_request)
        context.route_web_socket(lambda url: not is_local(url), self._on_web_socket)

    def _on_request(self, route) -> None:
        url = route.request.url
        if is_local(url):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort("blockedbyclient")

    def _on_web_socket(self, ws) -> None:
        self.blocked.append(ws.url)
        ws.close(code=1008, reason="external network blocked by test")


def wait_for_app(page, timeout: float = 60_000) -> None:
    """Wait until Streamlit is connected, has finished a script run, and shows no running indicator."""
    page.wait_for_selector(
        '[data-testid="stApp"][data-test-connection-state="CONNECTED"][data-test-script-state="notRunning"]',
        state="attached", timeout=timeout,
    )
    page.wait_for_selector('[data-testid="stAppViewContainer"]', state="visible", timeout=timeout)
    page.wait_for_selector('[data-testid="stStatusWidgetRunningIcon"]', state="detached", timeout=timeout)


# The sidebar's pages and the path each one's URL has (app.py: the map is the default page, served at "/").
NAV_PATHS = {"map": "/", "compare": "/compare", "briefing": "/briefing", "import": "/import", "about": "/about"}


def navigate_sidebar(page, name: str, timeout: float = 60_000) -> None:
    """Click page `name` (a NAV_PATHS key) in the sidebar's navigation and wait until the address shows that page
    and its run has ended. wait_for_app alone can pass before the click's run has begun (the previous page still
    idle): a Back pressed then went back from the page being left, not from the one being opened."""
    from loaders.i18n import text as t

    page.locator('[data-testid="stSidebarNav"]').get_by_text(t(f"common.nav.{name}"), exact=True).click()
    path = NAV_PATHS[name]
    page.wait_for_function("(p) => location.pathname === p || location.pathname === p + '/'"
                           " || (p === '/' && location.pathname === '/map')", arg=path, timeout=timeout)
    wait_for_app(page, timeout)


# Counts what Leaflet actually drew, for SVG and canvas renderers. Runs in the page (or in any frame): the map is
# looked for in a streamlit-folium iframe inside that document if there is one, else in that document itself
# (an older tree's in-page map, measured by bench.page_speed --before). Either way `map` is the document's window.map.
_PAINT_PROBE = """
() => {
  const frame = document.querySelector('iframe[title="streamlit_folium.st_folium"]');
  const win = frame ? frame.contentWindow : window, doc = frame ? frame.contentDocument : document;
  const m = win && win.map, L = win && win.L;
  const out = {leaflet: !!L, map: !!m, panes: doc ? doc.querySelectorAll('.leaflet-pane').length : 0,
               svg_paths: 0, canvases: 0, canvas_ink: 0, canvas_samples: 0, painted_layers: 0, painted_features: 0, tiles_loaded: 0};
  if (!m || !L || !doc) return out;
  out.svg_paths = [...doc.querySelectorAll('.leaflet-overlay-pane svg path')]
    .filter(p => (p.getAttribute('d') || '').length > 4 && p.getAttribute('d') !== 'M0 0').length;
  out.tiles_loaded = doc.querySelectorAll('img.leaflet-tile-loaded').length;
  m.eachLayer(l => {
    // polylines/polygons keep their on-screen (clipped) rings in _parts; circle markers answer _empty()
    const onScreen = l._parts ? l._parts.length > 0 : (typeof l._empty === 'function' && !l._empty());
    if (l instanceof L.Path && l._map && onScreen) {
      out.painted_layers++;
      if (l.feature) out.painted_features++;  // drawn from a GeoJSON layer
    }
  });
  for (const c of doc.querySelectorAll('.leaflet-overlay-pane canvas')) {
    out.canvases++;
    if (!c.width || !c.height) continue;
    const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    for (let i = 3; i < data.length; i += 4 * 16) {  // alpha of every 16th pixel
      out.canvas_samples++;
      if (data[i] > 0) out.canvas_ink++;
    }
  }
  return out;
}
"""


def map_frame(page, index: int = 0):
    """The Playwright Frame whose document holds the n-th map on the page: the streamlit-folium iframe, or the page
    itself for an in-page map (waits for the map element to exist). Only one in-page map per page:
    `window.map` is the last one drawn."""
    handle = page.locator(MAP_ELEMENT).nth(index).element_handle(timeout=60_000)
    return handle.content_frame() or page.main_frame


def map_box(page, index: int = 0) -> dict:
    """The n-th map's box on the page (the streamlit-folium iframe)."""
    return page.locator(MAP_ELEMENT).nth(index).bounding_box()


def frame_offset(page, index: int = 0) -> tuple[float, float]:
    """What to add to a position measured in map_frame's document to get page coordinates: (0, 0) for the in-page
    map, the iframe's corner for a streamlit-folium map."""
    handle = page.locator(MAP_ELEMENT).nth(index).element_handle(timeout=60_000)
    if handle.content_frame() is None:
        return 0.0, 0.0
    box = handle.bounding_box()
    return box["x"], box["y"]


def map_paint(page, index: int = 0) -> dict:
    """What Leaflet drew in the n-th map right now (see _PAINT_PROBE for the keys)."""
    return map_frame(page, index).evaluate(_PAINT_PROBE)


def wait_for_map_painted(page, min_paths: int = 1, index: int = 0, timeout: float = 60_000) -> dict:
    """Wait until the n-th map has at least `min_paths` shapes drawn on screen; return the paint counts.

    Drawn means: Leaflet holds that many visible path layers AND they reached pixels (SVG <path>s with
    geometry, or non-transparent canvas pixels with preferCanvas).
    """
    page.locator(MAP_ELEMENT).nth(index).wait_for(state="visible", timeout=timeout)
    frame = page.main_frame if index == 0 else map_frame(page, index)  # the probe finds the first map from the page
    handle = frame.wait_for_function(
        f"""() => {{
            const p = ({_PAINT_PROBE})();
            return p.painted_layers >= {int(min_paths)} && (p.svg_paths >= {int(min_paths)} || p.canvas_ink > 0)
                ? p : null;
        }}""",
        timeout=timeout,
    )
    return handle.json_value()


def open_map(page, url: str, min_paths: int = 1) -> dict:
    """Go to `url`, wait for the app run to finish and for the map to draw `min_paths` shapes; the paint counts."""
    page.goto(url)
    wait_for_app(page)
    return wait_for_map_painted(page, min_paths=min_paths)


# Leaflet scales the old canvas with a CSS transform while it zooms (fitBounds after a drill-down): a screenshot
# taken then shows a blurred, blocky map that no one sees once the animation ends.
_MAP_AT_REST = "() => !window.map || (!window.map._animatingZoom && !(window.map._panAnim && window.map._panAnim._inProgress))"


def wait_for_maps_at_rest(page, timeout: float = 10_000) -> None:
    """Wait until no Leaflet map in any frame of the page is in a zoom or pan animation."""
    for frame in page.frames:
        try:
            frame.wait_for_function(_MAP_AT_REST, timeout=timeout)
        except Exception as exc:  # a frame torn down meanwhile (Streamlit rerun) has nothing left to settle
            if "detached" not in str(exc).lower() and "destroyed" not in str(exc).lower():
                raise


def screenshot(page, name: str, full_page: bool = False) -> Path:
    """Save artifacts/screenshots/<name>.png (artifacts/ is gitignored) once every map is at rest; return its path."""
    wait_for_maps_at_rest(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


# Runs in the map's document: map-container positions of our features of one kind (markers: their centre), once two
# polls 200 ms apart agree (the map's box may still be sized by the layout, then Leaflet re-fits the bounds).
_SETTLED_POSITIONS = """
(kind) => {
  const out = {};
  window.map.eachLayer(l => {
    const p = l.feature && l.feature.properties;
    if (!p || p.kind !== kind || !l._map) return;
    const pt = window.map.latLngToContainerPoint(l.getLatLng ? l.getLatLng() : l.getCenter());
    if (!out[p.key] || l.getLatLng) out[p.key] = [pt.x, pt.y];
  });
  const now = JSON.stringify(out), last = window.__atlasLastPositions;
  window.__atlasLastPositions = now;
  return Object.keys(out).length && now === last ? out : null;
}
"""


def feature_positions(page, kind: str, index: int = 0, timeout: float = 30_000) -> dict[str, list[float]]:
    """{key: [x, y]} inside the n-th map for features of `kind` (zone, province, county), once the layout settled."""
    frame = map_frame(page, index)
    frame.wait_for_function("() => !!window.map", timeout=timeout)
    frame.evaluate("() => { window.__atlasLastPositions = null; }")
    return frame.wait_for_function(_SETTLED_POSITIONS, arg=kind, polling=200, timeout=timeout).json_value()


def page_point(page, x: float, y: float, index: int = 0) -> tuple[float, float]:
    """A point inside the n-th map as page coordinates (for page.mouse); fails if it is below the fold."""
    box = map_box(page, index)
    px, py = box["x"] + x, box["y"] + y
    assert py < page.viewport_size["height"], "map point below the fold: use a taller viewport"
    return px, py


def upload_on_import_page(page, server_url: str, name: str, data: bytes, mime: str = "text/csv") -> None:
    """Open the import page and upload `data` as a file called `name` through its file chooser."""
    page.goto(server_url + "/import")
    wait_for_app(page)
    with page.expect_file_chooser() as chooser:
        page.locator('[data-testid="stFileUploaderDropzone"] button').first.click()
    chooser.value.set_files({"name": name, "mimeType": mime, "buffer": data})


# The Leaflet map and its badge clusters at rest: no zoom or pan animation, no cluster zooming or spiderfying.
_CLUSTERS_AT_REST = ("() => !window.map._animatingZoom && !(window.map._panAnim && window.map._panAnim._inProgress) "
                     "&& ![...Object.values(window.map._layers)].some(l => l._inZoomAnimation || l._spiderfying)")


def settle_map(frame) -> None:
    """Wait in a map's frame until the map and its badge clusters are at rest."""
    frame.wait_for_function(_CLUSTERS_AT_REST, timeout=10_000)
    frame.wait_for_timeout(350)  # markercluster's spiderfy and unspiderfy animations (≈200 ms)
    frame.wait_for_function(_CLUSTERS_AT_REST, timeout=10_000)


# Runs in the map's frame: where to click next to reach zone `key`'s badge — the badge itself once it is on the
# map, else the cluster that holds it (Leaflet.markercluster's getVisibleParent). Plain data only.
NEXT_CLICK = """
(key) => {
  let cluster = null, marker = null;
  window.map.eachLayer(l => { if (l instanceof L.MarkerClusterGroup) cluster = l; });
  const g = window.atlas.registry.zone_mark;
  if (g) g.eachLayer(m => { if (m.feature.properties.key === key) marker = m; });
  if (!marker) return null;
  const shown = cluster && cluster.hasLayer(marker) ? cluster.getVisibleParent(marker) : marker;
  if (!shown || !shown._icon) return {kind: 'hidden', cluster: !!cluster, own: shown === marker, zoom: window.map.getZoom(),
                                      mcgZoom: cluster && cluster._zoom, anim: !!(cluster && cluster._inZoomAnimation)};
  const r = shown._icon.getBoundingClientRect(), x = r.left + r.width / 2, y = r.top + r.height / 2;
  const hit = document.elementFromPoint(x, y);  // what a click there would land on right now
  return {kind: shown === marker ? 'badge' : 'cluster', x, y, onTop: !!hit && shown._icon.contains(hit)};
}
"""


def next_click(frame, key: str, tries: int = 5) -> dict:
    """NEXT_CLICK once what a click at the target would land on is the target itself. Under load a ring read just
    as an animation ended could be covered or moving: a click then landed on a province shape (the page drilled
    into it and replaced the map's frame) instead of the ring. Waits for the map to settle between tries."""
    for _ in range(tries):
        target = frame.evaluate(NEXT_CLICK, key)
        assert target and target["kind"] != "hidden", (key, target)
        if target["onTop"]:
            return target
        settle_map(frame)
        frame.wait_for_timeout(300)
    raise AssertionError(f"{key}: its {target['kind']} stays covered at {target['x']:.0f},{target['y']:.0f}")


def click_zone_badge(page, key: str, index: int = 0, max_clicks: int = 12) -> int:
    """Click zone `key`'s badge on the n-th map with the mouse, first clicking through the clusters that hold it
    (each click zooms in or spreads the cluster out, as a user would); return how many clicks it took."""
    frame = map_frame(page, index)
    settle_map(frame)
    for clicks in range(1, max_clicks + 1):
        target = next_click(frame, key)
        page.mouse.click(*page_point(page, target["x"], target["y"], index))
        if target["kind"] == "badge":
            return clicks
        settle_map(frame)
    raise AssertionError(f"{key}: still clustered after {max_clicks} clicks")


def zone_grid_rows(page) -> int:
    """How many zones the zone list beside the map holds: its data grid's accessible table counts its rows
    (aria-rowcount, header row included), also those scrolled out of view."""
    table = page.locator('[class*="st-key-zone_rows_"] [data-testid="stDataFrame"] table').first
    table.wait_for(state="attached")
    return int(table.get_attribute("aria-rowcount")) - 1
