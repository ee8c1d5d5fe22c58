"""Magnified insets (放大图 A, B, …) for clusters of zones too close together to number on the main map.

Chosen from the data: markers closer than a few badge widths on the page are grouped (single linkage); a group of
CLUSTER_MIN or more becomes a detail inset when a free spot for it exists — off the land of the map's subject
(the country, or the province of a province view), off the legend, scale bar, 南海诸岛 inset, names and other
details — nearest its cluster. The main map keeps the cluster's markers and draws a lettered locator box around
them; the inset shows the same area magnified, with the zones' numbers placed by geo.printmap.labels.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.transforms import Bbox

from geo.printmap import layout as lay
from geo.printmap.draw import OUTLINE, framed_axes, set_extent
from geo.printmap.fonts import sized

CLUSTER_MIN = 4  # zones in a group before it earns an inset (two or three are resolved by leader lines)
LINK_BADGES = 1.3  # a marker this many badge heights or closer to another is crowded
DETAIL_SIDE = 0.24  # side of a (square) detail inset, of the main map's width
MIN_GAIN = 1.8
TARGET_GAIN = 2.5  # clusters are sought in windows this much smaller than the inset they would fill  # an inset magnifying less than this is not worth its space: leaders stay
MAX_DETAILS = 4
DETAIL_EDGE = 0.08  # share of a detail's window along each edge whose markers are numbered on the main map
LETTERS = "ABCDEFGH"


@dataclass(frozen=True)
class Detail:
    """One detail inset: its letter, the zones it numbers, its window (data units of the main map) and its
    box on the page (display pixels)."""
    letter: str
    zone_ids: tuple[str, ...]
    window: lay.Extent
    box: Bbox
    locator: Bbox | None = None  # the window on the page (display pixels)


def find_clusters(ids: Sequence[str], xy: np.ndarray, badge_px: float, window_px: float) -> list[list[str]]:
    """Groups (zone ids) of CLUSTER_MIN or more crowded markers that fit one `window_px` square on the page,
    fullest first. A marker is crowded when another lies within LINK_BADGES badge heights (their badges cannot
    both sit beside them); a group is the crowded markers around the one with most of them in its window, taken
    out before the next group is sought (bounded windows: a chain of near neighbours across a province does not
    become one group). `xy` are the markers' page positions (N × 2, display pixels, or any unit of `badge_px`)."""
    if len(ids) < CLUSTER_MIN:
        return []
    d = np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1))
    np.fill_diagonal(d, np.inf)
    crowded = d.min(axis=1) < LINK_BADGES * badge_px
    left = set(np.nonzero(crowded)[0].tolist())
    half = window_px / 2
    groups: list[list[str]] = []
    while len(left) >= CLUSTER_MIN:
        pool = sorted(left)
        best: list[int] = []
        for i in pool:
            near = [j for j in pool if abs(xy[j, 0] - xy[i, 0]) <= half and abs(xy[j, 1] - xy[i, 1]) <= half]
            if len(near) > len(best):
                best = near
        if len(best) < CLUSTER_MIN:
            break
        groups.append([ids[j] for j in best])
        left -= set(best)
    return groups


def plan_details(fig: Figure, ax: Axes, points: Mapping[str, tuple[float, float]], clusters: Sequence[list[str]],
                 keep_off: shapely.Geometry, avoid: Sequence[Bbox], badge_px: float,
                 side: float = DETAIL_SIDE, slots: Sequence[Bbox] = ()) -> list[Detail]:
    """Where each cluster's inset goes: the free spot (see module doc) nearest the cluster, or with `slots`
    (display boxes set aside beside the map) the next slot; clusters with no free spot, or whose area is too
    wide to gain MIN_GAIN magnification, keep their leader lines."""
    frame = ax.get_window_extent()
    to_data = ax.transData.inverted()
    if slots:
        return _in_slots(ax, points, clusters, badge_px, slots)
    prepared = shapely.prepared.prep(keep_off) if keep_off is not None else None
    taken = list(avoid)
    marker_px = ax.transData.transform(np.array(list(points.values())))
    out: list[Detail] = []
    for members in clusters[:MAX_DETAILS]:
        xy = ax.transData.transform(np.array([points[z] for z in members]))
        (x0, y0), (x1, y1) = xy.min(axis=0), xy.max(axis=0)
        pad = 2.5 * badge_px  # room for the badges around the outer markers
        span_w, span_h = x1 - x0 + pad, y1 - y0 + pad
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        best = None
        for w, h in _shapes(side * frame.width):
            gain = min(w / span_w, h / span_h)
            if gain < MIN_GAIN:
                continue
            locator = Bbox.from_extents(cx - w / gain / 2, cy - h / gain / 2, cx + w / gain / 2, cy + h / gain / 2)
            if any(locator.overlaps(d.locator) for d in out):
                continue  # two dashed boxes over one another read as one: this cluster keeps its leader lines
            for box in _spots(frame, w, h):
                if box.overlaps(locator) or any(box.overlaps(b) for b in taken):
                    continue
                inside = (marker_px[:, 0] > box.x0) & (marker_px[:, 0] < box.x1) & \
                         (marker_px[:, 1] > box.y0) & (marker_px[:, 1] < box.y1)
                if inside.any():
                    continue
                (dx0, dy0), (dx1, dy1) = to_data.transform([[box.x0, box.y0], [box.x1, box.y1]])
                if prepared is not None and prepared.intersects(shapely.box(dx0, dy0, dx1, dy1)):
                    continue
                d = np.hypot(box.x0 + w / 2 - cx, box.y0 + h / 2 - cy) / gain  # bigger gain: worth a longer way
                if best is None or d < best[0]:
                    best = (d, box, locator)
        if best is None:
            continue
        _, box, locator = best
        (wx0, wy0), (wx1, wy1) = to_data.transform([[locator.x0, locator.y0], [locator.x1, locator.y1]])
        out.append(Detail(LETTERS[len(out)], tuple(members), lay.Extent(wx0, wy0, wx1, wy1), box, locator))
        taken += [box, locator]
    return out


def _in_slots(ax: Axes, points, clusters, badge_px: float, slots: Sequence[Bbox]) -> list[Detail]:
    to_data = ax.transData.inverted()
    out: list[Detail] = []
    for members, box in zip(clusters, slots, strict=False):
        xy = ax.transData.transform(np.array([points[z] for z in members]))
        (x0, y0), (x1, y1) = xy.min(axis=0), xy.max(axis=0)
        pad = 2.5 * badge_px
        gain = min(box.width / (x1 - x0 + pad), box.height / (y1 - y0 + pad))
        if gain < MIN_GAIN:
            continue
        cx, cy, w, h = (x0 + x1) / 2, (y0 + y1) / 2, box.width / gain, box.height / gain
        (wx0, wy0), (wx1, wy1) = to_data.transform([[cx - w / 2, cy - h / 2], [cx + w / 2, cy + h / 2]])
        out.append(Detail(LETTERS[len(out)], tuple(members), lay.Extent(wx0, wy0, wx1, wy1), box))
    return out


SHAPES = ((1.0, 1.0), (1.4, 0.75), (0.75, 1.4))  # width, height of a detail box, in units of its side
SCALES = (1.0, 0.85, 0.7, 0.55)
SPOTS = 28  # positions tried along each axis of the map frame


def _shapes(side_px: float) -> list[tuple[float, float]]:
    """Box sizes (display px) to try, largest first."""
    return sorted(((side_px * s * w, side_px * s * h) for s in SCALES for w, h in SHAPES),
                  key=lambda wh: -wh[0] * wh[1])


def _spots(frame: Bbox, w: float, h: float) -> list[Bbox]:
    if w > frame.width - 4 or h > frame.height - 4:
        return []
    return [Bbox.from_bounds(x, y, w, h) for x in np.linspace(frame.x0 + 2, frame.x1 - w - 2, SPOTS)
            for y in np.linspace(frame.y0 + 2, frame.y1 - h - 2, SPOTS)]


def draw_detail(fig: Figure, main: Axes, detail: Detail, letter_pt: float) -> Axes:
    """The empty inset axes (label "detail") showing the detail's window, its letter in the upper-left corner,
    and the lettered locator box on the main map. The caller draws the content (base map, zones, numbers)."""
    fig_box = detail.box.transformed(fig.transFigure.inverted())
    inset = framed_axes(fig, fig_box.bounds, "detail")
    inset.set_aspect("equal", adjustable="datalim")
    set_extent(inset, detail.window)
    inset.text(0.03, 0.97, detail.letter, transform=inset.transAxes, ha="left", va="top", gid="detail-letter",
               fontproperties=sized(letter_pt), color="#1b1b1b", zorder=11,
               bbox={"boxstyle": "square,pad=0.2", "facecolor": "white", "edgecolor": OUTLINE, "linewidth": 0.6})
    w = detail.window
    main.add_patch(Rectangle((w.xmin, w.ymin), w.width, w.height, facecolor="none", edgecolor=OUTLINE,
                             linewidth=0.8, linestyle=(0, (3, 1.5)), zorder=8, gid="detail-locator"))
    main.annotate(detail.letter, (w.xmin, w.ymax), xytext=(0, 1.5), textcoords="offset points", ha="left",
                  va="bottom", fontproperties=sized(letter_pt * 0.85), color="#1b1b1b", zorder=9,
                  bbox={"boxstyle": "square,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.85})
    return inset
