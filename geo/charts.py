"""Static matplotlib charts of the provincial figures (bar, province × theme heatmap, choropleth), projector-sized.

Every label is Chinese in the packaged Noto Sans CJK SC (geo.fonts), at least 14 pt; each chart carries its source
line. Figures are built with the object-oriented API (no pyplot state), so they are safe in a server process.
"""

from __future__ import annotations

import io
import math
from contextlib import contextmanager

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from geo.compare import measure_label
from loaders.i18n import text

LABEL_PT = 14
TITLE_PT = 20
SOURCE_PT = 12
SEQUENTIAL = "YlGnBu"  # ColorBrewer sequential, marked colour-blind safe
ZERO_COLOR = "#f2f2f2"
NO_DATA_COLOR = "#d9d9d9"
NO_DATA_HATCH = "///"
BAR_COLOR = "#0072B2"  # Okabe–Ito blue
ALBERS = "+proj=aea +lat_1=25 +lat_2=47 +lon_0=105 +ellps=WGS84 +units=m +no_defs"
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
    from geo.fonts import cjk_font

    font = cjk_font()
    family = font.get_name() if hasattr(font, "get_name") else str(font)
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


def _source(fig: Figure, source_line: str) -> None:
    fig.text(0.01, 0.01, source_line, fontsize=SOURCE_PT, color="#444444", ha="left", va="bottom")


def _format(value: float, measure: str) -> str:
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
                        fontsize=LABEL_PT - 2, color="#666666")
            else:
                ax.text(xi, v + top * 0.015, _format(v, measure), ha="center", va="bottom", fontsize=LABEL_PT - 2)
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
        _source(fig, source_line)
    return fig


def theme_heatmap(matrix: pd.DataFrame, source_line: str, hidden_provinces: int = 0) -> Figure:
    """Province × theme counts with the number in every cell (a colour-blind-safe sequential scale)."""
    with _chart_style():
        rows, cols = matrix.shape
        fig = Figure(figsize=(max(12, 1.9 * cols + 3), max(6, 0.55 * rows + 3.5)), layout="constrained")
        ax = fig.add_subplot()
        values = matrix.to_numpy(dtype=float)
        vmax = max(values.max() if values.size else 0, 1)
        cmap = matplotlib.colormaps[SEQUENTIAL]
        im = ax.imshow(values, cmap=cmap, vmin=0, vmax=vmax, aspect="auto")
        for (i, j), v in np.ndenumerate(values):
            dark = v / vmax > 0.55
            ax.text(j, i, f"{int(v)}", ha="center", va="center", fontsize=LABEL_PT,
                    color="white" if dark else "#222222")
        ax.set_xticks(np.arange(cols), [_wrap(c, 5) for c in matrix.columns], fontsize=LABEL_PT)
        ax.set_yticks(np.arange(rows), [short_name(n) for n in matrix.index], fontsize=LABEL_PT)
        ax.tick_params(length=0)
        ax.xaxis.tick_top()
        ax.set_xticks(np.arange(cols + 1) - 0.5, minor=True)
        ax.set_yticks(np.arange(rows + 1) - 0.5, minor=True)
        ax.grid(which="minor", color="white", linewidth=2)
        ax.tick_params(which="minor", length=0)
        ax.spines[:].set_visible(False)
        bar = fig.colorbar(im, ax=ax, shrink=0.6, pad=0.02)
        bar.ax.yaxis.get_major_locator().set_params(integer=True)
        bar.ax.tick_params(labelsize=LABEL_PT)
        ax.set_title(text("compare.charts.heatmap_title"), loc="left", fontweight="bold", pad=12)
        bottom = text("compare.charts.heatmap_note", n=hidden_provinces) + "　" if hidden_provinces else ""
        fig.get_layout_engine().set(rect=(0, 0.05, 1, 0.95))
        _source(fig, bottom + source_line)
    return fig


def _wrap(label: str, width: int) -> str:
    return "\n".join(label[i:i + width] for i in range(0, len(label), width))


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


def choropleth(figures: pd.DataFrame, provinces, maritime, measure: str, source_line: str,
               catalogue=None) -> Figure:
    """Provinces shaded by `measure` in an Albers equal-area projection, with the maritime boundary line.

    `provinces` and `maritime` are geo.boundaries layers. The full extent is drawn (down to 曾母暗沙 and the
    南海诸岛), so no inset is needed and nothing is left out. Zero is its own light grey class; 台湾省 is hatched
    资料暂缺.
    """
    label = measure_label(measure, catalogue)
    with _chart_style():
        joined = provinces[["adcode", "geometry"]].merge(
            figures[["adcode", "no_data", measure]], on="adcode", how="left", validate="one_to_one", indicator=True
        )
        if (joined["_merge"] != "both").any():
            missing = joined.loc[joined["_merge"] != "both", "adcode"].tolist()
            raise ValueError(f"provinces without figures: {missing}")
        shapes = joined.to_crs(ALBERS)
        sea = maritime.to_crs(ALBERS)
        values = shapes[measure].astype("Float64")
        bounds, one_each = _classes(values.dropna(), measure)
        cmap = matplotlib.colormaps[SEQUENTIAL].resampled(len(bounds) + 2)
        colors = [cmap(i + 2) for i in range(len(bounds))]
        edges = [0.0] + bounds
        fig = Figure(figsize=(14, 11), layout="constrained")
        ax = fig.add_subplot()
        fills = []
        for v, missing in zip(values, shapes["no_data"], strict=True):
            if missing or pd.isna(v):
                fills.append(NO_DATA_COLOR)
            elif v <= 0:
                fills.append(ZERO_COLOR)
            else:
                k = next((i for i, b in enumerate(bounds) if v <= b + 1e-9), len(bounds) - 1)
                fills.append(colors[k])
        shapes.plot(ax=ax, color=fills, edgecolor="#555555", linewidth=0.6)
        hatched = shapes[shapes["no_data"].fillna(True)]
        if len(hatched):
            hatched.plot(ax=ax, facecolor="none", edgecolor="#777777", hatch=NO_DATA_HATCH, linewidth=0.6)
        sea.plot(ax=ax, color="#333333", linewidth=1.0)
        ax.set_axis_off()
        ax.set_aspect("equal")
        handles = [Patch(facecolor=ZERO_COLOR, edgecolor="#555555", label=text("compare.charts.zero_legend"))]
        for k, (lo, hi) in enumerate(zip(edges[:-1], edges[1:], strict=True)):
            name = _format(hi, measure) if one_each else f"{_format(lo, measure)}–{_format(hi, measure)}"
            handles.append(Patch(facecolor=colors[k], edgecolor="#555555", label=name))
        handles.append(Patch(facecolor=NO_DATA_COLOR, edgecolor="#777777", hatch=NO_DATA_HATCH,
                             label=text("compare.charts.no_data_legend")))
        ax.legend(handles=handles, title=label, loc="lower left", frameon=False, title_fontsize=LABEL_PT)
        ax.set_title(text("compare.charts.map_title", measure=label), loc="left", fontweight="bold")
        fig.get_layout_engine().set(rect=(0, 0.03, 1, 0.97))
        _source(fig, source_line)
    return fig


def figure_png(fig: Figure, dpi: int = 200) -> bytes:
    """The figure as PNG bytes (what download buttons and the artifacts folder get)."""
    buf = io.BytesIO()
    with _chart_style():
        fig.savefig(buf, format="png", dpi=dpi, facecolor="white")
    return buf.getvalue()
