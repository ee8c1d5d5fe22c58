"""Join resolved zones to their boundary polygons: one row per zone, unjoined zones kept with the reason."""

from __future__ import annotations

import re

import geopandas as gpd
import pandas as pd
import shapely

from geo.boundaries.cache import load_layer, units_table
from loaders.i18n import text
from loaders.resolver import NOT_COUNTY_LEVEL, RESOLVED, resolve_frame

_LAYER_FOR_LEVEL = {"county": "county", "prefecture": "prefecture", "province": "province"}


def join_zones(resolved: pd.DataFrame) -> gpd.GeoDataFrame:
    """Attach geometry, area and a marker point to each resolved row.

    `resolved` is the output of `loaders.resolver.resolve_frame`. A zone whose resolution names several
    adcodes (a designated unit split since) gets the union of their polygons. Rows without a resolution
    keep geometry None and `joined=False`; nothing is dropped.
    """
    geoms, areas, lons, lats, joined, why = [], [], [], [], [], []
    layers = {lvl: load_layer(name).set_index("adcode") for lvl, name in _LAYER_FOR_LEVEL.items()}
    for rec in resolved.itertuples(index=False):
        codes = tuple(rec.adcodes or ())
        layer = layers.get(rec.level) if rec.resolution == RESOLVED else None
        found = [c for c in codes if layer is not None and c in layer.index]
        if not found:
            geoms.append(None)
            areas.append(float("nan"))
            lons.append(float("nan"))
            lats.append(float("nan"))
            joined.append(False)
            if getattr(rec, "method", "") == NOT_COUNTY_LEVEL:  # 街道/镇/园区: kept on purpose, no county polygon
                reason = text("common.not_county_level")
            elif rec.resolution != RESOLVED:
                reason = "未解析到行政单位"
            else:
                reason = f"边界数据中没有 {','.join(codes)}"
            why.append(reason)
            continue
        parts = layer.loc[found]
        geom = parts.geometry.iloc[0] if len(found) == 1 else shapely.union_all(parts.geometry.values)
        geoms.append(geom)
        areas.append(float(parts.area_km2.sum()))
        lons.append(float(parts.label_lon.iloc[0]))
        lats.append(float(parts.label_lat.iloc[0]))
        joined.append(True)
        why.append("")
    out = gpd.GeoDataFrame(resolved.copy(), geometry=geoms, crs="EPSG:4326")
    out["area_km2"] = areas
    out["marker_lon"] = lons
    out["marker_lat"] = lats
    out["joined"] = joined
    out["join_problem"] = why
    out["province_adcode"] = [
        (c[:2] + "0000") if isinstance(c, str) and c else None for c in out["adcode"].tolist()
    ]
    out["today_names"] = [" ".join(today_names(rec)) for rec in out.itertuples(index=False)]
    return out


_CODE_IN_NOTE = re.compile(r"（(\d{6})）")


def today_names(rec) -> list[str]:
    """Today's names of the units a zone designated under an older division now lies in, so that a search
    for today's name finds it (江干区 → 上城区, and 钱塘区, which took part of it): the units it is drawn as
    (`adcodes`) and every unit a division-change note for its designated code names with its code
    (data/division_notes.csv via the resolver's notes). Empty for a zone whose unit did not change."""
    if getattr(rec, "method", None) != "historical":
        return []
    names = dict(zip(units_table().adcode, units_table().name, strict=True))
    codes = list(rec.adcodes or ())
    for note in getattr(rec, "resolution_notes", None) or ():
        codes.extend(_CODE_IN_NOTE.findall(note))
    return list(dict.fromkeys(names[c] for c in codes if c in names))


def designated_line(rec) -> str | None:
    """"330104 江干区": the code and name of the unit as designated (the designation year's MCA table), or None
    when the unit did not change (then the drawn code is the designated one)."""
    codes = tuple(getattr(rec, "designated_adcodes", None) or ())
    if getattr(rec, "method", None) != "historical" or not codes:
        return None
    return "、".join(f"{code} {designated_name(rec)}" for code in codes)


def drawn_line(rec) -> str:
    """"330102 上城区": the code(s) and today's name(s) of the unit(s) the map draws for the zone."""
    names = dict(zip(units_table().adcode, units_table().name, strict=True))
    return "、".join(f"{code} {names.get(code, '')}".strip() for code in (rec.adcodes or ()))


def zone_layer(zones: pd.DataFrame) -> gpd.GeoDataFrame:
    """Resolve and join a validated roster frame (e.g. `load_roster().zones`) in one step."""
    return join_zones(resolve_frame(zones))


def designated_name(rec) -> str:
    """The designated unit's own name as in the roster (禅城区, 衢州市, 江干区 even where since merged)."""
    for field in ("county", "prefecture"):
        value = getattr(rec, field, None)
        if isinstance(value, str) and value:
            return value
    return str(rec.unit_name)


def successor_summary(rec) -> str | None:
    """"江干区→今上城区（330102）" for a zone whose unit changed after designation (drawn as today's unit), else None.

    Every place that draws such a zone without its card beside it (print maps, briefing slides) shows this line."""
    if getattr(rec, "method", None) != "historical" or not rec.adcodes:
        return None
    units = units_table()
    today = dict(zip(units.adcode, units.name, strict=True))
    return text("snapshot.changed_item", designated=designated_name(rec),
                today="、".join(f"{today.get(code, code)}（{code}）" for code in rec.adcodes))
