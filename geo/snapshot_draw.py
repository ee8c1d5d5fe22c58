"""Palette and drawing primitives shared by the snapshot views: cached Paths drawn as one collection each."""

from __future__ import annotations

from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PathCollection

from geo import snapshot_layout as lay

ACCENT = "#b3261e"  # same red as geo.folium_map.DEFAULT_ZONE_COLOR
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


def set_extent(ax: Axes, extent: lay.Extent) -> None:
    ax.set_xlim(extent.xmin, extent.xmax)
    ax.set_ylim(extent.ymin, extent.ymax)
    ax.apply_aspect()


def fill(ax: Axes, paths, facecolor, edgecolor, linewidth: float, zorder: float, hatch: str | None = None) -> None:
    ax.add_collection(PathCollection(list(paths), facecolors=facecolor, edgecolors=edgecolor, linewidths=linewidth,
                                     zorder=zorder, hatch=hatch), autolim=False)


def lines(ax: Axes, arrays, color: str, linewidth: float, zorder: float) -> None:
    ax.add_collection(LineCollection(list(arrays), colors=color, linewidths=linewidth, zorder=zorder,
                                     capstyle="round"), autolim=False)
