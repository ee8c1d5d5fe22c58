"""A briefing slide's map as a PNG sized for a projected screen, drawn by geo.printmap.render (same base map and inset).

The snapshot is drawn on a small page so its type comes out large relative to the map, then the figure is cut down
to the map frame: the slide carries its own title, legend (HTML, at slide type size) and source line.

Two shapes, because the map's cell on a slide has two shapes: `wide` (≈ 1.65 : 1) beside the side panel on a 16:9
screen, and `tall` (0.95 : 1) on a 4:3 projector, where the side panel takes half the width (ui.briefing.CSS); the
page carries both and a CSS media query on the window's aspect ratio shows one, so the map fills its cell on both.

The zones a slide is about carry badges placed here, not by render_map: a province view there writes "12 禅城区"
beside each zone (right for paper, where the keyed list may be far away), while a slide lists its numbered zones
right beside the map, so a number alone keeps the badges small enough never to collide. The boxes of the badges
placed (PNG pixels) travel inside the PNG as a text chunk (`labels_of`), so the page and the tests measure what was
actually drawn.
"""

from __future__ import annotations

import io
import json
import math
from dataclasses import dataclass
from datetime import date

import geopandas as gpd
import numpy as np
from matplotlib.collections import PathCollection
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.text import Annotation, Text
from matplotlib.transforms import Bbox
from PIL import Image

from geo.deck.slides import CONTEXT_COLOR, MapSpec
from geo.printmap import layout as lay
from geo.printmap.draw import draw_scale_bar, set_extent
from geo.printmap.fonts import sized
from geo.printmap.inset import draw_inset
from geo.printmap.key import LEADER_FROM, number_candidates
from geo.printmap.labels import label_extent, place_labels
from geo.printmap.render import render_map, zones_in_province
from loaders.i18n import text


@dataclass(frozen=True)
class Shape:
    """How a slide map is drawn: render_map's page width (the map frame is ≈ 0.97 of it), the PNG's dots per inch,
    the map frame's width/height (None: render_map's own, ≈ 1.65) and the badges' type size in points."""

    width_in: float
    dpi: int
    aspect: float | None
    label_pt: float


# wide: the map cell at 1280×720 is ≈ 776 × 470 css px and 1190 × 735 at 1920×1080; the map frame (5.8 in) shows at
# ≈ 133 css px per inch at 720p, so 12.5 pt badge type is ≈ 23 css px there (35 at 1080p). ≈ 1160 × 700 px PNG.
# tall: the cell at 1024×768 is 436 css px wide and 400–490 px high (a two-line title or legend takes the rest); a
# 3.3 in frame shows at ≈ 132 css px per inch there, so a 12.5 pt badge is ≈ 23 css px on a 4:3 projector, and
# ≥ 20 px where a two-line title leaves a cell the 0.95 frame fills only 88 % of.
# ≈ 825 × 870 px PNG (≈ 2× the css size: sharp).
WIDE_ASPECT = 1.65  # the wide map cell: ≈ 776 × 470 css px at 1280×720, 1190 × 735 at 1920×1080
SHAPES = {"wide": Shape(6.0, 200, None, 12.5), "tall": Shape(3.4, 250, 0.95, 12.5)}
# Further spots (points) for a badge that none of the print map's rings (geo.printmap.key) left free.
FAR_CANDIDATES = tuple((round(r * math.cos(a), 1), round(r * math.sin(a), 1), "center", "center")
                       for r in (80, 96, 112) for a in (math.pi / 2 - 2 * math.pi * i / 24 for i in range(24)))
PNG_LABELS_KEY = "zone-atlas:labels"  # PNG text chunk holding the placed badges (JSON)
MARKER_SIZE = 70  # points² for the zones a slide is about (the print map's 16 suits paper, not a far wall)


@dataclass(frozen=True)
class PlacedLabel:
    """One badge on a slide map: its text and its box in PNG pixels (x0, y0 top-left, x1, y1 bottom-right)."""

    text: str
    box: tuple[float, float, float, float]


@dataclass(frozen=True)
class MapLabels:
    """What `labels_of` reads back from a slide map PNG: its size, the badges' type size (PNG px) and boxes."""

    width: int
    height: int
    font_px: float
    labels: tuple[PlacedLabel, ...]


def slide_map_png(zones: gpd.GeoDataFrame, spec: MapSpec, *, shape: str = "wide") -> bytes:
    """The map of `spec` (zones looked up by id in `zones`) in `shape` ("wide" or "tall", see SHAPES), as PNG bytes
    of the map frame only (`draw_slide_map`), with the boxes of its badges in a text chunk (read them with
    `labels_of`)."""
    frame = SHAPES[shape]
    fig, badges = draw_slide_map(zones, spec, shape=shape)
    renderer = fig.canvas.get_renderer()
    height_px = fig.get_figheight() * frame.dpi
    boxes = []
    for t in badges:
        b = badge_box(t, renderer)
        boxes.append([t.get_text(), round(b.x0, 1), round(height_px - b.y1, 1), round(b.x1, 1),
                      round(height_px - b.y0, 1)])
    meta = {"font_px": round(frame.label_pt * frame.dpi / 72, 2), "labels": boxes}
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=frame.dpi, facecolor="white",
                metadata={"Software": "Zone Atlas", PNG_LABELS_KEY: json.dumps(meta, ensure_ascii=True)})
    return buffer.getvalue()


def draw_slide_map(zones: gpd.GeoDataFrame, spec: MapSpec, *, shape: str = "wide") -> tuple[Figure, list[Text]]:
    """The slide map as a matplotlib Figure that is the map frame only, and its badges (Annotations, in the order
    placed). See `slide_map_png`.

    Badges: one per zone whose `spec.labels` entry is not "", placed off every other badge, every marker, the
    南海诸岛 inset, the scale bar and the map's edge where any spot around the marker allows it. A grey orientation
    name (province, prefecture) that a badge still covers is dropped: on a slide the zones come first.
    """
    frame = SHAPES[shape]
    view = zones.set_index("zone_id", drop=False).loc[list(spec.zone_ids)] if spec.zone_ids else zones.iloc[:0]
    fig = render_map(
        view, title="", province=spec.province, highlight_colors=dict(zip(spec.zone_ids, spec.colours, strict=True)),
        legend=[("", colour, hatch) for colour, hatch in spec.hatches], source_line="", date=date.today(),
        dpi=frame.dpi, width_in=frame.width_in, key=False, label_pt=frame.label_pt,
        labels={},  # no badges from render_map: placed below, as numbers only (see the module's docstring)
    )
    main = next(ax for ax in fig.axes if ax.get_label() == "main")
    if main.get_legend() is not None:
        main.get_legend().remove()  # the slide shows the legend beside the map, at slide type size
    sizes = _emphasise_markers(main, spec)
    _frame_only(fig, main, spec, frame.aspect)
    return fig, _place_badges(main, view, spec, sizes, frame.label_pt)


def badge_box(t: Text, renderer) -> Bbox:
    """A badge's drawn box (display pixels), without the leader line an Annotation's own extent includes."""
    t.update_bbox_position_size(renderer)
    return t.get_bbox_patch().get_window_extent(renderer)


def labels_of(png: bytes) -> MapLabels:
    """The badges `slide_map_png` placed on `png`: type size and boxes in the PNG's own pixels (top-left origin).
    Raises KeyError for a PNG that was not made by slide_map_png."""
    image = Image.open(io.BytesIO(png))
    meta = json.loads(image.text[PNG_LABELS_KEY])
    return MapLabels(image.width, image.height, float(meta["font_px"]),
                     tuple(PlacedLabel(text, (x0, y0, x1, y1)) for text, x0, y0, x1, y1 in meta["labels"]))


def _frame_only(fig, ax, spec: MapSpec, aspect: float | None) -> None:
    """Cut the figure down to the map frame and, for a `tall` slide, reshape the frame to width/height == `aspect`
    around the same country or province (zoomed in: a province or the nation fills the frame's width or height).

    render_map draws on an A4-shaped page and has no parameter for another shape, so the frame is reshaped after
    drawing: the page's title and footer lines go (the slide has its own), the view is refitted the way render_map
    fits it (geo.printmap.layout extents, padded as there), the scale bar and a province's 南海诸岛 inset are drawn
    again for the new frame (the nation, tall, is drawn at full extent with the islands on the map and no inset),
    and grey names the new frame cuts through are dropped. Names keep their size in points while the
    map only grows, so names render_map kept apart stay apart.
    """
    fig_w, fig_h = fig.get_size_inches()
    box = ax.get_position()
    w_in, h_in = box.width * fig_w, box.height * fig_h
    for t in list(fig.texts):
        t.remove()
    if not aspect:
        # At most WIDE_ASPECT wide: render_map's frame for the nation is ≈ 1.98 wide, which left a 1280×720 slide's
        # map cell (≈ 1.65) a sixth empty; the view grows north instead, the inset keeps its size and
        # its place at the frame's bottom-right corner.
        new_h = max(h_in, w_in / WIDE_ASPECT)
        x0, x1 = ax.get_xlim()
        y0, y1 = ax.get_ylim()
        others = [(a, a.get_position()) for a in fig.axes if a is not ax]
        fig.set_size_inches(w_in, new_h)
        for other, pos in others:
            other.set_position([(pos.x0 - box.x0) * fig_w / w_in, (pos.y0 - box.y0) * fig_h / new_h,
                                pos.width * fig_w / w_in, pos.height * fig_h / new_h])
        ax.set_position([0, 0, 1, 1])
        # All of it to the north: grown south too, the frame showed part of the South China Sea running off its
        # bottom edge beside the inset that shows it whole (issue 15's rule for the web map, here for slides).
        grow = (y1 - y0) * (new_h / h_in - 1)
        set_extent(ax, lay.Extent(x0, y0, x1, y1 + grow))
        _keep_island_names_apart(ax)
        _drop_crowded_names(ax)
        return
    inset = [a for a in fig.axes if a is not ax]
    for other in inset:
        other.remove()
    for patch in list(ax.patches):  # the scale bar's segments (render_map's only patches once the legend is gone)
        patch.remove()
    for t in [t for t in ax.texts if not isinstance(t, Annotation) and t.get_zorder() == 8]:
        t.remove()  # the scale bar's numbers (geo.printmap.draw.draw_scale_bar draws them at zorder 8)
    fig.set_size_inches(w_in, w_in / aspect)
    ax.set_position([0, 0, 1, 1])
    adcode = lay.resolve_province(spec.province) if spec.province else None
    crs = lay.province_crs(adcode) if adcode else lay.NATIONAL_CRS
    if adcode:
        base = lay.province_extent(adcode, crs).padded(0.05)
    elif inset:
        # The nation in a tall frame: the full extent, 南海诸岛 on the map itself (the vertical national map), not
        # an inset as well. With an inset in a band below the country the band's right half showed the same
        # islands and dashed line on the map beside it: the sea twice on one slide.
        base = lay.national_extent().padded(0.03).union(lay.inset_extent().padded(0.02))
        inset = []
    else:
        base = lay.national_extent().padded(0.03)
    extent = _tall_extent(base, aspect, INSET_BAND if inset else 0.0)
    set_extent(ax, extent)
    if inset:  # in the band below the province, not over its south coast (render_map's corner)
        draw_inset(fig, ax, _band_inset_box(fig, (base.ymin - extent.ymin) / extent.height))
    _draw_scale_bar(ax, extent, crs, _band_inset_box(fig, 0.3)[2] + 0.05 if inset else 0.03)
    _keep_island_names_apart(ax)
    _drop_crowded_names(ax)


INSET_BAND = 0.3  # of a tall frame's height, kept empty below the country for the 南海诸岛 inset and scale bar


def _tall_extent(base: lay.Extent, aspect: float, band: float) -> lay.Extent:
    """`base` in a frame of width/height `aspect`, its top at the frame's top and at least `band` of the frame's
    height free below it; the slack is split left and right."""
    height = max(base.width / aspect, base.height / (1 - band))
    width = height * aspect
    middle = (base.xmin + base.xmax) / 2
    return lay.Extent(middle - width / 2, base.ymax - height, middle + width / 2, base.ymax)


def _band_inset_box(fig, band: float) -> tuple[float, float, float, float]:
    """Figure-fraction box of the 南海诸岛 inset in the bottom-left of a band `band` (fraction) high: the sea south
    of the country, on the right, is itself on the map down to about the band's foot."""
    window = lay.inset_extent()
    fig_w, fig_h = fig.get_size_inches()
    height = band - 0.02
    width = height * fig_h / fig_w * window.width / window.height
    return 0.006, 0.006, width, height


def _draw_scale_bar(ax, extent: lay.Extent, crs: str, left: float) -> None:
    """The scale bar at the bottom, `left` (fraction of the width) from the left edge; on a narrow frame its
    middle number ("125") gives way if it would touch "0" or "250 公里"."""
    before = set(ax.texts)
    draw_scale_bar(ax, extent, crs, (left, 0.03))
    numbers = [t for t in ax.texts if t not in before]
    if len(numbers) == 3:
        renderer = ax.figure.canvas.get_renderer()
        first, middle, last = (t.get_window_extent(renderer) for t in numbers)
        if middle.overlaps(first) or middle.overlaps(last):
            numbers[1].remove()


def _keep_island_names_apart(ax) -> None:
    """钓鱼岛 and 赤尾屿 are ≈ 100 km apart: on a 3.3 in national map their names (render_map centres both above
    their dots) would print over each other, so 钓鱼岛 goes below its dot and 赤尾屿 right of its own. 台湾省资料暂缺, which
    render_map writes east of Taiwan, goes below the island, inside a frame that ends close to Taiwan's coast."""
    sides = {text("snapshot.diaoyu"): ((0, -3), "center", "top"), text("snapshot.chiwei"): ((3, 0), "left", "center")}
    for t in ax.texts:
        if isinstance(t, Annotation) and t.get_text() in sides:
            t.xyann, ha, va = sides[t.get_text()]
            t.set_horizontalalignment(ha)
            t.set_verticalalignment(va)
        elif isinstance(t, Annotation) and t.get_text() == text("common.taiwan_no_data") and not _inside(t, ax):
            t.xyann = (6, -12)
            t.set_horizontalalignment("center")
            t.set_verticalalignment("top")


def _drop_crowded_names(ax) -> None:
    """Grey names that the frame cuts through, or that touch a name kept before them (render_map keeps the one
    with the least overlap when no spot is free), are dropped; 台湾省资料暂缺 and the scale bar's numbers come
    first and are kept."""
    renderer = ax.figure.canvas.get_renderer()
    first = [t for t in ax.texts if t.get_text() == text("common.taiwan_no_data") or t.get_zorder() == 8]
    kept: list[Bbox] = []
    for t in first + [t for t in ax.texts if t not in first]:
        b = t.get_window_extent(renderer)
        if t not in first and (not _inside(t, ax) or any(b.overlaps(k) for k in kept)):
            t.remove()
        else:
            kept.append(b)


def _inside(t: Text, ax) -> bool:
    renderer = ax.figure.canvas.get_renderer()
    frame, b = ax.get_window_extent(renderer), t.get_window_extent(renderer)
    return frame.x0 <= b.x0 and frame.y0 <= b.y0 and b.x1 <= frame.x1 and b.y1 <= frame.y1


def _place_badges(ax, view: gpd.GeoDataFrame, spec: MapSpec, sizes: dict[str, float], label_pt: float) -> list:
    """Badges for the zones `spec.labels` names, kept off markers, the inset, the scale bar and each other; the
    grey names render_map placed before them give way where a badge lands on one."""
    marks = dict(zip(spec.zone_ids, spec.labels, strict=True)) if spec.labels else {}
    adcode = lay.resolve_province(spec.province) if spec.province else None
    crs = lay.province_crs(adcode) if adcode else lay.NATIONAL_CRS
    drawn = view[view.geometry.notna() & ~view.geometry.is_empty & view.marker_lon.notna()] if len(view) else view
    if adcode is not None and len(drawn):
        drawn = zones_in_province(drawn, adcode)
    labelled = drawn[drawn.zone_id.map(lambda z: bool(marks.get(z)))] if len(drawn) else drawn
    if labelled.empty:
        return []
    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    xs, ys = lay.project_points(drawn.marker_lon.to_numpy(), drawn.marker_lat.to_numpy(), crs)
    keep_clear = []
    for z, x, y in zip(drawn.zone_id, xs, ys, strict=True):  # markers at their drawn size (points² → radius px)
        r = np.sqrt(sizes.get(z, 16.0)) / 2 * fig.dpi / 72 + 1
        dx, dy = ax.transData.transform((x, y))
        keep_clear.append(Bbox.from_extents(dx - r, dy - r, dx + r, dy + r))
    background = list(ax.texts)  # grey names: not kept clear, they give way below
    keep_clear += [a.get_window_extent(renderer) for a in fig.axes if a is not ax]  # the 南海诸岛 inset
    keep_clear += [p.get_window_extent(renderer) for p in ax.patches]  # the scale bar
    lx, ly = lay.project_points(labelled.marker_lon.to_numpy(), labelled.marker_lat.to_numpy(), crs)
    points = [(x, y, marks[z]) for z, x, y in zip(labelled.zone_id, lx, ly, strict=True)]
    font = sized(label_pt)
    badges = place_labels(ax, points, font, boxes=keep_clear, candidates=number_candidates(), badge=True,
                          leader_from=LEADER_FROM)
    for i, t in enumerate(badges):  # crowded (甘肃 on a 4:3 frame): a badge that found no free spot tries further out
        others = [label_extent(o, renderer) for o in badges if o is not t]
        if any(label_extent(t, renderer).overlaps(o) for o in others):
            x, y = t.xy
            text_ = t.get_text()
            t.remove()
            badges[i] = place_labels(ax, [(x, y, text_)], font, boxes=keep_clear + others, candidates=FAR_CANDIDATES,
                                     badge=True, leader_from=LEADER_FROM)[0]
    taken = [label_extent(t, renderer) for t in badges]
    for t in background:  # an orientation name a badge still covers gives way (render_map placed it first)
        extent = t.get_window_extent(renderer)
        if any(extent.overlaps(b) for b in taken) and t.get_zorder() != 8:
            t.remove()
    return badges


def _emphasise_markers(ax, spec: MapSpec) -> dict[str, float]:
    """Bigger markers for the slide's subject zones; zones shown only for context keep the small grey dot.
    Returns each zone's marker size (points²), for keeping badges off them."""
    context = np.array(to_rgba(CONTEXT_COLOR))
    subjects = sum(c != CONTEXT_COLOR for c in spec.colours)
    size = MARKER_SIZE if subjects <= 12 else MARKER_SIZE / 2  # a national overview: many dots, less overlap
    for coll in ax.collections:
        if not isinstance(coll, PathCollection) or coll.get_zorder() != 6 or not len(coll.get_offsets()):
            continue  # zone markers are the one scatter at zorder 6 (geo.printmap.render._draw_zones)
        faces = coll.get_facecolors()
        subject = ~np.all(np.isclose(faces, context, atol=0.01), axis=1)
        coll.set_sizes(np.where(subject, size, 16.0))
        coll.set_linewidths(np.where(subject, 1.2, 0.6))
    return {z: 16.0 if c == CONTEXT_COLOR else size for z, c in zip(spec.zone_ids, spec.colours, strict=True)}
