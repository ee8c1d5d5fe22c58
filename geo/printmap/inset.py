"""The 南海诸岛 inset: a framed window on the South China Sea in the lower-right corner of a map.

The main view slides (moving only empty margin) until nothing drawn there — land, 钓鱼岛, labels — is under it.
"""

from __future__ import annotations

import shapely
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from geo.printmap import layout as lay
from geo.printmap.draw import BASE_FILL, EDGE, MARITIME, OUTLINE, fill, framed_axes, lines, set_extent
from geo.printmap.fonts import sized
from loaders.i18n import text

INSET_HEIGHT = 0.40  # of the main map's height


def inset_box(fig: Figure, ax: Axes) -> tuple[float, float, float, float]:
    """Figure-fraction box of the 南海诸岛 inset: lower-right corner of the main map, the window's own aspect."""
    window = lay.inset_extent()
    box = ax.get_position()
    fig_w, fig_h = fig.get_size_inches()
    h = box.height * INSET_HEIGHT
    w = h * fig_h / fig_w * window.width / window.height
    return box.x1 - w - 0.004, box.y0 + 0.006, w, h


def room_for_inset(fig: Figure, ax: Axes, base: lay.Extent, extent: lay.Extent, crs: str) -> lay.Extent:
    """Slide the map left until everything drawn where the inset goes (land, 钓鱼岛, labels) clears it.

    The view is wider than the country, so this only moves empty margin from the east to the west side.
    """
    x0, y0, w, h = inset_box(fig, ax)
    box = ax.get_position()
    top = extent.ymin + (y0 + h - box.y0) / box.height * extent.height
    provinces = lay.projected_layer("province", crs).geometry.values
    land = shapely.clip_by_rect(provinces, extent.xmin, extent.ymin, extent.xmax, top)
    east = max(b[2] for b in shapely.bounds(land) if b[2] == b[2])  # NaN for empty clips
    renderer = fig.canvas.get_renderer()
    to_data = ax.transData.inverted()
    for t in ax.texts:
        (tx0, ty0), (tx1, _) = to_data.transform(t.get_window_extent(renderer).get_points())
        if ty0 < top:
            east = max(east, tx1)
    inset_left = extent.xmin + (x0 - box.x0) / box.width * extent.width
    shift = min(max(0.0, east + 0.01 * extent.width - inset_left), base.xmin - extent.xmin)
    moved = lay.Extent(extent.xmin + shift, extent.ymin, extent.xmax + shift, extent.ymax)
    set_extent(ax, moved)
    return moved


def key_column_box(fig: Figure, column: tuple[float, float, float, float],
                   share: float = INSET_HEIGHT * 0.85) -> tuple[float, float, float, float]:
    """The inset's box at the bottom right of a column beside (or band below) the map (figure fractions x, y, w,
    h): as wide as the column allows and at most `share` of its height, in the window's own aspect."""
    window = lay.inset_extent()
    x, y, w, h = column
    fig_w, fig_h = fig.get_size_inches()
    height = min(h * share, w * fig_w / fig_h * window.height / window.width)
    width = height * fig_h / fig_w * window.width / window.height
    return x + w - width, y, width, height


def draw_inset(fig: Figure, ax: Axes, box: tuple[float, float, float, float] | None = None) -> Axes:
    """南海诸岛 in the main map's projection, framed in its lower-right corner (open sea east of the Philippines),
    or in `box` (figure fractions) when the map has a keyed list beside it."""
    window = lay.inset_extent()
    inset = framed_axes(fig, box or inset_box(fig, ax), "inset")
    crs = lay.NATIONAL_CRS
    fill(inset, lay.layer_paths("province", crs).values(), BASE_FILL, EDGE, 0.3, 1)
    lines(inset, lay.layer_lines("country", crs), OUTLINE, 0.5, 3)
    lines(inset, lay.layer_lines("maritime", crs), MARITIME, 1.0, 4)
    inset.set_aspect("equal", adjustable="datalim")
    set_extent(inset, window)
    inset.text(0.5, 0.035, text("snapshot.inset_title"), transform=inset.transAxes, ha="center", va="bottom",
               fontproperties=sized(8), color="#333333")
    return inset
