"""The page of a print map measured before anything is drawn: layout sizes (A4, half), bands and the footer.

A4 landscape puts the keyed list beside the map; the half layout is a 12 cm page whose type prints at ≈ 6 pt
when Word shrinks it to ≈ 8 cm, with the legend, 南海诸岛, detail insets and keyed list stacked below the map and
the page as tall as they need. Footer lines are wrapped to their width here, so no line runs into another.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date as Date

import geopandas as gpd
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from geo.printmap import layout as lay
from geo.printmap.captions import date_line
from geo.printmap.detail import CLUSTER_MIN, TARGET_GAIN, find_clusters
from geo.printmap.key import KEY_WIDTH, key_height_pt
from geo.printmap.textfit import block_height_pt, text_width_pt, wrap_to_width
from geo.zones import successor_summary
from loaders.i18n import text

SIZES = ("a4", "half")


@dataclass(frozen=True)
class PageStyle:
    """Page width and type sizes (points) of one layout. `half` is drawn 12 cm wide for a figure shrunk to half
    a Word page (≈ 8 cm): its 9 pt type prints at ≈ 6 pt there; the keyed list goes below the map."""
    width_in: float
    title_pt: float
    subtitle_pt: float
    footer_pt: float
    label_pt: float
    key_title_pt: float
    key_sizes: tuple[float, ...] | None  # None: KEY_PT down to KEY_MIN_PT, whatever fits beside the map
    tally_pt: float
    legend_pt: float
    scale_pt: float
    key_below: bool
    scale_share: float = 0.16  # scale bar length, of the map width (longer on a small page: its numbers fit)


A4 = PageStyle(11.69, 18, 10, 7, 8.0, 9, None, 6.5, 8, 7, key_below=False)
HALF_WIDTH_IN = 12 / 2.54
HALF = PageStyle(HALF_WIDTH_IN, 13, 9, 9, 9.0, 10, (9.0,), 9, 9, 9, key_below=True, scale_share=0.3)
STYLES = {"a4": A4, "half": HALF}
FOOTER_SPACING = 1.5
MAX_HALF_DETAILS = 4  # detail insets below a half-size map, two a row
HALF_DETAIL = 1.4  # detail insets on the small page: a larger share of the map (its badges are larger too)
HALF_LEGEND_BAND = 0.17  # …when it holds only the legend (a province without 南海诸岛)
HALF_BAND = 0.36  # height of the band under a half-size map, of the page width
MARGIN = 0.015  # page edge, figure fraction of the width
TITLE_BAND_PT = 58  # title and subtitle above the map (A4; scaled with the title size)


# Figure fractions of the A4 page: title band on top, footer band at the bottom, map in between.
MAP_BOX = (0.015, 0.075, 0.97, 0.83)


@dataclass(frozen=True)
class PageLayout:
    """Where things go on the page (figure fractions x, y, w, h) and the footer's wrapped lines."""
    map_box: tuple[float, float, float, float]
    key_box: tuple[float, float, float, float]
    footer_left: list[str]
    footer_right: list[str]
    footer_top: float  # figure fraction of the footer band's top
    band_box: tuple[float, float, float, float] | None = None  # half: legend and 南海诸岛 inset below the map
    detail_slots: tuple[tuple[float, float, float, float], ...] = ()  # half: (x0, y0, x1, y1) of detail insets


def page_layout(fig: Figure, style: PageStyle, zones: gpd.GeoDataFrame, adcode: str | None, crs: str, key: bool,
                 listed: gpd.GeoDataFrame, numbers: Mapping[str, int], source_line: str, approval_line: str | None,
                 day: Date, legend_rows: int = 2) -> PageLayout:
    """Bands of the page measured before drawing: the footer wrapped to its width (no line runs into the date),
    then the key (beside the map at A4; below it in `half`, where the page grows to hold every entry). In `half`
    the band under the map holds the legend of `legend_rows` rows (entries and the marker row): at least as tall
    as that legend, so a theme-coloured map's 12 rows don't run into the key below."""
    width_pt = fig.get_figwidth() * 72
    inner_pt = width_pt * (1 - 2 * MARGIN) * 0.97  # 3 % slack: measured at 10 pt, set at another size
    left, right = footer_texts(zones, source_line, approval_line, day)
    size = style.footer_pt
    if style.key_below:
        footer_left = [ln for s in left + right for ln in wrap_to_width(fig, s, size, inner_pt)]
        footer_right: list[str] = []
    else:
        right_w = max(text_width_pt(fig, s, size) for s in right)
        footer_left = [ln for s in left for ln in wrap_to_width(fig, s, size, inner_pt - right_w - 3 * size)]
        footer_right = right
    footer_pt = max(block_height_pt(fig, footer_left, size, FOOTER_SPACING),
                    block_height_pt(fig, footer_right, size, FOOTER_SPACING)) + 0.3 * size
    title_pt = TITLE_BAND_PT * style.title_pt / 18
    if not style.key_below:
        height_pt = fig.get_figheight() * 72
        bottom = max(MAP_BOX[1], (footer_pt + 10) / height_pt)
        top = MAP_BOX[1] + MAP_BOX[3]
        map_w = MAP_BOX[2] - (KEY_WIDTH if key else 0)
        map_box = (MAP_BOX[0], bottom, map_w, top - bottom)
        key_box = (MAP_BOX[0] + map_w + 0.012, bottom + 0.01, KEY_WIDTH - 0.012, top - bottom - 0.02)
        return PageLayout(map_box, key_box, footer_left, footer_right, (footer_pt + 4) / height_pt)
    extent = (lay.national_extent() if adcode is None else lay.province_extent(adcode, crs)).padded(0.03)
    map_h_pt = inner_pt * min(extent.height / extent.width, 1.25)
    key_pt = key_height_pt(fig, listed, numbers, inner_pt, style.key_sizes[0], day, style.key_title_pt,
                           style.tally_pt) if key and len(listed) else 0.0
    n_details = half_detail_count(listed, crs, extent, inner_pt, style) if key else 0
    slot_pt = (inner_pt - 8) / 2
    detail_pt = -(-n_details // 2) * (slot_pt + 8)
    band_pt = inner_pt * (HALF_BAND if lay.needs_inset(adcode) else HALF_LEGEND_BAND)  # legend and 南海诸岛 side by side under the map, covering none of it
    # matplotlib's legend (geo.printmap.render._draw_legend): rows of (1 + labelspacing 0.5) × size, a title at
    # size + 1, borderpad 0.7 × size above and below; 10 % slack
    legend_h_pt = 1.1 * (legend_rows * 1.5 * style.legend_pt + 1.4 * (style.legend_pt + 1) + 1.4 * style.legend_pt)
    band_pt = max(band_pt, legend_h_pt + 6)
    height_pt = title_pt + map_h_pt + detail_pt + band_pt + 6 + (key_pt + 8 if key_pt else 0) + footer_pt + 12
    fig.set_size_inches(fig.get_figwidth(), height_pt / 72)
    bottom_pt = footer_pt + 8
    key_box = (MARGIN, bottom_pt / height_pt, 1 - 2 * MARGIN, key_pt / height_pt)
    band_y = bottom_pt + (key_pt + 8 if key_pt else 0)
    band_box = (MARGIN, band_y / height_pt, 1 - 2 * MARGIN, band_pt / height_pt)
    left_pt, top_pt = MARGIN * width_pt, band_y + band_pt + detail_pt
    slots = tuple(((left_pt + (i % 2) * (slot_pt + 8)) / width_pt, (top_pt - (i // 2 + 1) * (slot_pt + 8) + 8) / height_pt,
                   (left_pt + (i % 2) * (slot_pt + 8) + slot_pt) / width_pt, (top_pt - (i // 2) * (slot_pt + 8)) / height_pt)
                  for i in range(n_details))
    map_box = (MARGIN, (top_pt + 6) / height_pt, 1 - 2 * MARGIN, map_h_pt / height_pt)
    return PageLayout(map_box, key_box, footer_left, footer_right, (footer_pt + 4) / height_pt, band_box, slots)


def half_detail_count(zones: gpd.GeoDataFrame, crs: str, extent: lay.Extent, width_pt: float,
                       style: PageStyle) -> int:
    """How many detail insets the half page sets aside room for below the map: the clusters find_clusters sees
    at the map's scale (the map spans `width_pt`), at most MAX_HALF_DETAILS."""
    if len(zones) < CLUSTER_MIN:
        return 0
    xs, ys = lay.project_points(zones["marker_lon"].to_numpy(), zones["marker_lat"].to_numpy(), crs)
    scale = width_pt / extent.width
    xy = np.column_stack([(np.asarray(xs) - extent.xmin) * scale, (np.asarray(ys) - extent.ymin) * scale])
    badge = style.label_pt * 1.6
    slot = (width_pt - 8) / 2
    groups = find_clusters(list(zones["zone_id"]), xy, badge, slot / TARGET_GAIN - 2.5 * badge)
    return min(len(groups), MAX_HALF_DETAILS)


def footer_texts(zones: gpd.GeoDataFrame, source_line: str, approval_line: str | None,
                  day: Date) -> tuple[list[str], list[str]]:
    """Footer paragraphs: left (source, zones not drawn, changed units) and right (审图号, date)."""
    left = [source_line]
    missing = zones[zones.geometry.isna() | zones.geometry.is_empty] if len(zones) else zones
    if len(missing):
        names = "、".join(missing["unit_name"].astype(str).tolist()[:8]) + ("等" if len(missing) > 8 else "")
        left.append(text("snapshot.unjoined", n=len(missing), names=names))
    changed = changed_units_note(zones)
    if changed:
        left.append(changed)
    right = [date_line(day)]
    if approval_line:
        right.insert(0, approval_line)
    return [s for s in left if s], right


MAX_CHANGED_ITEMS = 6  # one footer line on A4 landscape; the rest are on the zone cards


def changed_units_note(zones: pd.DataFrame) -> str | None:
    """A footnote for zones whose unit was renamed, merged or split after designation: a reader of the printed
    map must know the shaded area is today's unit (江干区 → 上城区), not the one the document named."""
    if not len(zones) or "method" not in zones:
        return None
    items = [s for s in (successor_summary(rec) for rec in zones.itertuples(index=False)) if s]
    if not items:
        return None
    shown = "；".join(items[:MAX_CHANGED_ITEMS]) + (text("snapshot.and_more", n=len(items)) if len(items) > MAX_CHANGED_ITEMS else "")
    return text("snapshot.changed_units", items=shown)
