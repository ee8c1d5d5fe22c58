"""Compact Leaflet layers: GeoJSON whose rings are Encoded Polyline strings, serialised once, drawn by our own JS.

Why not folium.GeoJson: it keeps coordinates as Python lists, so every Streamlit run deep-copies, walks (bounds),
and JSON-dumps them again (≈0.5 s for the national map), and it ships them as decimal text (≈0.7 MB nationally).
Even with coordinates rounded to each view's precision it does not come close (side by side, one run, 30 Nov
2026, loaded machine; rendered base map): national 381 kB and 674 ms a run vs 130 kB and 68 ms here; 四川
drill-down 1479 kB and 2754 ms vs 287 kB and 88 ms. The codec stays.
Here a layer is prepared once into a JSON string and a folium element only pastes that string into
`atlas.layer(parent, spec)`, defined in static/atlas/atlas_map.js. That library is pasted into the map's own
script (AtlasLibrary) rather than linked: streamlit-folium loads linked scripts one after another before it runs
the map, so a link put a round trip in front of the first paint. Its stylesheet is linked (not waited for).

Geometry: each ring or line is a string in the scheme of Google's Encoded Polyline Algorithm
(https://developers.google.com/maps/documentation/utilities/polylinealgorithm) — integer deltas at a precision
chosen per view, zig-zag signed, 5-bit chunks with a continuation bit — in GeoJSON order (longitude first), but
written with the alphabet ALPHABET instead of Google's "chunk + 63". Google's range contains `{`, the backslash and `_`:
branca renders every element's script a second time as a Jinja template (`{{` would be evaluated), JSON would
double every backslash, and streamlit-folium renames `_<id>` words in the script. ALPHABET has none of them.

A spec is plain data: `layer` (its name, for atlas.setTips), `precision`, `features` ([{"p": properties, "g": packed geometry}]), and how to
draw them: `style` (Leaflet path options), `styleFrom` (path option → property name), `selected` / `dim`
(options merged when the property is true), `highlight` (on hover), `tooltip` (options; the text is the
feature's `tip` property, already HTML-escaped), `interactive`, `marker` ("mark": points as numbered badges,
"dot": points as 1-px circles).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np
import shapely
from branca.element import Element, MacroElement
from folium.elements import JSCSSMixin
from folium.plugins import MarkerCluster
from folium.template import Template

ATLAS_JS_FILE = Path(__file__).resolve().parents[2] / "static" / "atlas" / "atlas_map.js"
ATLAS_CSS = ("atlas_map_css", "/app/static/atlas/atlas_map.css")
# Leaflet.markercluster (vendored, static/vendor/README.md): pasted into the map's script and, with the dashboard's
# inline stylesheets, into its header, like atlas_map.js — a linked script is one more round trip before the
# first paint (streamlit-folium loads them one after another). ZoneCluster then links nothing itself.
CLUSTER_JS_FILE = ATLAS_JS_FILE.parent.parent / "vendor" / "leaflet.markercluster" / "leaflet.markercluster.js"
CLUSTER_CSS = ("markerclustercss", "/app/static/vendor/leaflet.markercluster/MarkerCluster.css")
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-~"  # 6-bit values; 0x20 = more follow
# Outside JSON strings a `{` is always followed by `"` or `}`; inside them (user text) these pairs would open
# a Jinja tag in branca's second render pass, so that `{` is written as a JSON escape.
_JINJA_OPEN = re.compile(r"\{(?=[{%#])")


# --- Encoded Polyline -----------------------------------------------------------------------------------------


def encode_coords(coords: np.ndarray, precision: int) -> str:
    """(n, 2) longitude/latitude pairs → polyline text (deltas of integers at 10**-precision, see ALPHABET)."""
    ints = np.round(np.asarray(coords, dtype=float)[:, :2] * 10**precision).astype(np.int64)
    deltas = np.diff(ints, axis=0, prepend=np.zeros((1, 2), dtype=np.int64)).ravel()
    zigzag = ((deltas << 1) ^ (deltas >> 63)).tolist()
    out = []
    for n in zigzag:
        while n >= 0x20:
            out.append(ALPHABET[0x20 | (n & 0x1F)])
            n >>= 5
        out.append(ALPHABET[n])
    return "".join(out)


def _ring(ring: shapely.LinearRing | shapely.LineString, precision: int) -> str:
    coords = shapely.get_coordinates(ring)
    ints = np.round(coords * 10**precision)
    keep = np.ones(len(ints), dtype=bool)
    keep[1:] = np.any(ints[1:] != ints[:-1], axis=1)  # points that rounding made repeat add bytes, not shape
    if keep.sum() >= (4 if isinstance(ring, shapely.LinearRing) else 2):
        coords = coords[keep]
    return encode_coords(coords, precision)


def _polygon(poly: shapely.Polygon, precision: int) -> list[str]:
    return [_ring(poly.exterior, precision), *(_ring(r, precision) for r in poly.interiors)]


def pack_geometry(geom: shapely.Geometry, precision: int) -> list:
    """[type, coordinates] with every ring or line as an Encoded Polyline string; points stay numbers."""
    kind = geom.geom_type
    if kind == "Point":
        return ["Point", [round(geom.x, precision), round(geom.y, precision)]]
    if kind == "Polygon":
        return ["Polygon", _polygon(geom, precision)]
    if kind == "MultiPolygon":
        return ["MultiPolygon", [_polygon(p, precision) for p in geom.geoms]]
    if kind == "LineString":
        return ["LineString", _ring(geom, precision)]
    if kind == "MultiLineString":
        return ["MultiLineString", [_ring(line, precision) for line in geom.geoms]]
    if kind == "GeometryCollection":  # make_valid can leave slivers as lines next to polygons: keep the areas
        polys = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
        return pack_geometry(shapely.union_all(polys) if polys else shapely.Polygon(), precision)
    raise ValueError(f"cannot pack {kind}")


def _html_safe(text: str) -> str:
    """JSON that can sit inside a <script> element (what jinja's tojson does: no <, >, & or ' characters) and
    passes through a Jinja render unchanged (no `{{`, `{%`, `{#`)."""
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").replace("'", "\\u0027")
    return _JINJA_OPEN.sub(r"\\u007b", text)


def pack_layer(name: str, geometries: Sequence[shapely.Geometry], properties: Sequence[Mapping], precision: int,
               **drawing) -> str:
    """The JSON text of one layer spec (see the module docstring); empty geometries are left out."""
    features = [
        {"p": dict(p), "g": pack_geometry(g, precision)}
        for g, p in zip(geometries, properties, strict=True)
        if g is not None and not g.is_empty
    ]
    spec = {"layer": name, "precision": precision, "features": features, **drawing}
    return _html_safe(json.dumps(spec, ensure_ascii=False))


def dumps(value) -> str:
    """Plain data for a script element (same escaping as pack_layer)."""
    return _html_safe(json.dumps(value, ensure_ascii=False))


# --- folium elements: paste prepared text, so rendering costs nothing per Streamlit run ------------------------


@lru_cache(maxsize=1)
def atlas_library() -> str:
    """The source of static/atlas/atlas_map.js after Leaflet.markercluster's (both pass through Jinja
    unchanged: tested)."""
    cluster = CLUSTER_JS_FILE.read_text(encoding="utf-8").replace("//# sourceMappingURL=leaflet.markercluster.js.map", "")
    return cluster.rstrip("\n") + "\n" + ATLAS_JS_FILE.read_text(encoding="utf-8").rstrip("\n")


class _Pasted(Element):
    """Rendered element text placed in the figure as it is (one template, compiled once)."""

    _template = Template("{{ this.text }}")

    def __init__(self, text: str):
        super().__init__()
        self.text = text


class _AtlasScript(MacroElement):
    """An element drawn by atlas_map.js (pasted into the map by AtlasLibrary).

    Its rendered text goes into the figure as it is: branca's MacroElement.render compiles each element's output
    as a new Jinja template (the second pass of the module docstring), which for these texts — up to ≈75 kB of layer JSON, the
    ≈47 kB library — took most of the map's Python time per Streamlit run (bench.page_speed), and st_folium
    renders the map twice a run. The output is the same: these texts hold no Jinja syntax (tested)."""

    def render(self, **kwargs):
        figure = self.get_root()
        for part in ("header", "html", "script"):
            macro = self._template.module.__dict__.get(part)
            if macro is not None:
                getattr(figure, part).add_child(_Pasted(macro(self, kwargs)), name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)


class AtlasLibrary(JSCSSMixin, _AtlasScript):
    """atlas_map.js itself, first in the map's script; every other element here needs it (base_map adds it)."""

    default_css = [ATLAS_CSS, CLUSTER_CSS]
    _template = Template("""
        {% macro script(this, kwargs) %}
        {{ this.source }}
        {% endmacro %}
    """)

    def __init__(self):
        super().__init__()
        self._name = "AtlasLibrary"
        self.source = atlas_library()


class PackedLayer(_AtlasScript):
    """A layer prepared by pack_layer, drawn into its parent (the map or a feature group)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = atlas.layer({{ this._parent.get_name() }}, {{ this.spec }});
        {% endmacro %}
    """)

    def __init__(self, spec: str):
        super().__init__()
        self._name = "PackedLayer"
        self.spec = spec


class FeatureTips(_AtlasScript):
    """New tooltip texts, by feature key, for an already drawn layer (by name; e.g. zone counts per province)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        atlas.setTips({{ this.layer_json }}, {{ this.tips }});
        {% endmacro %}
    """)

    def __init__(self, layer: str, tips: Mapping[str, str]):
        super().__init__()
        self._name = "FeatureTips"
        self.layer_json = dumps(layer)
        self.tips = dumps(dict(tips))


class InsetMap(_AtlasScript):
    """A small framed, non-interactive second map in a corner of its parent map (see atlas.inset)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = atlas.inset({{ this._parent.get_name() }}, {{ this.spec }});
        {% endmacro %}
    """)

    def __init__(self, spec: str):
        super().__init__()
        self._name = "InsetMap"
        self.spec = spec


class AtlasView(_AtlasScript):
    """After the map's fit: bounded pan and zoom, layers drawn only once zoomed in, the inset hidden where it
    would cover zones, place names decluttered (atlas.view). `bounds` and `pad_bottom_right` (px): the view's fit;
    `max_bounds`: ((south, west), (north, east));
    `max_zoom`: the map's last zoom level (Leaflet.markercluster spiderfies there)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        atlas.view({{ this._parent.get_name() }}, {{ this.spec }});
        {% endmacro %}
    """)

    def __init__(self, bounds, max_bounds, max_zoom: int, pad_bottom_right: tuple[int, int] | None = None):
        super().__init__()
        self._name = "AtlasView"
        self.spec = dumps({"bounds": [list(bounds[0]), list(bounds[1])], "padBottomRight": pad_bottom_right,
                           "maxBounds": [list(max_bounds[0]), list(max_bounds[1])], "maxZoom": max_zoom})


class ZoneCluster(MarkerCluster):
    """folium's Leaflet.markercluster group for the zone badges: badges that would overlap become one ring with
    their count; a click zooms in to them, and where they still overlap at the last zoom it spreads them out
    (spiderfy), so every zone can be clicked. The plugin's code and base stylesheet come with AtlasLibrary; the
    ring is ours (atlas_map.css). `atlas: true` asks atlas_map.js to draw each ring at its group's grid point and
    to open a clicked ring clear of the map's controls (see there).

    No two marks overlap: at its own zoom level every drawn mark is more than CLUSTER_RADIUS px from every other
    (rings at their grid points), and the map shows a level from half a level below to a quarter above it (zoomSnap
    0.25, the plugin rounds the zoom), so they stay CLUSTER_RADIUS / √2 ≈ 29.7 px apart: more than the widest pair,
    two 26-px rings or a ring and the selected badge (24 px and a 2-px halo), and Leaflet's whole-pixel positions.
    """

    CLUSTER_RADIUS = 42  # px

    # A ring holding the open zone is drawn inverted (atlas-cluster-selected), same size: the zone stays marked
    # when the user zooms out past its badge.
    ICON = """function (cluster) {
        var el = document.createElement("span");
        var open = cluster.getAllChildMarkers().some(function (m) { return m.feature.properties.selected; });
        el.className = "atlas-cluster" + (open ? " atlas-cluster-selected" : "");
        el.textContent = cluster.getChildCount();
        return L.divIcon({html: el, className: "atlas-cluster-icon marker-cluster", iconSize: [26, 26]});
    }"""

    def __init__(self):
        super().__init__(name="zone_badges", control=False, icon_create_function=self.ICON,
                         options={"maxClusterRadius": self.CLUSTER_RADIUS, "showCoverageOnHover": False,
                                  "spiderfyOnMaxZoom": True, "zoomToBoundsOnClick": True,
                                  "spiderfyDistanceMultiplier": 1.6, "atlas": True})
        self.default_js, self.default_css = [], []  # pasted by AtlasLibrary into the base map


def inset_spec(layers: Iterable[str], bounds, label: str, size: tuple[int, int], position: str = "bottomright") -> str:
    """JSON for InsetMap: prepared layer specs (pack_layer texts), the window to show, its label and pixel size."""
    head = dumps({"bounds": [list(bounds[0]), list(bounds[1])], "label": label, "width": size[0],
                  "height": size[1], "position": position})
    return head[:-1] + ', "layers": [' + ", ".join(layers) + "]}"
