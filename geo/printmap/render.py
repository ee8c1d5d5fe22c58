"""Print-quality static maps of the zones (matplotlib Agg): the whole country with a 南海诸岛 inset, or one province.

`render_map` draws a Figure; `save` / `snapshot_bytes` write PNG, PDF or SVG. The command line is in
`geo.printmap.cli` (`python -m geo.printmap ...`). No Streamlit, no network, one font file (geo.printmap.fonts).
The page is measured first (geo.printmap.page), then drawn: base map, zones, insets (南海诸岛, magnified details of
dense clusters: geo.printmap.detail), number badges (geo.printmap.labels), names, keyed list (geo.printmap.key).
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from datetime import date as Date
from pathlib import Path
from typing import BinaryIO

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.transforms import Bbox

from geo.boundaries.cache import load_layer
from geo.printmap import layout as lay
from geo.printmap.captions import count_line
from geo.printmap.detail import (
    CLUSTER_MIN,
    DETAIL_EDGE,
    DETAIL_SIDE,
    TARGET_GAIN,
    draw_detail,
    find_clusters,
    plan_details,
)
from geo.printmap.draw import (
    A4_RATIO,
    ACCENT,
    BASE_FILL,
    COUNTY_EDGE,
    EDGE,
    LABEL_GREY,
    MARITIME,
    NEIGHBOUR_FILL,
    OUTLINE,
    bare,
    draw_scale_bar,
    fill,
    lines,
    outline,
    set_extent,
)
from geo.printmap.fonts import sized
from geo.printmap.inset import draw_inset, key_column_box, room_for_inset
from geo.printmap.key import LEADER_FROM, draw_key, number_candidates, zone_numbers
from geo.printmap.labels import CENTRED, label_extent, place_labels
from geo.printmap.page import (
    FOOTER_SPACING,
    HALF_DETAIL,
    MAP_BOX,
    MARGIN,
    SIZES,
    STYLES,
    PageLayout,
    PageStyle,
    page_layout,
)
from geo.printmap.textfit import text_width_pt
from geo.zones import designated_name
from loaders.i18n import text
from loaders.programmes import programme_style

FORMATS = ("png", "pdf", "svg")


def render_map(
    zones: gpd.GeoDataFrame,
    *,
    title: str,
    province: str | None = None,
    highlight_colors: Mapping[str, str] | None = None,
    legend: Sequence[tuple[str, str, str]] | None = None,
    source_line: str,
    approval_line: str | None = None,
    date: Date,
    dpi: int = 300,
    width_in: float | None = None,
    labels: Mapping[str, str] | None = None,
    key: bool = True,
    label_pt: float | None = None,
    size: str = "a4",
    details: bool | None = None,
) -> Figure:
    """A map of `zones` (output of `geo.zones.zone_layer`, possibly filtered) on an A4-landscape page, or with
    `size="half"` on a 12 cm page sized to be shrunk to half a Word page (key below the map, type ≥ 9 pt).

    `province` (name, short name or adcode) switches to the province view; `highlight_colors` maps zone_id to a
    colour (others get ACCENT); `legend` is [(label, colour, hatch)], zones take the hatch of the legend entry
    with their colour. Zones without geometry are listed in the footer, never dropped silently.

    Every drawn zone carries a number badge (geo.printmap.key.zone_numbers) at `label_pt` (default: the size's),
    placed off the other badges and markers with a leader line to its marker, and `key` adds the keyed list of
    every number and name beside (A4) or below (half) the map. `labels` (zone_id → short text) replaces the
    numbers, e.g. a slide's own row numbers; zones absent from it get no badge. `width_in` overrides the page
    width (inches). No text artist overlaps another (footer lines are wrapped to their width). `details`
    (default: with the key) numbers dense clusters in magnified insets (geo.printmap.detail) instead of on the
    main map; their axes carry the label "detail".
    """
    if size not in STYLES:
        raise ValueError(f"size must be one of {SIZES}")
    style = STYLES[size]
    label_pt = label_pt or style.label_pt
    width_in = width_in or style.width_in
    adcode = lay.resolve_province(province) if province else None
    crs = lay.province_crs(adcode) if adcode else lay.NATIONAL_CRS
    fig = Figure(figsize=(width_in, width_in * A4_RATIO), dpi=dpi, facecolor="white")
    FigureCanvasAgg(fig)  # Agg only, without pyplot: no global state, no GUI backend on a server
    colours = {z: (highlight_colors or {}).get(z, ACCENT) for z in zones["zone_id"]}
    hatches = {c: h for _, c, h in (legend or ())}
    shown = zones[zones.geometry.notna() & ~zones.geometry.is_empty] if len(zones) else zones
    numbers = zone_numbers(shown) if len(shown) else {}
    marks = dict(labels) if labels is not None else {z: str(n) for z, n in numbers.items()}
    listed = shown if adcode is None else shown[shown["province_adcode"] == adcode]
    listed_numbers = {z: n for z, n in numbers.items() if z in set(listed.zone_id)}
    page = page_layout(fig, style, zones if adcode is None else zones_in_province(zones, adcode), adcode, crs,
                        key, listed, listed_numbers, source_line, approval_line, date,
                        legend_rows=len(legend or [None]) + 1)  # the entries and the marker row (_draw_legend)
    map_box, key_box = page.map_box, page.key_box
    ax = fig.add_axes(map_box, label="main")
    bare(ax)
    aspect = (map_box[2] * fig.get_figwidth()) / (map_box[3] * fig.get_figheight())
    inset_beside = key and not style.key_below  # A4 with a key: 南海诸岛 at the foot of the key column
    if adcode is None:
        base = lay.national_extent().padded(0.03)
        extent = base.fitted(aspect)
        set_extent(ax, extent)
        _draw_base(ax, crs, extent, focus=None)
        _draw_zones(ax, shown, crs, colours, hatches, markers=True)
        _draw_outlying_islands(ax, crs)
        _draw_taiwan_note(ax, zones, crs)
        if inset_beside:
            draw_inset(fig, ax, key_column_box(fig, key_box))
        elif page.band_box:
            draw_inset(fig, ax, key_column_box(fig, _band_right(page.band_box), share=1.0))
        else:
            extent = room_for_inset(fig, ax, base, extent, crs)
            draw_inset(fig, ax)
        draw_scale_bar(ax, extent, crs, (0.205 * MAP_BOX[2] / map_box[2], 0.035), style.scale_pt, style.scale_share)
        _draw_legend(ax, legend, "lower left", style.legend_pt, page.band_box)
        if key if details is None else details:
            marks = _draw_details(fig, ax, shown, crs, colours, hatches, marks, label_pt, None, style, page)
        placed = _draw_numbers(ax, shown, crs, marks, label_pt, avoid=_inset_boxes(fig))
        _draw_province_names(ax, crs, _marker_points(shown, crs), placed)
    else:
        zones = zones_in_province(zones, adcode)
        base = lay.province_extent(adcode, crs).padded(0.05)
        extent = base.fitted(aspect)
        set_extent(ax, extent)
        _draw_base(ax, crs, extent, focus=adcode)
        mine = listed
        _draw_zones(ax, mine, crs, colours, hatches, markers=True)
        markers = _marker_points(mine, crs)
        legend_loc, scale_anchor = "lower right", (0.03, 0.035)
        if lay.needs_inset(adcode) and inset_beside:
            draw_inset(fig, ax, key_column_box(fig, key_box))
        elif lay.needs_inset(adcode) and page.band_box:
            draw_inset(fig, ax, key_column_box(fig, _band_right(page.band_box), share=1.0))
        elif lay.needs_inset(adcode):
            extent = room_for_inset(fig, ax, base, extent, crs)
            draw_inset(fig, ax)
            legend_loc, scale_anchor = "lower left", (0.205, 0.035)
        draw_scale_bar(ax, extent, crs, scale_anchor, style.scale_pt, style.scale_share)
        _draw_legend(ax, legend, legend_loc, style.legend_pt, page.band_box)
        if key if details is None else details:
            marks = _draw_details(fig, ax, mine, crs, colours, hatches, marks, label_pt, adcode, style, page)
        placed = _draw_numbers(ax, mine, crs, marks, label_pt, names=True, avoid=_inset_boxes(fig))
        _draw_prefecture_names(ax, adcode, crs, mine, markers, placed)
    set_extent(ax, extent)
    _draw_frame_text(fig, title, zones, style, page)
    if key:
        inset = next((a for a in fig.axes if a.get_label() == "inset"), None)
        below = inset.get_position().y1 + 0.015 if inset is not None and inset_beside else key_box[1]
        draw_key(fig, listed, listed_numbers, (key_box[0], below, key_box[2], key_box[1] + key_box[3] - below),
                 date, title_pt=style.key_title_pt, tally_pt=style.tally_pt, sizes=style.key_sizes)
    return fig


def _inset_boxes(fig: Figure) -> list:
    """Display boxes badges keep clear of: the 南海诸岛 and detail insets, the legend, names already on the map
    (钓鱼岛, 台湾 note, scale bar, detail letters) and the detail locator boxes."""
    renderer = fig.canvas.get_renderer()
    main = next(a for a in fig.axes if a.get_label() == "main")
    legend = [main.get_legend().get_window_extent(renderer)] if main.get_legend() is not None else []
    locators = [p.get_window_extent(renderer) for p in main.patches if p.get_gid() == "detail-locator"]
    return ([a.get_window_extent() for a in fig.axes if a.get_label() in ("inset", "detail")] + legend + locators
            + [label_extent(t, renderer) for t in main.texts])


def _draw_details(fig: Figure, ax: Axes, zones: gpd.GeoDataFrame, crs: str, colours: Mapping[str, str],
                  hatches: Mapping[str, str], marks: Mapping[str, str], size: float, adcode: str | None,
                  style: PageStyle, page: PageLayout) -> dict[str, str]:
    """Magnified insets for dense clusters (geo.printmap.detail); returns `marks` without the zones numbered in
    an inset (their main-map marker stays, inside the lettered locator box)."""
    drawn = zones[zones["zone_id"].isin({z for z, m in marks.items() if m})]
    if len(drawn) < CLUSTER_MIN:
        return dict(marks)
    xs, ys = lay.project_points(drawn["marker_lon"].to_numpy(), drawn["marker_lat"].to_numpy(), crs)
    points = dict(zip(drawn["zone_id"], zip(xs, ys, strict=True), strict=True))
    badge_px = size * 1.6 * fig.dpi / 72
    side = DETAIL_SIDE * (HALF_DETAIL if style.key_below else 1)
    slots = [Bbox(np.array(b).reshape(2, 2)).transformed(fig.transFigure) for b in page.detail_slots]
    room = slots[0].width if slots else side * ax.get_window_extent().width
    window_px = room / TARGET_GAIN - 2.5 * badge_px
    ids = list(points)
    clusters = find_clusters(ids, ax.transData.transform(np.array([points[z] for z in ids])), badge_px, window_px)
    if not clusters:
        return dict(marks)
    subject = lay.projected_layer("country" if adcode is None else "province", crs)
    keep_off = (subject if adcode is None else subject[subject.adcode == adcode]).geometry.union_all()
    plan = plan_details(fig, ax, points, clusters, keep_off, _inset_boxes(fig), badge_px, side, slots)
    left = dict(marks)
    for d in plan:
        w = d.window.padded(-DETAIL_EDGE)  # a marker at the window's edge keeps its badge on the main map
        inside = drawn[[z in left and w.xmin <= points[z][0] <= w.xmax and w.ymin <= points[z][1] <= w.ymax
                        for z in drawn["zone_id"]]]  # a zone numbered in an earlier detail is not numbered twice

        def content(inset: Axes, window: lay.Extent, inside=inside) -> None:
            codes = sorted(set(inside["province_adcode"].dropna()))
            fill(inset, lay.layer_paths("province", crs).values(), BASE_FILL, EDGE, 0.5, 1)
            for code in codes:
                fill(inset, lay.layer_paths("county", crs, code).values(), "none", COUNTY_EDGE, 0.35, 2)
            _draw_zones(inset, zones, crs, colours, hatches, markers=True)
            labels = [(points[z][0], points[z][1], marks[z] if adcode is None else f"{marks[z]} {designated_name(r)}")
                      for z, r in zip(inside["zone_id"], inside.itertuples(index=False), strict=True)]
            letter = [t.get_window_extent() for t in inset.texts]
            place_labels(inset, labels, sized(size), obstacles=[points[z] for z in inside["zone_id"]],
                         boxes=letter, candidates=number_candidates(), badge=True, leader_from=LEADER_FROM,
                         crowded_first=True)

        inset = draw_detail(fig, ax, d, style.legend_pt + 1)
        content(inset, d.window)
        set_extent(inset, d.window)
        for z in inside["zone_id"]:
            left.pop(z, None)
    return left


def _draw_numbers(ax: Axes, zones: gpd.GeoDataFrame, crs: str, marks: Mapping[str, str], size: float,
                  names: bool = False, avoid=()) -> list:
    """A badge per zone in `marks` ("12", or "12 禅城区" in a province view), none overlapping another badge,
    a marker, a province name or the map edge; far ones get a leader line."""
    drawn = zones[zones["zone_id"].isin({z for z, m in marks.items() if m})]  # "" = no badge (context zones)
    if drawn.empty:
        return []
    xs, ys = lay.project_points(drawn["marker_lon"].to_numpy(), drawn["marker_lat"].to_numpy(), crs)
    points = [(x, y, f"{marks[r.zone_id]} {designated_name(r)}" if names else marks[r.zone_id])
              for x, y, r in zip(xs, ys, drawn.itertuples(index=False), strict=True)]
    return place_labels(ax, points, sized(size), obstacles=_marker_points(zones, crs), boxes=list(avoid),
                        candidates=number_candidates(), badge=True, leader_from=LEADER_FROM, crowded_first=True)


def zones_in_province(zones: gpd.GeoDataFrame, adcode: str) -> gpd.GeoDataFrame:
    """Zones of one province: by resolved code, or by the roster's province name when unresolved."""
    name = lay.province_display_name(adcode)
    unresolved = zones["province_adcode"].isna() & (zones["province"] == name)
    return zones[(zones["province_adcode"] == adcode) | unresolved]


def _draw_base(ax: Axes, crs: str, extent: lay.Extent, focus: str | None) -> None:
    provinces = lay.layer_paths("province", crs)
    if focus is None:
        fill(ax, provinces.values(), BASE_FILL, EDGE, 0.35, 1)
        lines(ax, lay.layer_lines("country", crs), OUTLINE, 0.7, 3)
    else:
        fill(ax, [p for code, p in provinces.items() if code != focus], NEIGHBOUR_FILL, "white", 0.8, 1)
        fill(ax, [provinces[focus]], BASE_FILL, "none", 0, 1)
        fill(ax, lay.layer_paths("county", crs, focus).values(), "none", COUNTY_EDGE, 0.35, 2)
        fill(ax, [provinces[focus]], "none", OUTLINE, 0.9, 4)
        layer = lay.projected_layer("province", crs)
        _draw_neighbour_names(ax, layer[layer.adcode != focus], extent)
    lines(ax, lay.layer_lines("maritime", crs), MARITIME, 1.1, 4)


def _draw_zones(ax: Axes, zones: gpd.GeoDataFrame, crs: str, colours: Mapping[str, str],
                hatches: Mapping[str, str], markers: bool) -> None:
    if zones.empty:
        return
    projected = zones.to_crs(crs)
    zone_colours = [colours[z] for z in projected["zone_id"]]
    shapes = [programme_style(p) for p in projected.get("programme", pd.Series("national", index=projected.index))]
    for colour in dict.fromkeys(zone_colours):
        mine = [(lay.polygon_path(g), s) for g, c, s in zip(projected.geometry.values, zone_colours, shapes,
                                                              strict=True) if c == colour]
        hatch = hatches.get(colour) if hatches.get(colour) not in SHAPE_HATCHES else None
        fill(ax, [p for p, s in mine if s.fill], colour, "#1b1b1b", 0.3, 5, hatch=hatch or None)
        for s in {s for _, s in mine if not s.fill}:  # provincial programmes: dashed outline (programme_style)
            outline(ax, [p for p, t in mine if t == s], colour, 1.2, 5, s.fill_opacity, s.dash)
    if markers:
        xs, ys = lay.project_points(zones["marker_lon"].to_numpy(), zones["marker_lat"].to_numpy(), crs)
        ax.scatter(xs, ys, s=16, c=zone_colours, edgecolors="white", linewidths=0.6, zorder=6)


def _marker_points(zones: gpd.GeoDataFrame, crs: str) -> list[tuple[float, float]]:
    xs, ys = lay.project_points(zones["marker_lon"].to_numpy(), zones["marker_lat"].to_numpy(), crs)
    return list(zip(xs, ys, strict=True))


def _draw_outlying_islands(ax: Axes, crs: str) -> None:
    """钓鱼岛 and 赤尾屿 are in the Taiwan polygon but a few pixels wide: a dot and a small name make them seen."""
    font = sized(5.5)
    # 钓鱼岛 west-below, 赤尾屿 east-above its dot: ≈ 110 km apart, centred names would touch on a small page
    sides = {"diaoyu": ((-2, -2), "right", "top"), "chiwei": ((2, 2), "left", "bottom")}
    for key, lon, lat in lay.OUTLYING_ISLANDS:
        x, y = lay.project_points(lon, lat, crs)
        ax.plot([x], [y], marker="o", markersize=1.6, color=OUTLINE, zorder=6)
        offset, ha, va = sides[key]
        ax.annotate(text(f"snapshot.{key}"), (x, y), xytext=offset, textcoords="offset points", ha=ha,
                    va=va, fontproperties=font, color=LABEL_GREY, zorder=7)


def _draw_taiwan_note(ax: Axes, zones: gpd.GeoDataFrame, crs: str) -> None:
    if (zones["province_adcode"] == lay.TAIWAN).any():
        return
    x, y = lay.project_points(121.0, 23.6, crs)
    note = ax.annotate(text("common.taiwan_no_data"), (x, y), xytext=(18, -4), textcoords="offset points",
                       ha="left", va="center", fontproperties=sized(6.5), color=LABEL_GREY, zorder=7)
    if note.get_window_extent().x1 > ax.figure.bbox.x1 - 2:  # a narrow page: under the island's southern tip
        note.xy = lay.project_points(120.8, 21.9, crs)
        note.set_position((0, -3))
        note.set_horizontalalignment("center")
        note.set_verticalalignment("top")


_SMALL_NAMES = {"110000", "120000", "310000", "810000", "820000"}
_NAME_SKIP = {"710000"}  # Taiwan carries its own note
# Label points (lon, lat) moved off the dense Pearl River delta / Yangtze mouth coastlines, into land or open sea.
_NAME_AT = {"440000": (113.6, 24.1), "810000": (114.85, 22.05), "820000": (113.05, 21.7), "310000": (122.35, 31.05)}


def _draw_province_names(ax: Axes, crs: str, markers: list[tuple[float, float]], numbers: list = ()) -> None:
    """Short province names at their label points, nudged off zone markers, zone numbers and each other."""
    renderer = ax.figure.canvas.get_renderer()
    boxes = [label_extent(t, renderer) for t in numbers] + _inset_boxes(ax.figure)
    layer = lay.projected_layer("province", crs)
    layer = layer[~layer.adcode.isin(_NAME_SKIP)]
    at = [_NAME_AT.get(c, (lon, lat)) for c, lon, lat in zip(layer.adcode, layer.label_lon, layer.label_lat,
                                                              strict=True)]
    xs, ys = lay.project_points([p[0] for p in at], [p[1] for p in at], crs)
    names = lay.short_province_names()
    for small in (False, True):  # big provinces first: the crowded coast adapts around them
        pts = [(x, y, names[c]) for c, x, y in zip(layer["adcode"], xs, ys, strict=True)
               if (c in _SMALL_NAMES) == small]
        drawn = place_labels(ax, pts, sized(5.5 if small else 7), obstacles=markers, boxes=boxes, candidates=CENTRED,
                             color=LABEL_GREY, boxed=False, skip_colliding=True)
        boxes += [t.get_window_extent(renderer) for t in drawn]


def _draw_prefecture_names(ax: Axes, adcode: str, crs: str, zones: gpd.GeoDataFrame,
                           markers: list[tuple[float, float]], zone_labels: list) -> None:
    """Prefecture names in light grey for orientation, kept off the zone labels; a prefecture that is itself a
    zone is already named."""
    layer = load_prefectures(adcode)
    layer = layer[~layer.adcode.isin(set(zones["adcode"].dropna()))]
    if layer.empty:
        return
    xs, ys = lay.project_points(layer["label_lon"].to_numpy(), layer["label_lat"].to_numpy(), crs)
    renderer = ax.figure.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in zone_labels] + _inset_boxes(ax.figure)
    place_labels(ax, list(zip(xs, ys, layer["name"], strict=True)), sized(7), obstacles=markers, boxes=boxes,
                 candidates=CENTRED, color="#8c8c8c", boxed=False, skip_colliding=True)


def load_prefectures(province_adcode: str) -> gpd.GeoDataFrame:
    layer = load_layer("prefecture")
    return layer[layer.province_adcode == province_adcode]


def _draw_neighbour_names(ax: Axes, others: gpd.GeoDataFrame, extent: lay.Extent) -> None:
    names = lay.short_province_names()
    view = shapely.box(extent.xmin, extent.ymin, extent.xmax, extent.ymax).buffer(-0.04 * extent.width)
    for rec in others.itertuples(index=False):
        part = rec.geometry.intersection(view)
        if part.is_empty or part.area < 0.02 * view.area:
            continue
        x, y = lay.label_point(part)
        ax.text(x, y, names[rec.adcode], ha="center", va="center", fontproperties=sized(9), color="#a3a3a3",
                zorder=3)


SHAPE_HATCHES = ("fill", "outline")  # geo.styling.shape_legend: national filled / provincial outlined


def _shape_patch(label: str, color: str, shape: str) -> Patch:
    if shape == "fill":
        return Patch(facecolor=color, edgecolor="#1b1b1b", linewidth=0.3, label=label)
    return Patch(facecolor="none", edgecolor=color, linewidth=1.2, linestyle="--", label=label)


def _band_right(band: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """The right part of the half page's band under the map, for the 南海诸岛 inset: the legend keeps the left
    (its longest row, 实验区位置（小区县以圆点标出）, takes ≈ 0.49 of the band at 9 pt), however tall the band."""
    x, y, w, h = band
    return x + 0.55 * w, y, 0.45 * w, h


def _draw_legend(ax: Axes, legend: Sequence[tuple[str, str, str]] | None, loc: str, size: float = 8,
                 band: tuple[float, float, float, float] | None = None) -> None:
    """The legend in the map's `loc` corner, or at the top left of `band` (figure fractions) below the map."""
    entries = list(legend) if legend else [(text("snapshot.legend_zone"), ACCENT, "")]
    handles = [_shape_patch(label, c, h) if h in SHAPE_HATCHES else
               Patch(facecolor=c, edgecolor="#1b1b1b", linewidth=0.3, hatch=h or None, label=label)
               for label, c, h in entries]
    handles.append(Line2D([], [], marker="o", linestyle="none", markersize=5,
                          markerfacecolor=entries[0][1] if len(entries) == 1 else "#555555",
                          markeredgecolor="white", label=text("snapshot.legend_marker")))
    leg = ax.legend(handles=handles, **({} if band else {"loc": loc}), prop=sized(size), title=text("snapshot.legend_title"),
                    title_fontproperties=sized(size + 1), frameon=True, framealpha=0.92, edgecolor="#bbbbbb",
                    borderpad=0.7, labelspacing=0.5, handlelength=1.6,
                    **({"loc": "upper left", "bbox_to_anchor": (band[0], band[1] + band[3]),
                        "bbox_transform": ax.figure.transFigure} if band else {}))
    leg.set_zorder(9)


def fitted_title(fig: Figure, title: str, subtitle: str, style: PageStyle) -> tuple[str, str, float, float]:
    """(title, subtitle, title size, subtitle size in points) that fit the page between its margins.

    A title wider than the page at the layout's size first gives up its bracketed qualifiers — the theme, 截至 N
    年 — to the subtitle line (全国社区治理和服务创新实验区分布图 / （智慧社区/信息化）共 9 个实验区); what is still too
    wide is set only as much smaller as it must be. On the 12 cm half-size page the theme-filtered national title ran off both edges of the page."""
    room = fig.get_figwidth() * 72 * (1 - 2 * MARGIN)
    title_pt, subtitle_pt = style.title_pt, style.subtitle_pt
    if text_width_pt(fig, title, title_pt) > room and "（" in title:
        head, _, qualifiers = title.partition("（")
        title, subtitle = head, f"（{qualifiers}{subtitle}"
    if title.strip():  # a slide's map is drawn without a title (the slide has its own)
        title_pt = min(title_pt, room / text_width_pt(fig, title, 1.0))
    if subtitle.strip():
        subtitle_pt = min(subtitle_pt, room / text_width_pt(fig, subtitle, 1.0))
    return title, subtitle, title_pt, subtitle_pt


def _draw_frame_text(fig: Figure, title: str, zones: gpd.GeoDataFrame, style: PageStyle, page: PageLayout) -> None:
    h_pt = fig.get_figheight() * 72
    top = 1 - style.title_pt * 1.1 / h_pt
    title, subtitle, title_pt, subtitle_pt = fitted_title(fig, title, count_line(zones["programme"]), style)
    fig.text(0.5, top, title, ha="center", va="center", fontproperties=sized(title_pt), color="#1b1b1b")
    fig.text(0.5, top - (style.title_pt * 0.8 + style.subtitle_pt * 1.2) / h_pt, subtitle,
             ha="center", va="center", fontproperties=sized(subtitle_pt), color="#555555")
    size = style.footer_pt
    if page.footer_left:
        fig.text(MARGIN, page.footer_top, "\n".join(page.footer_left), ha="left", va="top", fontproperties=sized(size),
                 color="#444444", linespacing=FOOTER_SPACING)
    if page.footer_right:
        fig.text(1 - MARGIN, page.footer_top, "\n".join(page.footer_right), ha="right", va="top",
                 fontproperties=sized(size), color="#444444", linespacing=FOOTER_SPACING)


def save(fig: Figure, target: str | Path | BinaryIO, fmt: str | None = None) -> None:
    """Write the figure as png, pdf or svg (from `fmt`, else the file's extension). Size stays A4: no tight bbox."""
    fmt = (fmt or Path(str(target)).suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        raise ValueError(text("snapshot.cli.unknown_format", suffix=fmt or "?"))
    metadata = {"png": {"Software": "Zone Atlas"}, "pdf": {"Creator": "Zone Atlas"}, "svg": {"Creator": "Zone Atlas"}}
    fig.savefig(target, format=fmt, dpi=fig.dpi, facecolor="white", metadata=metadata[fmt])


def snapshot_bytes(zones: gpd.GeoDataFrame, fmt: str = "png", **options) -> bytes:
    """`render_map(zones, **options)` written to memory (for a download button)."""
    buffer = io.BytesIO()
    save(render_map(zones, **options), buffer, fmt)
    return buffer.getvalue()
