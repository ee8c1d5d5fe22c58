"""Palette and drawing primitives shared by the snapshot views: cached Paths drawn as one collection each."""

from __future__ import annotations

from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.patches import Rectangle

from geo.printmap import layout as lay
from geo.printmap.fonts import sized
from loaders.i18n import text

ACCENT = "#b3261e"  # same red as geo.styling.DEFAULT_ZONE_COLOR
BASE_FILL = "#f4f1ea"  # provinces, as on the interactive map
NEIGHBOUR_FILL = "#e6e6e6"
EDGE = "#8a8a8a"
COUNTY_EDGE = "#b5b5b5"
OUTLINE = "#4d4d4d"
MARITIME = "#34507a"  # its own colour so the boundary line reads (and can be checked) apart from coastlines
LABEL_GREY = "#6b6b6b"
A4_RATIO = 210 / 297


def bare(ax: Axes) -> None:
    ax.set_axis_off()
    ax.set_aspect("equal", adjustable="datalim")


def framed_axes(fig, box: tuple[float, float, float, float], label: str) -> Axes:
    """An inset's axes at `box` (figure fractions x, y, w, h): no ticks, a thin dark frame, white, drawn above
    the main map (zorder 10)."""
    inset = fig.add_axes(box, label=label)
    inset.set_xticks([])
    inset.set_yticks([])
    for spine in inset.spines.values():
        spine.set_edgecolor(OUTLINE)
        spine.set_linewidth(0.8)
    inset.set_facecolor("white")
    inset.set_zorder(10)
    return inset


def set_extent(ax: Axes, extent: lay.Extent) -> None:
    ax.set_xlim(extent.xmin, extent.xmax)
    ax.set_ylim(extent.ymin, extent.ymax)
    ax.apply_aspect()


def fill(ax: Axes, paths, facecolor, edgecolor, linewidth: float, zorder: float, hatch: str | None = None) -> None:
    ax.add_collection(PathCollection(list(paths), facecolors=facecolor, edgecolors=edgecolor, linewidths=linewidth,
                                     zorder=zorder, hatch=hatch), autolim=False)


def outline(ax: Axes, paths, color: str, linewidth: float, zorder: float, fill_alpha: float, dash: str) -> None:
    """Zones of a provincial programme: a dashed edge in the zone's colour over a faint fill of it (loaders.
    programmes.programme_style), so they differ from filled national zones in grayscale print too."""
    from matplotlib.colors import to_rgba

    on, off = (float(x) for x in dash.split())
    ax.add_collection(PathCollection(list(paths), facecolors=[to_rgba(color, fill_alpha)], edgecolors=color,
                                     linewidths=linewidth, linestyles=[(0, (on / 2, off / 2))], zorder=zorder),
                      autolim=False)


def lines(ax: Axes, arrays, color: str, linewidth: float, zorder: float) -> None:
    ax.add_collection(LineCollection(list(arrays), colors=color, linewidths=linewidth, zorder=zorder,
                                     capstyle="round"), autolim=False)


def draw_scale_bar(ax: Axes, extent: lay.Extent, crs: str, anchor: tuple[float, float], size: float = 7,
                   fraction: float = 0.16) -> None:
    """A two-segment scale bar at `anchor` (fractions of the extent), about `fraction` of the view wide, true
    kilometres at the extent's centre."""
    km, length = lay.scale_bar(extent, crs, fraction)
    x0 = extent.xmin + anchor[0] * extent.width
    y0 = extent.ymin + anchor[1] * extent.height
    h = extent.height * 0.007
    for i in range(2):
        ax.add_patch(Rectangle((x0 + i * length / 2, y0), length / 2, h, facecolor=("#333333", "white")[i],
                               edgecolor="#333333", linewidth=0.6, zorder=8))
    font = sized(size)
    for frac, label in ((0, "0"), (0.5, f"{km / 2:g}"), (1, text("snapshot.scale_unit", km=km))):
        ax.text(x0 + frac * length, y0 + h * 1.8, label, ha="center",
                va="bottom", fontproperties=font, color="#333333", zorder=8)
