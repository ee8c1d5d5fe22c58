"""Build the interactive (folium/Leaflet) maps: the national view and a province drill-down, offline.

A map is two parts, prepared separately so a page can keep the first mounted while the second changes:
the base (provinces, the drilled province's counties, the maritime boundary line, the 南海诸岛 inset, the
台湾省资料暂缺 note) depends only on the view; the zone group (zone polygons, numbered zone badges, zone counts in
the province tooltips) depends on the filters and the selected zone. Both are prepared into text once
(geo.webmap.packed_layers) and turned into folium elements cheaply on every Streamlit run.

Every feature carries `kind` and `key` properties so a click can be traced back to a zone or a province
without guessing from coordinates. All user text reaching a tooltip is HTML-escaped here, because Leaflet
tooltips render HTML.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass

import folium
import geopandas as gpd
import shapely

from geo.boundaries.cache import load_layer
from geo.styling import DEFAULT_ZONE_COLOR, ZoneStyle
from geo.webmap.offline import inline_stylesheets, localize, offline_map
from geo.webmap.packed_layers import (
    AtlasLibrary,
    AtlasView,
    FeatureTips,
    InsetMap,
    PackedLayer,
    ZoneCluster,
    inset_spec,
    pack_layer,
)
from loaders.i18n import text

# Coordinate precision per view (decimal places): the national view shows the province layer, simplified at
# 0.02° (≈2 km), so 0.01° costs nothing visible; a drill-down shows counties simplified at 0.003°, so 0.001°.
NATIONAL_PRECISION = 2
DETAIL_PRECISION = 3
MARK_PRECISION = 4
INSET_PRECISION = 2
INSET_SIMPLIFY = 0.03  # degrees; the inset shows ≈5 px per degree
# Whole country, reaching Hainan's southern tip (18.2°N); the 南海诸岛 are shown in the inset.
CHINA_BOUNDS = ((17.5, 73.0), (53.6, 135.1))
SOUTH_SEA_BOUNDS = ((2.5, 106.0), (24.2, 124.0))  # the inset's window: the maritime line reaches 3.4°N–24.6°N
INSET_SIZE = (112, 132)  # px, about the window's Mercator aspect plus room for the label
# In the inset the 南海诸岛 — islands smaller than ISLAND_MAX_KM2, farther than OFFSHORE_DEG from the mainland,
# Hainan and Taiwan, south of ISLANDS_NORTH (东沙群岛, the northernmost group, lies at 20.7°N) — are drawn as
# dots: at ≈5 px per degree they would vanish. Coastal islets and 澎湖 stay plain land.
ISLAND_MAX_KM2 = 50.0
OFFSHORE_DEG = 0.5
ISLANDS_NORTH = 21.2
TAIWAN = "710000"
TAIWAN_NOTE_AT = (24.9, 122.1)  # off the north-east coast, written eastwards over the sea, above the inset
# How far the user can pan and how far out zoom (the fitted zoom minus one): the country with room around it,
# south to the 南海诸岛's southern tip, so a wheel gesture never leaves an empty map.
MAX_ZOOM = 12  # county streets need no more; Leaflet.markercluster needs a maximum to spiderfy at
SOUTH_SEA_NORTH = 17.5  # °N: Hainan island reaches 18.2°N; the 西沙/中沙/南沙 islands lie south of 17.1°N
MAX_BOUNDS = ((0.0, 60.0), (58.0, 150.0))
# The national view keeps this much room (px) under the country, so the inset in the bottom-right corner sits
# in open sea below the Taiwan note instead of beside Taiwan.
NATIONAL_BOTTOM_ROOM = 60
BASE_FILL = "#f4f1ea"
EDGE = "#8a8a8a"
ZONE_EDGE = "#1b1b1b"
MARITIME = "#5a5a5a"
MARK_SIZE = (18, 24)  # badge diameter in px: normal, selected


@dataclass(frozen=True)
class BaseLayers:
    """Everything under the zones for one view, as prepared text (immutable: safe to share between sessions)."""

    province: str | None
    layers: tuple[str, ...]
    inset: str | None
    taiwan_note: bool
    bounds: tuple[tuple[float, float], tuple[float, float]]

    @property
    def size(self) -> int:
        return sum(len(s.encode()) for s in self.layers) + len((self.inset or "").encode())


@dataclass(frozen=True)
class ZoneLayers:
    """The zones of one filtered view and the province tooltips that count them, as prepared text."""

    layers: tuple[str, ...]
    province_tips: tuple[tuple[str, str], ...]

    @property
    def size(self) -> int:
        return sum(len(s.encode()) for s in self.layers) + sum(len(v.encode()) for _, v in self.province_tips)


def _tip(*lines: str) -> str:
    return "<br>".join(html.escape(str(s)) for s in lines if s)


def badge_ink(color: str) -> str:
    """Black or white, whichever reads better on `color` (#rrggbb), for the number on a badge."""
    try:
        r, g, b = (int(color.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4))
    except ValueError:
        return "#ffffff"
    return "#000000" if 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.45 else "#ffffff"


def _province_counts(zones: gpd.GeoDataFrame) -> dict[str, int]:
    return zones[zones.joined].groupby("province_adcode").size().to_dict()


def taiwan_has_zones(zones: gpd.GeoDataFrame) -> bool:
    return _province_counts(zones).get(TAIWAN, 0) > 0


def province_bounds(province: str) -> tuple[tuple[float, float], tuple[float, float]]:
    layer = load_layer("province")
    row = layer[layer.adcode == province]
    if row.empty:
        raise KeyError(province)
    minx, miny, maxx, maxy = row.geometry.iloc[0].bounds
    return (miny, minx), (maxy, maxx)


# --- the base: provinces, counties of the drilled province, maritime line, inset -----------------------------


def _inset() -> str:
    (s, w), (n, e) = SOUTH_SEA_BOUNDS
    window = shapely.box(w - 1, s - 1, e + 1, n + 1)
    provinces = load_layer("province")
    land = shapely.simplify(shapely.clip_by_rect(provinces.geometry.values, w - 1, s - 1, e + 1, n + 1),
                            INSET_SIMPLIFY, preserve_topology=True)
    keep = ~shapely.is_empty(land)
    land_spec = pack_layer(
        "inset_land", land[keep], [{} for _ in range(int(keep.sum()))], INSET_PRECISION, interactive=False,
        style={"fillColor": BASE_FILL, "fillOpacity": 1, "color": EDGE, "weight": 0.6},
    )
    parts = shapely.get_parts(provinces.geometry.values)
    parts = parts[shapely.intersects(parts, window)]
    areas = gpd.GeoSeries(parts, crs="EPSG:4326").to_crs("EPSG:6933").area.values / 1e6
    land_masses = shapely.union_all(parts[areas >= 1000])
    small = parts[areas < ISLAND_MAX_KM2]
    dots = shapely.point_on_surface(small[shapely.distance(small, land_masses) > OFFSHORE_DEG])
    dots = dots[shapely.get_y(dots) < ISLANDS_NORTH]
    dot_spec = pack_layer(
        "inset_islands", dots, [{} for _ in dots], MARK_PRECISION, interactive=False, marker="dot",
        style={"radius": 1, "stroke": False, "fillColor": "#555555", "fillOpacity": 1},
    )
    maritime = shapely.clip_by_rect(load_layer("maritime").geometry.values, w - 1, s - 1, e + 1, n + 1)
    line_spec = pack_layer("inset_maritime", maritime, [{}], INSET_PRECISION + 1, interactive=False,
                           style={"color": MARITIME, "weight": 1.4})
    return inset_spec([land_spec, dot_spec, line_spec], SOUTH_SEA_BOUNDS, text("map.inset_label"),
                      INSET_SIZE)


def _split_south_sea(geometries) -> tuple[list, shapely.Geometry]:
    """Each province's shape without its parts south of SOUTH_SEA_NORTH, and those parts together (the islands
    of the 南海诸岛, which the inset shows at the national zoom)."""
    kept, south = [], []
    for geom in geometries:
        parts = shapely.get_parts(geom)
        far = shapely.get_y(shapely.point_on_surface(parts)) < SOUTH_SEA_NORTH
        kept.append(shapely.union_all(parts[~far]) if far.any() else geom)
        south.extend(parts[far])
    return kept, shapely.union_all(south)


def prepare_base(province: str | None, taiwan_note: bool = True, inset: bool | None = None) -> BaseLayers:
    """The base of the national view (province=None) or of one province's drill-down, prepared once.

    `taiwan_note`: write 台湾省资料暂缺 beside Taiwan (when the roster has no zone there). `inset`: the 南海诸岛
    inset; by default on the national view only (a drill-down shows one province).
    """
    provinces = load_layer("province")
    show_inset = province is None if inset is None else inset
    precision = NATIONAL_PRECISION if province is None else DETAIL_PRECISION
    geometries, islands = provinces.geometry.values, None
    if show_inset:  # the inset shows the 南海诸岛: in the main map they appear only once the user zooms in
        geometries, islands = _split_south_sea(geometries)
    props = []
    for rec in provinces.itertuples(index=False):
        p = {"kind": "province", "key": rec.adcode,
             "tip": _tip(rec.name, text("common.taiwan_no_data") if rec.adcode == TAIWAN and taiwan_note else "")}
        if province is not None and rec.adcode != province:
            p["dim"] = True
        props.append(p)
    layers = [pack_layer(
        "province", geometries, props, precision,
        style={"fillColor": BASE_FILL, "fillOpacity": 1.0, "color": EDGE, "weight": 0.8},
        dim={"fillOpacity": 0.55}, highlight={"weight": 2, "color": "#444444"}, tooltip={"sticky": False},
    )]
    if province is not None:
        counties = load_layer("county")
        counties = counties[counties.province_adcode == province]
        layers.append(pack_layer(
            "county", counties.geometry.values,
            [{"kind": "county", "key": r.adcode, "tip": _tip(r.name)} for r in counties.itertuples(index=False)],
            DETAIL_PRECISION, style={"fillOpacity": 0, "color": "#9a9a9a", "weight": 0.6}, tooltip={"sticky": True},
        ))
    if islands is not None:
        layers.append(pack_layer("south_sea_islands", [islands], [{}], precision, interactive=False, fitOnly=False,
                                 style={"fillColor": BASE_FILL, "fillOpacity": 1.0, "color": EDGE, "weight": 0.8}))
    # With the inset showing the 南海诸岛, the main map leaves the line out until the user zooms in (else, at
    # the national zoom, its southern part runs off the map's bottom edge beside the inset).
    layers.append(pack_layer("maritime", load_layer("maritime").geometry.values, [{"kind": "maritime"}],
                             precision + 1, interactive=False, style={"color": MARITIME, "weight": 1.2},
                             **({"fitOnly": False} if show_inset else {})))
    layers.append(place_labels(province))
    bounds = province_bounds(province) if province else CHINA_BOUNDS
    return BaseLayers(province, tuple(layers), _inset() if show_inset else None, taiwan_note, bounds)


def base_map(base: BaseLayers, *, tile_url: str | None = None, tile_attribution: str | None = None,
             inline_css: bool = False) -> folium.Map:
    """A fresh folium map from prepared base layers (cheap: the layers are pasted as text).

    `inline_css`: Leaflet's and our stylesheets pasted into the map's header rather than linked (the dashboard:
    two fewer requests in the map frame before its first paint)."""
    m = offline_map(location=(35.0, 105.0), zoom_start=4, tile_url=tile_url, tile_attribution=tile_attribution,
                    zoom_snap=0.25, zoom_delta=0.5)
    AtlasLibrary().add_to(m)  # first: the layers below and the zone group are drawn by it
    # Fitted at once and before any layer is added, so Leaflet projects and draws every layer once, at the fitted
    # zoom. folium's m.fit_bounds (last, animated) drew the map at zoom_start, then animated a zoom to the fit
    # and projected and drew everything again at its end (bench.page_speed: the map script ran ≈1/3 longer).
    pad = (0, NATIONAL_BOTTOM_ROOM) if base.inset else None
    fit = folium.FitBounds(base.bounds, padding_bottom_right=pad)
    fit.options["animate"] = False
    m.add_child(fit)
    for spec in base.layers:
        PackedLayer(spec).add_to(m)
    if base.taiwan_note:
        folium.CircleMarker(
            location=TAIWAN_NOTE_AT, radius=1, opacity=0, fill_opacity=0, interactive=False,
            tooltip=folium.Tooltip(html.escape(text("common.taiwan_no_data")), permanent=True, direction="right",
                                   class_name="atlas-note"),
        ).add_to(m)
    if base.inset:
        InsetMap(base.inset).add_to(m)
    AtlasView(base.bounds, MAX_BOUNDS, MAX_ZOOM, pad).add_to(m)  # after the fit: bounds and minimum zoom from the fitted view
    localize(m)
    return inline_stylesheets(m) if inline_css else m


def place_labels(province: str | None) -> str:
    """Place names as a prepared layer: province names on the national map; in a drill-down the province's
    prefecture-level names (ranked first) and county-level names. Ranked by area, so that where names collide
    atlas.declutter keeps the larger unit's and zooming in brings the others back (label points are the
    boundary cache's label_lon/label_lat, inside each unit)."""
    if province is None:
        units = load_layer("province")
        units = units.assign(rank=units.area_km2, level="province")
    else:
        prefectures = load_layer("prefecture")
        prefectures = prefectures[prefectures.province_adcode == province]
        counties = load_layer("county")
        counties = counties[(counties.province_adcode == province) & ~counties.adcode.isin(prefectures.adcode)]
        units = gpd.GeoDataFrame(
            [*({"name": r.name, "label_lon": r.label_lon, "label_lat": r.label_lat, "rank": 1e9 + r.area_km2,
                "level": "prefecture"} for r in prefectures.itertuples(index=False)),
             *({"name": r.name, "label_lon": r.label_lon, "label_lat": r.label_lat, "rank": r.area_km2,
                "level": "county"} for r in counties.itertuples(index=False))])
    points = shapely.points(units.label_lon.to_numpy(float), units.label_lat.to_numpy(float))
    props = [{"kind": "label", "name": r.name, "rank": round(float(r.rank), 1), "level": r.level}
             for r in units.itertuples(index=False)]
    return pack_layer("labels", points, props, MARK_PRECISION, interactive=False, marker="label")


def programme_path_props(programme: str, color: str) -> dict:
    """Per-zone path options for a provincial programme's zone (loaders.programmes.programme_style): a dashed
    outline in the zone's colour and a faint fill, so it reads apart from the filled national zones on screen and
    in grayscale print. {} for national zones (the layer's default style)."""
    from loaders.programmes import programme_style

    if not programme:
        return {}
    ps = programme_style(programme)
    if ps.fill:
        return {}
    return {"edge": color, "fo": ps.fill_opacity, "dash": ps.dash, "w": ps.weight}


# --- the zones: polygons, numbered badges, counts in the province tooltips -----------------------------------


def prepare_zones(zones: gpd.GeoDataFrame, styles: Mapping[str, ZoneStyle] | None = None,
                  selected: str | None = None) -> ZoneLayers:
    """Zone polygons and badges for the zones in view (joined ones), and province tooltips counting them."""
    styles = styles or {}
    shown = zones[zones.joined]
    layers: list[str] = []
    if not shown.empty:
        props, points = [], []
        for rec in shown.itertuples(index=False):
            style = styles.get(rec.zone_id, ZoneStyle(DEFAULT_ZONE_COLOR, ""))
            p = {"kind": "zone", "key": rec.zone_id, "tip": _tip(rec.unit_name, rec.theme, style.group),
                 "color": style.color, "mark": style.mark, "ink": badge_ink(style.color)}
            p.update(programme_path_props(getattr(rec, "programme", ""), style.color))
            if rec.zone_id == selected:
                p["selected"] = True
            props.append(p)
            points.append(shapely.Point(rec.marker_lon, rec.marker_lat))
        layers.append(pack_layer(
            "zone", shown.geometry.values, props, DETAIL_PRECISION,
            style={"color": ZONE_EDGE, "weight": 1, "fillOpacity": 0.8}, styleFrom={"fillColor": "color", "color": "edge", "fillOpacity": "fo", "dashArray": "dash", "weight": "w"},
            selected={"weight": 3}, highlight={"weight": 3}, tooltip={"sticky": True},
        ))
        # Badges keep zones findable where a district is a few pixels wide at national zoom; where they would
        # overlap they are clustered (zone_group), the open zone's too (atlas.view zooms in to show it).
        layers.append(pack_layer("zone_mark", points, props, MARK_PRECISION, marker="mark", markSize=list(MARK_SIZE),
                                 tooltip={"direction": "top", "offset": [0, -10]}))
    counts = _province_counts(zones)
    tips = []
    for rec in load_layer("province").itertuples(index=False):
        n = counts.get(rec.adcode, 0)
        note = text("common.taiwan_no_data") if rec.adcode == TAIWAN and n == 0 else text("common.zones_count", n=n)
        tips.append((rec.adcode, _tip(rec.name, note)))
    return ZoneLayers(tuple(layers), tuple(tips))


def zone_group(zone_layers: ZoneLayers) -> folium.FeatureGroup:
    """A fresh feature group from prepared zone layers (for st_folium's feature_group_to_add, or a map)."""
    group = folium.FeatureGroup(name="zones", control=False)
    cluster = ZoneCluster().add_to(group)  # always there, so its script is linked from the first render on
    for spec in zone_layers.layers:
        PackedLayer(spec).add_to(cluster if spec.startswith('{"layer": "zone_mark"') else group)
    FeatureTips("province", dict(zone_layers.province_tips)).add_to(group)
    return localize(group)


def clicked_target(drawing: Mapping | None) -> tuple[str, str] | None:
    """(kind, key) of the feature a user clicked, from st_folium's `last_active_drawing`; None if not ours."""
    if not isinstance(drawing, Mapping):
        return None
    props = drawing.get("properties")
    if not isinstance(props, Mapping):
        return None
    kind, key = props.get("kind"), props.get("key")
    if kind in {"zone", "province", "county"} and isinstance(key, str) and len(key) <= 32:
        return kind, key
    return None
