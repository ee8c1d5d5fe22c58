"""Static matplotlib charts of the provincial figures (bar, province × theme heatmap, choropleth), projector-sized.

Every label is Chinese in the packaged Noto Sans CJK SC (geo.printmap.fonts), at least 14 pt; each chart carries its source
line. Figures are built with the object-oriented API (no pyplot state), so they are safe in a server process.
"""

from __future__ import annotations

import io
import math
from contextlib import contextmanager

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.text import Text

from geo.printmap import layout
from geo.printmap.captions import approval_line, date_line
from geo.printmap.draw import draw_scale_bar
from geo.printmap.fonts import cjk_font, sized
from geo.stats.compare import measure_label
from loaders.i18n import text

# Printed at A4 landscape width and 300 dpi: the 16-inch design (projector proportions) saved 3508 px wide.
PRINT_DPI = 300
A4_LANDSCAPE_PX = round(297 / 25.4 * PRINT_DPI)  # 3508
LABEL_PT = 14
TITLE_PT = 20
SOURCE_PT = 12
SEQUENTIAL = "YlGnBu"  # ColorBrewer sequential, marked colour-blind safe
ZERO_COLOR = "#f2f2f2"
NO_DATA_COLOR = "#d9d9d9"
NO_DATA_HATCH = "///"
BAR_COLOR = "#0072B2"  # Okabe–Ito blue
_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "省", "市")


def short_name(name: str) -> str:
    """北京市 → 北京, 新疆维吾尔自治区 → 新疆, 香港特别行政区 → 香港 (how charts name provinces)."""
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


@contextmanager
def _chart_style():
    """Noto Sans CJK SC for every text element, ASCII minus (always in the font), projector-sized ticks."""
    family = cjk_font().get_name()
    with matplotlib.rc_context({
        "font.family": [family],
        "font.sans-serif": [family],
        "axes.unicode_minus": False,
        "font.size": LABEL_PT,
        "axes.titlesize": TITLE_PT,
        "axes.labelsize": LABEL_PT,
        "xtick.labelsize": LABEL_PT,
        "ytick.labelsize": LABEL_PT,
        "legend.fontsize": LABEL_PT,
    }):
        yield


def _footer(fig: Figure, source_line: str, approval: str | None = None) -> None:
    """Source on the left; 审图号 (maps only) and the date on the right — what a pasted chart must carry."""
    fig.text(0.01, 0.01, source_line, fontsize=SOURCE_PT, color="#444444", ha="left", va="bottom")
    right = "　".join(x for x in (approval, date_line()) if x)
    fig.text(0.99, 0.01, right, fontsize=SOURCE_PT, color="#444444", ha="right", va="bottom")


def format_value(value: float, measure: str) -> str:
    """How a figure is written on charts and cards: 3, 12.5%, 1.64."""
    if value == 0:
        return "0"
    if measure == "coverage":
        return f"{value:.1f}%"
    if measure == "per_100_counties":
        return f"{value:.2f}"
    return f"{int(value)}"


def bar_chart(figures: pd.DataFrame, measure: str, source_line: str, catalogue=None) -> Figure:
    """All 34 provinces, highest first; zeros written as 0, 台湾省 marked 资料暂缺 instead of a bar."""
    label = measure_label(measure, catalogue)
    with _chart_style():
        data = figures[["name", "no_data", measure]].copy()
        data["value"] = data[measure].astype("Float64")
        data = data.sort_values(["no_data", "value", "name"], ascending=[True, False, True], na_position="last")
        values = data["value"].fillna(0).to_numpy(dtype=float)
        top = max(values.max() if len(values) else 0, 1e-9)
        fig = Figure(figsize=(16, 9), layout="constrained")
        ax = fig.add_subplot()
        x = np.arange(len(data))
        ax.bar(x, values, color=BAR_COLOR, width=0.7)
        for xi, (v, missing) in enumerate(zip(values, data["no_data"], strict=True)):
            if missing:
                ax.text(xi, top * 0.02, "\n".join(text("compare.no_data")), ha="center", va="bottom",
                        fontsize=LABEL_PT, color="#666666")
            else:
                # no % sign on the bars (the axis says %): keeps neighbouring labels from touching at 14 pt
                ax.text(xi, v + top * 0.015, format_value(v, measure).rstrip("%"), ha="center", va="bottom",
                        fontsize=LABEL_PT)
        ax.set_xticks(x, ["\n".join(short_name(n)) for n in data["name"]], fontsize=LABEL_PT)
        ax.tick_params(axis="x", length=0)
        ax.set_xlim(-0.6, len(data) - 0.4)
        ax.set_ylim(0, top * 1.15)
        ax.set_ylabel(label)
        ax.spines[["top", "right"]].set_visible(False)
        ax.set_title(text("compare.charts.bar_title", measure=label), loc="left", fontweight="bold")
        if measure in ("zones",) or measure.startswith("theme:"):
            ax.yaxis.get_major_locator().set_params(integer=True)
        fig.get_layout_engine().set(rect=(0, 0.04, 1, 0.96))
        _footer(fig, source_line)
    return fig


def theme_heatmap(matrix: pd.DataFrame, source_line: str, hidden_provinces: int = 0) -> Figure:
    """Province × theme counts with the number in every cell (a colour-blind-safe sequential scale).

    Drawn with themes as rows and provinces as columns (names written top to bottom): 17 themes by 18 provinces
    then fits a 16:9 projector at 14 pt, where the other way round needs a page twice as wide.
    """
    with _chart_style():
        grid = matrix.T
        rows, cols = grid.shape
        fig = Figure(figsize=(max(12, 0.62 * cols + 5), max(6, 0.5 * rows + 3.2)), layout="constrained")
        ax = fig.add_subplot()
        values = grid.to_numpy(dtype=float)
        vmax = max(values.max() if values.size else 0, 1)
        cmap = matplotlib.colormaps[SEQUENTIAL]
        # pcolormesh, not imshow: one quad per cell draws in milliseconds; imshow resamples the image at 200 dpi.
        mesh = ax.pcolormesh(np.arange(cols + 1) - 0.5, np.arange(rows + 1) - 0.5, values, cmap=cmap, vmin=0,
                             vmax=vmax, edgecolors="white", linewidth=1.5)
        ax.set_xlim(-0.5, cols - 0.5)
        ax.set_ylim(rows - 0.5, -0.5)
        for (i, j), v in np.ndenumerate(values):
            ax.text(j, i, f"{int(v)}", ha="center", va="center", fontsize=LABEL_PT,
                    color="white" if v / vmax > 0.55 else ("#222222" if v else "#8c8c8c"))
        ax.set_xticks(np.arange(cols), ["\n".join(short_name(n)) for n in grid.columns], fontsize=LABEL_PT)
        ax.set_yticks(np.arange(rows), list(grid.index), fontsize=LABEL_PT)
        ax.tick_params(length=0)
        ax.xaxis.tick_top()
        ax.spines[:].set_visible(False)
        bar = fig.colorbar(mesh, ax=ax, shrink=0.5, pad=0.01, aspect=15)
        bar.ax.yaxis.get_major_locator().set_params(integer=True)
        bar.ax.tick_params(labelsize=LABEL_PT)
        bar.outline.set_visible(False)
        fig.suptitle(text("compare.charts.heatmap_title"), x=0.01, ha="left", fontsize=TITLE_PT)
        bottom = text("compare.charts.heatmap_note", n=hidden_provinces) + "　" if hidden_provinces else ""
        fig.get_layout_engine().set(rect=(0, 0.04, 1, 0.96))
        _footer(fig, bottom + source_line)
    return fig


def _classes(values: pd.Series, measure: str) -> tuple[list[float], bool]:
    """Upper class bounds for the positive values, and whether each class is one integer (small counts)."""
    positive = values[values > 0]
    if positive.empty:
        return [1.0], True
    top = float(positive.max())
    integer = measure == "zones" or measure.startswith("theme:")
    if integer and top <= 6:
        return [float(i) for i in range(1, int(top) + 1)], True
    step = top / 5
    magnitude = 10 ** math.floor(math.log10(step))
    nice = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= step)
    return [nice * (i + 1) for i in range(math.ceil(top / nice - 1e-9))], False


def _draw_provinces(ax, shapes, fills, sea) -> None:
    shapes.plot(ax=ax, color=fills, edgecolor="#555555", linewidth=0.6)
    hatched = shapes[shapes["no_data"].fillna(True)]
    if len(hatched):
        hatched.plot(ax=ax, facecolor="none", edgecolor="#777777", hatch=NO_DATA_HATCH, linewidth=0.6)
    sea.plot(ax=ax, color="#333333", linewidth=1.0)
    ax.set_aspect("equal")
    ax.set_xlabel("")  # geopandas labels projected axes "Easting [metre]"
    ax.set_ylabel("")


def _province_names(ax, provinces, crs: str) -> None:
    """Short province names (浙江, 内蒙古) on the choropleth, off each other; 台湾 carries its own note."""
    from geo.printmap.fonts import sized
    from geo.printmap.labels import CENTRED, place_labels

    if not hasattr(ax.figure.canvas, "get_renderer"):
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        FigureCanvasAgg(ax.figure)  # labels are placed by their drawn size
    rows = provinces[provinces.adcode != layout.TAIWAN]
    xs, ys = layout.project_points(rows.label_lon.to_numpy(), rows.label_lat.to_numpy(), crs)
    names = layout.short_province_names()
    place_labels(ax, [(x, y, names[c]) for c, x, y in zip(rows.adcode, xs, ys, strict=True)], sized(SOURCE_PT),
                 candidates=CENTRED, color="#222222", boxed=True)


def choropleth(figures: pd.DataFrame, measure: str, source_line: str, catalogue=None) -> Figure:
    """Provinces shaded by `measure` (Albers equal-area), with the maritime line and a 南海诸岛 inset.

    Zero is its own light-grey class ("无实验区"); 台湾省 is hatched 资料暂缺. The inset window and the main
    extent come from geo.printmap.layout, so this map and the PNG snapshots frame China the same way.
    """
    label = measure_label(measure, catalogue)
    crs = layout.NATIONAL_CRS
    provinces = layout.projected_layer("province", crs)
    sea = layout.projected_layer("maritime", crs)
    with _chart_style():
        shapes = provinces[["adcode", "geometry"]].merge(
            figures[["adcode", "no_data", measure]], on="adcode", how="left", validate="one_to_one", indicator=True
        )
        if (shapes["_merge"] != "both").any():
            missing = shapes.loc[shapes["_merge"] != "both", "adcode"].tolist()
            raise ValueError(f"provinces without figures: {missing}")
        values = shapes[measure].astype("Float64")
        bounds, one_each = _classes(values.dropna(), measure)
        cmap = matplotlib.colormaps[SEQUENTIAL].resampled(len(bounds) + 2)
        colors = [to_hex(cmap(i + 2)) for i in range(len(bounds))]
        fills = []
        for v, missing in zip(values, shapes["no_data"], strict=True):
            if missing or pd.isna(v):
                fills.append(NO_DATA_COLOR)
            elif v <= 0:
                fills.append(ZERO_COLOR)
            else:
                fills.append(colors[next((i for i, b in enumerate(bounds) if v <= b + 1e-9), len(bounds) - 1)])
        fig = Figure(figsize=(16, 11))
        ax = fig.add_axes((0.01, 0.05, 0.98, 0.86))
        _draw_provinces(ax, shapes, fills, sea)
        for _name, lon, lat in layout.OUTLYING_ISLANDS:  # 钓鱼岛, 赤尾屿: too small to see as polygons
            x, y = layout.project_points(lon, lat, crs)
            ax.plot(x, y, marker="o", markersize=3, color="#555555", linestyle="none")
        if shapes.loc[shapes["adcode"] == layout.TAIWAN, "no_data"].fillna(True).all():
            x, y = layout.project_points(121.0, 23.6, crs)  # the note the PNG snapshots carry too
            ax.annotate(text("common.taiwan_no_data"), (x, y), xytext=(24, -6), textcoords="offset points",
                        ha="left", va="center", fontsize=SOURCE_PT, color="#555555")
        main = layout.national_extent().padded(0.02).fitted(0.98 * 16 / (0.86 * 11), anchor_x=0.25)
        ax.set_xlim(main.xmin, main.xmax)
        ax.set_ylim(main.ymin, main.ymax)
        ax.set_axis_off()
        _province_names(ax, provinces, crs)
        box = layout.inset_extent()
        width = 0.17
        height = width * (16 / 11) * box.height / box.width
        inset = fig.add_axes((0.98 - width, 0.06, width, height))
        _draw_provinces(inset, shapes, fills, sea)
        inset.set_xlim(box.xmin, box.xmax)
        inset.set_ylim(box.ymin, box.ymax)
        inset.set_xticks([])
        inset.set_yticks([])
        for spine in inset.spines.values():
            spine.set_edgecolor("#333333")
        inset.text(1.0, 1.01, text("compare.charts.south_china_sea"), transform=inset.transAxes, ha="right",
                   va="bottom", fontsize=LABEL_PT, color="#333333")
        edges = [0.0] + bounds
        handles = [Patch(facecolor=ZERO_COLOR, edgecolor="#555555", label=text("compare.charts.zero_legend"))]
        for k, (lo, hi) in enumerate(zip(edges[:-1], edges[1:], strict=True)):
            if one_each:
                name = format_value(hi, measure)
            elif k == 0:
                name = text("compare.charts.up_to", value=format_value(hi, measure))
            else:
                name = f"{format_value(lo, measure)}–{format_value(hi, measure)}"
            handles.append(Patch(facecolor=colors[k], edgecolor="#555555", label=name))
        handles.append(Patch(facecolor=NO_DATA_COLOR, edgecolor="#777777", hatch=NO_DATA_HATCH,
                             label=text("compare.charts.no_data_legend")))
        ax.legend(handles=handles, title=label, loc="lower left", frameon=False, title_fontsize=LABEL_PT)
        draw_scale_bar(ax, main, crs, anchor=(0.30, 0.04), size=SOURCE_PT)
        fig.text(0.01, 0.97, text("compare.charts.map_title", measure=label), fontsize=TITLE_PT,
                 fontweight="bold", ha="left", va="top")
        _footer(fig, source_line, approval_line())
    return fig


def pin_font(fig: Figure) -> None:
    """Point every text artist at the packaged font file itself (a family-name lookup could pick a system copy)."""
    for artist in fig.findobj(Text):
        artist.set_fontproperties(sized(artist.get_fontsize()))


def figure_png(fig: Figure) -> bytes:
    """The figure as PNG bytes, A4 landscape width at 300 dpi (3508 px wide), for download buttons and reports.

    The figure keeps its 16-inch design (projector proportions); it is rasterised to 3508 px and tagged 300 dpi, so
    a word processor places it at A4 width with 14 pt labels printing at ≈10 pt.
    """
    buf = io.BytesIO()
    with _chart_style():
        pin_font(fig)
        fig.savefig(buf, format="png", dpi=(A4_LANDSCAPE_PX + 0.25) / fig.get_figwidth(), facecolor="white",
                    pil_kwargs={"dpi": (PRINT_DPI, PRINT_DPI)})
    return buf.getvalue()
