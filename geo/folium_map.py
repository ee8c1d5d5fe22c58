"""Build the interactive (folium/Leaflet) maps: the national view and a province drill-down, offline.

Every feature carries `kind` and `key` properties so a click can be traced back to a zone or a province
without guessing from coordinates. All user text reaching a tooltip is HTML-escaped here, because Leaflet
tooltips render HTML.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping
from dataclasses import dataclass

import folium
import geopandas as gpd
import shapely

from geo.boundaries import load_layer
from geo.offline import localize, offline_map
from loaders.i18n import text

# Display precision: 4 decimals ≈ 10 m, far below what a screen shows at these zooms; halves the payload.
PRECISION = 4
CHINA_BOUNDS = ((17.5, 73.0), (53.6, 135.1))  # reaches Hainan's southern tip; SCS islands via the maritime line
SOUTH_SEA_BOUNDS = ((3.0, 105.0), (24.0, 125.0))
TAIWAN = "710000"
BASE_FILL = "#f4f1ea"
EDGE = "#8a8a8a"
ZONE_EDGE = "#1b1b1b"
DEFAULT_ZONE_COLOR = "#b3261e"


@dataclass(frozen=True)
class ZoneStyle:
    """Colour of one zone and the legend entry it belongs to."""

    color: str
    group: str


def _round(geom: shapely.Geometry) -> shapely.Geometry:
    return shapely.set_precision(geom, 10 ** -PRECISION, mode="pointwise")


def _feature_collection(gdf: gpd.GeoDataFrame, props: list[dict]) -> dict:
    geoms = shapely.to_geojson(
        [_round(g) for g in gdf.geometry.values]
    )
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": p, "geometry": json.loads(g)} for p, g in zip(props, geoms, strict=True)
        ],
    }


def _tip(*lines: str) -> str:
    return "<br>".join(html.escape(str(s)) for s in lines if s)


def _province_counts(zones: gpd.GeoDataFrame) -> dict[str, int]:
    return zones[zones.joined].groupby("province_adcode").size().to_dict()


def _base_layers(m: folium.Map, zones: gpd.GeoDataFrame, province: str | None) -> None:
    provinces = load_layer("province")
    counts = _province_counts(zones)
    props = []
    for rec in provinces.itertuples(index=False):
        n = counts.get(rec.adcode, 0)
        if rec.adcode == TAIWAN and n == 0:
            note = text("common.taiwan_no_data")
        else:
            note = text("common.zones_count", n=n)
        props.append({"kind": "province", "key": rec.adcode, "tip": _tip(rec.name, note)})
    folium.GeoJson(
        _feature_collection(provinces, props),
        name="provinces",
        style_function=lambda f: {
            "fillColor": BASE_FILL,
            "color": EDGE,
            "weight": 0.8,
            "fillOpacity": 1.0 if province is None or f["properties"]["key"] == province else 0.55,
        },
        highlight_function=lambda f: {"weight": 2, "color": "#444444"},
        tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False, sticky=False),
        zoom_on_click=False,
    ).add_to(m)
    if province:
        counties = load_layer("county")
        counties = counties[counties.province_adcode == province]
        cprops = [{"kind": "county", "key": r.adcode, "tip": _tip(r.name)} for r in counties.itertuples(index=False)]
        folium.GeoJson(
            _feature_collection(counties, cprops),
            name="counties",
            style_function=lambda f: {"fillOpacity": 0, "color": "#9a9a9a", "weight": 0.6},
            tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False),
        ).add_to(m)
    maritime = load_layer("maritime")
    folium.GeoJson(
        _feature_collection(maritime, [{"kind": "maritime", "key": "maritime"}]),
        name="maritime",
        style_function=lambda f: {"color": "#5a5a5a", "weight": 1.2},
        interactive=False,
    ).add_to(m)


def _taiwan_label(m: folium.Map, zones: gpd.GeoDataFrame) -> None:
    if _province_counts(zones).get(TAIWAN, 0):
        return
    folium.CircleMarker(
        location=(23.7, 121.0),
        radius=1,
        opacity=0,
        fill_opacity=0,
        interactive=False,
        tooltip=folium.Tooltip(html.escape(text("common.taiwan_no_data")), permanent=True, direction="right",
                               class_name="atlas-note"),
    ).add_to(m)


def _zone_layers(m: folium.Map, zones: gpd.GeoDataFrame, styles: Mapping[str, ZoneStyle], selected: str | None):
    shown = zones[zones.joined]
    if shown.empty:
        return
    props, points = [], []
    for rec in shown.itertuples(index=False):
        style = styles.get(rec.zone_id, ZoneStyle(DEFAULT_ZONE_COLOR, ""))
        tip = _tip(rec.unit_name, rec.theme, style.group)
        props.append({"kind": "zone", "key": rec.zone_id, "tip": tip, "color": style.color,
                      "selected": rec.zone_id == selected})
        points.append(shapely.Point(rec.marker_lon, rec.marker_lat))
    folium.GeoJson(
        _feature_collection(shown, props),
        name="zones",
        style_function=lambda f: {
            "fillColor": f["properties"]["color"],
            "color": ZONE_EDGE,
            "weight": 3 if f["properties"]["selected"] else 1,
            "fillOpacity": 0.8,
        },
        highlight_function=lambda f: {"weight": 3},
        tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False),
    ).add_to(m)
    # Markers keep zones findable where a district is a few pixels wide at national zoom.
    marker_frame = gpd.GeoDataFrame(geometry=points, crs="EPSG:4326")
    folium.GeoJson(
        _feature_collection(marker_frame, props),
        name="zone-markers",
        marker=folium.CircleMarker(radius=7, weight=2, color="#ffffff", fill=True, fill_opacity=1),
        style_function=lambda f: {
            "fillColor": f["properties"]["color"],
            "color": "#000000" if f["properties"]["selected"] else "#ffffff",
            "radius": 10 if f["properties"]["selected"] else 7,
            "weight": 3 if f["properties"]["selected"] else 2,
        },
        tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False),
    ).add_to(m)


def province_bounds(province: str) -> tuple[tuple[float, float], tuple[float, float]]:
    layer = load_layer("province")
    row = layer[layer.adcode == province]
    if row.empty:
        raise KeyError(province)
    minx, miny, maxx, maxy = row.geometry.iloc[0].bounds
    return (miny, minx), (maxy, maxx)


def build_map(
    zones: gpd.GeoDataFrame,
    styles: Mapping[str, ZoneStyle] | None = None,
    *,
    province: str | None = None,
    selected: str | None = None,
    tile_url: str | None = None,
    tile_attribution: str | None = None,
) -> folium.Map:
    """National map (province=None) or one province with its counties; zones drawn on top of both."""
    m = offline_map(location=(35.0, 105.0), zoom_start=4, tile_url=tile_url, tile_attribution=tile_attribution,
                    zoom_snap=0.25, zoom_delta=0.5)
    _base_layers(m, zones, province)
    _taiwan_label(m, zones)
    _zone_layers(m, zones, styles or {}, selected)
    m.fit_bounds(province_bounds(province) if province else CHINA_BOUNDS)
    return localize(m)


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
