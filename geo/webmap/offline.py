"""Keep folium maps off the network: vendored Leaflet instead of CDN links, and a finder for stray URLs.

folium declares its JavaScript/CSS as CDN URLs (`default_js` / `default_css`, class attributes shared by every
instance); streamlit-folium turns every one of them into a <script>/<link> tag in its iframe. On a closed network
one failed script leaves the map silently blank, so `localize` rewrites each entry to a file under `static/vendor`
(served by Streamlit at /app/static when `server.enableStaticServing` is on), drops what no element on the map
uses, and refuses — `OfflineAssetError` — when something needs a file we do not ship.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import folium
import folium.features
import folium.raster_layers
from branca.element import CssLink, Element, Figure, JavascriptLink, MacroElement
from folium.elements import JSCSSMixin
from folium.template import Template

from geo.webmap.control_titles import ZoomControlTitles

LOCAL_PREFIX = "/app/static/vendor"
STATIC_DIR = Path(__file__).resolve().parents[2] / "static"
VENDOR_DIR = STATIC_DIR / "vendor"

# folium's resource name → file under static/vendor (see static/vendor/README.md for origin and checksums).
LOCAL_ASSETS: dict[str, str] = {
    "leaflet": "leaflet/leaflet.js",
    "leaflet_css": "leaflet/leaflet.css",
    "jquery": "jquery/jquery.min.js",
    "markerclusterjs": "leaflet.markercluster/leaflet.markercluster.js",
    "markerclustercss": "leaflet.markercluster/MarkerCluster.css",
}
# folium.Map declares these for every map although only a few elements use them; they load only when needed.
ON_DEMAND = frozenset({
    "jquery", "bootstrap", "bootstrap_css", "glyphicons_css", "awesome_markers", "awesome_markers_css",
    "awesome_markers_font_css", "awesome_rotate_css",
})
_AWESOME = ("awesome_markers", "awesome_markers_css", "awesome_rotate_css")

# Namespace identifiers are names, never fetched (SVG/XHTML/XLink/XML in Leaflet or inline SVG).
NAMESPACE_URIS = frozenset({
    "http://www.w3.org/2000/svg",
    "http://www.w3.org/1999/xhtml",
    "http://www.w3.org/1999/xlink",
    "http://www.w3.org/XML/1998/namespace",
    "http://www.w3.org/2000/xmlns/",
})
# Absolute http(s) URLs (also JSON-escaped `https:\/\/`), and protocol-relative ones where a URL can start:
# after a quote, `(` or `=` — so a JS comment like `// note` is not taken for one.
_ABSOLUTE = re.compile(r"""https?:\\?/\\?/(?:\\/|[^\s"'<>()`\\])+""", re.IGNORECASE)
_PROTOCOL_RELATIVE = re.compile(r"""(?<=["'(=])//[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?::\d+)?(?:/[^\s"'<>()`\\]*)?""")


class OfflineAssetError(RuntimeError):
    """A map element needs a script, stylesheet or tile source that is not available on this machine."""


def _is_external(url: str) -> bool:
    return bool(re.match(r"^(?:[a-z][a-z0-9+.-]*:)?//", url.strip(), re.IGNORECASE))


def _elements(root: Element) -> Iterator[Element]:
    yield root
    for child in list(root._children.values()):
        yield from _elements(child)


def _needs(elements: Sequence[Element]) -> dict[str, str]:
    """On-demand resources the elements' templates use → the element that uses them (for error messages)."""
    needs: dict[str, str] = {}
    for el in elements:
        kind = type(el).__name__
        if isinstance(el, folium.Popup):  # its template builds content with $(`...`)
            needs.setdefault("jquery", kind)
        elif isinstance(el, folium.GeoJson) and not el.embed:  # loads data with $.ajax
            needs.setdefault("jquery", kind)
        elif isinstance(el, folium.Map) and el.objects_to_stay_in_front:  # $(document).ready(...)
            needs.setdefault("jquery", kind)
        elif isinstance(el, folium.Icon) and not isinstance(el, folium.features.CustomIcon):
            font = "glyphicons_css" if el.options.get("prefix", "glyphicon") == "glyphicon" else "awesome_markers_font_css"
            for name in (*_AWESOME, font):
                needs.setdefault(name, kind)
    return needs


def _local_url(name: str, prefix: str) -> str:
    return f"{prefix.rstrip('/')}/{LOCAL_ASSETS[name]}"


def _localized(el: Element, links: list[tuple[str, str]], needs: dict[str, str], prefix: str) -> list[tuple[str, str]]:
    out = []
    for name, url in links:
        if not _is_external(url):
            out.append((name, url))  # already served by us
        elif isinstance(el, folium.Map) and name in ON_DEMAND and name not in needs:
            continue
        elif name in LOCAL_ASSETS:
            out.append((name, _local_url(name, prefix)))
        else:
            user = needs.get(name, type(el).__name__)
            raise OfflineAssetError(f"{user} needs {name!r} ({url}), which is not vendored under static/vendor")
    return out


def _check_tiles(el: Element, allowed: set[str]) -> None:
    if isinstance(el, folium.raster_layers.TileLayer) and _is_external(el.tiles) and el.tiles not in allowed:
        raise OfflineAssetError(f"tile layer {el.tiles!r} is not a configured tile server")
    if isinstance(el, folium.raster_layers.WmsTileLayer) and _is_external(el.url) and el.url not in allowed:
        raise OfflineAssetError(f"WMS layer {el.url!r} is not a configured tile server")
    if isinstance(el, folium.raster_layers.ImageOverlay) and _is_external(str(el.url)):
        raise OfflineAssetError(f"image overlay {el.url!r} would be fetched from the network")


def _localize_header(figure: Figure, names: dict[str, str]) -> None:
    """Header links left by an earlier render: point them at local files or remove them."""
    for key, child in list(figure.header._children.items()):
        if not isinstance(child, (JavascriptLink, CssLink)) or not _is_external(child.url):
            continue
        if key in names:
            child.url = names[key]
        elif key in LOCAL_ASSETS or key in ON_DEMAND:
            del figure.header._children[key]
        else:
            raise OfflineAssetError(f"figure header links {child.url}, which is not vendored under static/vendor")


def localize(m: folium.Map, prefix: str = LOCAL_PREFIX) -> folium.Map:
    """Point every script/stylesheet of the map (and all its children) at local files; drop unused ones."""
    root = m.get_root()
    elements = list(_elements(root))
    needs = _needs(elements)
    missing = sorted(n for n in needs if n not in LOCAL_ASSETS)
    if missing:
        users = sorted({needs[n] for n in missing})
        raise OfflineAssetError(f"{', '.join(users)} need(s) {', '.join(missing)}, not vendored under static/vendor")
    allowed_tiles = set(getattr(m, "configured_tile_urls", ()))
    resolved: dict[str, str] = {}
    for el in elements:
        _check_tiles(el, allowed_tiles)
        if isinstance(el, JSCSSMixin):
            # Instance attributes: the class-level lists are shared by every map in the process.
            el.default_js = _localized(el, el.default_js, needs, prefix)
            el.default_css = _localized(el, el.default_css, needs, prefix)
            resolved.update(el.default_js)
            resolved.update(el.default_css)
    if isinstance(root, Figure):
        _localize_header(root, resolved)
    return m


def inline_stylesheets(m: folium.Map, prefix: str = "/app/static") -> folium.Map:
    """Paste the (localized) map's own stylesheets into its header as <style> instead of linking them, so that
    the map frame does not wait for more requests before it paints. Their relative url()s are made absolute."""
    root = m.get_root()
    for el in _elements(root):
        if not isinstance(el, JSCSSMixin) or not el.default_css:
            continue
        for name, url in el.default_css:
            if not url.startswith(prefix.rstrip("/") + "/"):
                raise OfflineAssetError(f"stylesheet {url} is not one of ours under {prefix}")
            path = STATIC_DIR / url[len(prefix.rstrip("/")) + 1:]
            folder = url.rsplit("/", 1)[0]
            style = Element("<style>{{ this.css }}</style>")
            css = re.sub(r"/\*.*?\*/", "", path.read_text(encoding="utf-8"), flags=re.DOTALL)  # comments cite URLs
            style.css = re.sub(r"url\((?![#/]|data:)([^)]+)\)", rf"url({folder}/\1)", css)
            root.header.add_child(style, name=f"inline_{name}")
        el.default_css = []
    return m


class PlainAttributionPrefix(MacroElement):
    """Leaflet's attribution control opens with a link to https://leafletjs.com; on a closed network that is a
    link out of the page, so the prefix becomes the plain word."""

    PREFIX = "Leaflet"
    _template = Template("""
        {% macro script(this, kwargs) %}
        if ({{ this._parent.get_name() }}.attributionControl) {
            {{ this._parent.get_name() }}.attributionControl.setPrefix({{ this.PREFIX|tojson }});
        }
        {% endmacro %}
    """)

    def __init__(self):
        super().__init__()
        self._name = "PlainAttributionPrefix"


class OfflineMap(folium.Map):
    """A folium.Map that localizes itself each time it renders, so no caller can forget to."""

    def render(self, **kwargs):
        localize(self)
        return super().render(**kwargs)


def offline_map(
    location: Sequence[float] = (35.0, 105.0),
    zoom_start: int = 4,
    *,
    tile_url: str | None = None,
    tile_attribution: str | None = None,
    attribution_control: bool | None = None,
    zoom_control: bool | str = True,
    prefer_canvas: bool = True,
    control_scale: bool = False,
    **kwargs,
) -> folium.Map:
    """A map with no web tiles (unless an agency tile server is configured) whose assets come from static/vendor.

    `attribution_control` defaults to on only when there are tiles to credit. Canvas rendering (prefer_canvas)
    keeps thousands of county polygons fast; interaction (tooltips, clicks) works the same.
    """
    if tile_url and not tile_attribution:
        raise ValueError("a tile server needs an attribution (tile_attribution)")
    m = OfflineMap(
        location=list(location),
        zoom_start=zoom_start,
        tiles=None,
        attribution_control=bool(tile_url) if attribution_control is None else attribution_control,
        zoom_control=zoom_control,
        prefer_canvas=prefer_canvas,
        control_scale=control_scale,
        **kwargs,
    )
    m.configured_tile_urls = (tile_url,) if tile_url else ()
    if tile_url:
        # Leaflet writes the attribution as HTML: it comes from the server's environment, and is shown as text.
        folium.TileLayer(tiles=tile_url, attr=html.escape(tile_attribution), name="tiles", control=False).add_to(m)
    PlainAttributionPrefix().add_to(m)
    ZoomControlTitles().add_to(m)  # Leaflet's "Zoom in"/"Zoom out" in Chinese
    return m


def external_urls(html: str, allow: Iterable[str] = ()) -> list[str]:
    """Every http(s)/protocol-relative URL in rendered HTML/JS, except XML namespace names and `allow` prefixes."""
    allowed = tuple(a for a in allow if a)
    found = []
    for match in (*_ABSOLUTE.finditer(html), *_PROTOCOL_RELATIVE.finditer(html)):
        url = match.group(0).replace("\\/", "/")
        if url.rstrip("/") in {ns.rstrip("/") for ns in NAMESPACE_URIS}:
            continue
        if allowed and url.startswith(allowed):
            continue
        found.append(url)
    return sorted(dict.fromkeys(found))
