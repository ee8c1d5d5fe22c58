"""Print maps identify every zone (issue 16, item 1): real roster (all 90 rows), real boundaries, the rendered
figure's own artists and pixels. Each map is drawn once per module (the national one takes a few seconds)."""

from __future__ import annotations

import io
from datetime import date

import numpy as np
import pytest
import shapely
from matplotlib.figure import Figure
from matplotlib.text import Annotation, Text
from PIL import Image

from geo.printmap import layout as lay
from geo.printmap.cli import filter_theme
from geo.printmap.fonts import sized
from geo.printmap.key import zone_numbers
from geo.printmap.labels import label_extent
from geo.printmap.render import render_map, save
from geo.stats.counts import count_label
from geo.styling import zone_styles
from geo.zones import zone_layer
from loaders.roster import load_roster
from loaders.themes import load_themes, theme_tags

DAY = date(2026, 11, 30)
OPTIONS = {"source_line": "资料来源：民函〔2019〕41号 等", "approval_line": "审图号：GS(0000)0000号", "date": DAY,
           "dpi": 100}
# the titles are the app's own (ui.maps.snapshot_title, geo.printmap.captions.network_name)
LONGEST_TITLE = "全国及省级社区治理和服务创新实验区分布图（资源整合/共建共治共享）（截至 2020 年）"
HALF_PRINTED_CM = 8.0  # the width a report writer shrinks a half-size map to in Word


@pytest.fixture(scope="module")
def roster():
    return load_roster().zones


def _drawn(fig):
    fig.canvas.draw()
    return fig


@pytest.fixture(scope="module")
def maps(roster):
    """name → (figure, the zones handed in, province adcode or None); each drawn once."""
    every = zone_layer(roster)
    catalogue = load_themes()
    styles, legend = zone_styles(every, theme_tags(every, catalogue), catalogue, "theme")
    colours = {z: s.color for z, s in styles.items()}
    theme_legend = [(count_label(e.label, e.count), e.color, e.hatch) for e in legend]
    sanshe, entry = filter_theme(roster, "三社联动")
    sanshe = zone_layer(sanshe)
    out = {
        "national": (render_map(every, title="全国及省级社区治理和服务创新实验区分布图", highlight_colors=colours, legend=theme_legend, **OPTIONS),
                     every, None),
        "sanshe": (render_map(sanshe, title="全国社区治理和服务创新实验区分布图（三社联动）", legend=[(count_label(entry[0], len(sanshe)), *entry[1:])],
                              highlight_colors=dict.fromkeys(sanshe.zone_id, entry[1]), **OPTIONS), sanshe, None),
        "gansu": (render_map(every, title="甘肃省社区治理和服务创新实验区分布图", province="甘肃省", **OPTIONS), every, "620000"),
        "zhejiang": (render_map(every, title="浙江省社区治理和服务创新实验区分布图（截至 2020 年）", province="浙江省", **OPTIONS), every, "330000"),
        "half": (render_map(every, title="全国及省级社区治理和服务创新实验区分布图", size="half", **OPTIONS), every, None),
        "half_zhejiang": (render_map(every, title="浙江省社区治理和服务创新实验区分布图", province="浙江省", size="half", **OPTIONS), every,
                          "330000"),
        # the longest title a view makes: a theme with a long name and a year, on the narrow page
        "half_sanshe": (render_map(sanshe, title=LONGEST_TITLE, size="half", **OPTIONS), sanshe, None),
        # the map page's 半版 export of the theme-coloured national view: a legend of 12 rows above the key
        "half_themes": (render_map(every, title="全国及省级社区治理和服务创新实验区分布图", size="half", highlight_colors=colours, legend=theme_legend,
                                   **OPTIONS), every, None),
    }
    return {k: (_drawn(f), z, p) for k, (f, z, p) in out.items()}


MAPS = ["national", "sanshe", "gansu", "zhejiang", "half", "half_zhejiang", "half_sanshe", "half_themes"]


def _main(fig):
    return next(ax for ax in fig.axes if ax.get_label() == "main")


def _badges(fig) -> list[Annotation]:
    """Number badges on the main map and in its magnified detail insets."""
    return [t for ax in fig.axes if ax.get_label() in ("main", "detail") for t in ax.texts
            if t.get_bbox_patch() is not None and t.get_bbox_patch().get_edgecolor()[3] > 0
            and t.get_gid() != "detail-letter"]


def _numbered(zones, province):
    """The zones drawn with a number (a province view: that province's) and their numbers, as the key has them:
    numbered across every drawable zone handed in, so a province's numbers match the national map's."""
    shown = zones[zones.geometry.notna() & ~zones.geometry.is_empty]
    numbers = zone_numbers(shown)
    if province:
        shown = shown[shown.province_adcode == province]
    return shown, {z: n for z, n in numbers.items() if z in set(shown.zone_id)}


@pytest.mark.parametrize("name", MAPS)
def test_no_two_badges_intersect(maps, name):
    fig, zones, province = maps[name]
    renderer = fig.canvas.get_renderer()
    badges = [(t.get_text(), label_extent(t, renderer)) for t in _badges(fig)]
    assert len(badges) == len(_numbered(zones, province)[1])
    for i, (a, box_a) in enumerate(badges):
        for b, box_b in badges[i + 1:]:
            assert not box_a.overlaps(box_b), (a, b)


@pytest.mark.parametrize("name", MAPS)
def test_every_numbered_zone_is_in_the_key_with_its_number(maps, name):
    fig, zones, province = maps[name]
    shown, numbers = _numbered(zones, province)
    key = {t.get_gid()[4:]: t.get_text() for t in fig.texts if (t.get_gid() or "").startswith("key:")}
    names = dict(zip(shown.zone_id, shown.unit_name, strict=True))
    assert set(key) == set(numbers)
    for zone_id, n in numbers.items():
        number, _, label = key[zone_id].partition(" ")
        assert number == str(n) and names[zone_id].endswith(label), key[zone_id]
    # and the key entries sit on the page
    for t in fig.texts:
        box = t.get_window_extent(fig.canvas.get_renderer())
        assert fig.bbox.contains(box.x0, box.y0) and fig.bbox.contains(box.x1, box.y1), t.get_text()


@pytest.mark.parametrize("name", MAPS)
def test_every_badge_sits_on_or_is_leader_linked_to_its_zone(maps, name):
    fig, zones, province = maps[name]
    shown, numbers = _numbered(zones, province)
    by_number = {str(n): z for z, n in numbers.items()}
    rows = shown.set_index("zone_id")
    crs = lay.province_crs(province) if province else lay.NATIONAL_CRS
    renderer = fig.canvas.get_renderer()
    for t in _badges(fig):
        number = t.get_text().split(" ")[0]
        zone = rows.loc[by_number[number]]
        # the marker the badge refers to lies on that zone (within 2 km: a marker on a thin coastal unit)
        assert zone.geometry.distance(shapely.Point(zone.marker_lon, zone.marker_lat)) < 0.02, number
        expected = lay.project_points(zone.marker_lon, zone.marker_lat, crs)
        assert np.allclose(t.xy, expected), number
        box = label_extent(t, renderer)
        px, py = t.axes.transData.transform(t.xy)
        linked = t.arrow_patch is not None and t.arrow_patch.get_visible()
        assert linked or box.contains(px, py), number


def _all_texts(fig) -> list[Text]:
    out = []
    for t in fig.findobj(Text):
        if t.get_text().strip() and t.get_visible() and t.get_alpha() != 0:
            out.append(t)
    return out


@pytest.mark.parametrize("name", MAPS)
def test_every_text_is_on_the_page_and_the_title_says_all_it_was_given(maps, name):
    """Nothing runs off the paper (the half-size page's theme title ran off both edges); a title too wide for the
    page hands its bracketed qualifiers to the subtitle line, so title and subtitle together still say them."""
    fig, _, _ = maps[name]
    renderer = fig.canvas.get_renderer()
    page = fig.bbox
    off = [t.get_text()[:20] for t in _all_texts(fig) if t.get_text().strip()
           and not (page.x0 - 0.5 <= (b := label_extent(t, renderer)).x0 and b.x1 <= page.x1 + 0.5
                    and page.y0 - 0.5 <= b.y0 and b.y1 <= page.y1 + 0.5)]
    assert not off
    title, subtitle = (t.get_text() for t in sorted(fig.texts, key=lambda t: -t.get_position()[1])[:2])
    given = {"national": "全国及省级社区治理和服务创新实验区分布图", "half_sanshe": LONGEST_TITLE,
             "zhejiang": "浙江省社区治理和服务创新实验区分布图（截至 2020 年）"}.get(name)
    if given:
        assert (title + subtitle).startswith(given) or title == given, (title, subtitle)
    assert subtitle.endswith("个实验区") or "个实验区（全国" in subtitle, subtitle


@pytest.mark.parametrize("name", MAPS)
def test_no_text_overlaps_another_text_on_the_page(maps, name):
    fig, _, _ = maps[name]
    renderer = fig.canvas.get_renderer()
    texts = _all_texts(fig)
    assert len(texts) > 15  # title, key, footer, scale bar, legend, badges …
    boxes = [(t.get_text()[:20], label_extent(t, renderer).shrunk(0.96, 0.9)) for t in texts]
    hits = [(a, b) for i, (a, box_a) in enumerate(boxes) for b, box_b in boxes[i + 1:] if box_a.overlaps(box_b)]
    assert not hits
    # nothing of the main map, its legend, the key or the footer hides under an inset (南海诸岛 or a magnified
    # detail); an inset's own names and badges are inside it by design
    inset_axes = [a for a in fig.axes if a.get_label() in ("inset", "detail")]
    insets = [a.get_window_extent() for a in inset_axes]
    hidden = [t.get_text() for t in _all_texts(fig) if t.axes not in inset_axes
              for b in insets if label_extent(t, renderer).overlaps(b)]
    assert not hidden


@pytest.mark.parametrize("name", ["national", "half"])
def test_dense_clusters_get_a_magnified_detail_with_a_locator_on_the_main_map(maps, name):
    fig, _, _ = maps[name]
    details = [a for a in fig.axes if a.get_label() == "detail"]
    assert details  # 武汉 (46–57) and 北京–天津 (1–7) are denser than a badge's width at national scale
    main = _main(fig)
    locators = [p for p in main.patches if p.get_gid() == "detail-locator"]
    assert len(locators) == len(details)
    letters = {t.get_text() for a in details for t in a.texts if t.get_gid() == "detail-letter"}
    assert letters == {t.get_text() for t in main.texts if t.get_text() in letters}
    for inset, locator in zip(details, locators, strict=True):
        # the inset shows its locator's window at a larger scale (at least MIN_GAIN)
        (x0, y0), (x1, y1) = locator.get_bbox().get_points()
        assert inset.get_xlim() == pytest.approx((x0, x1)) and inset.get_ylim() == pytest.approx((y0, y1))
        gain = inset.get_window_extent().width / np.ptp(main.transData.transform([[x0, y0], [x1, y1]])[:, 0])
        assert gain >= 1.8


def _reference_digit_height_in(size_pt: float) -> float:
    """Height (inches) of a "88" set at `size_pt` in the map font: what a number that prints at that size covers."""
    fig = Figure(figsize=(3, 1), dpi=100)
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    t = fig.text(0.5, 0.5, "88", fontproperties=sized(size_pt))
    return t.get_window_extent(fig.canvas.get_renderer()).height / fig.dpi


@pytest.mark.parametrize("name", ["half", "half_zhejiang", "half_sanshe"])
def test_half_size_numbers_read_at_least_6_pt_when_printed_8_cm_wide(maps, name):
    fig, _, _ = maps[name]
    renderer = fig.canvas.get_renderer()
    shrink = HALF_PRINTED_CM / (fig.get_figwidth() * 2.54)
    smallest = min(Text.get_window_extent(t, renderer).height / fig.dpi for t in _badges(fig))
    assert smallest * shrink >= _reference_digit_height_in(6.0) * 0.99
    key = [t for t in fig.texts if (t.get_gid() or "").startswith("key:")]
    assert min(t.get_window_extent(renderer).height / fig.dpi for t in key) * shrink >= \
        _reference_digit_height_in(6.0) * 0.99


def test_the_a4_map_at_half_width_would_not_be_legible(maps):
    """The reason a half layout exists: the A4 page's numbers shrunk to 8 cm fall below 6 pt."""
    fig, _, _ = maps["national"]
    renderer = fig.canvas.get_renderer()
    shrink = HALF_PRINTED_CM / (fig.get_figwidth() * 2.54)
    smallest = min(Text.get_window_extent(t, renderer).height / fig.dpi for t in _badges(fig))
    assert smallest * shrink < _reference_digit_height_in(6.0)


def _grey(fig) -> np.ndarray:
    buffer = io.BytesIO()
    save(fig, buffer, "png")
    return np.asarray(Image.open(io.BytesIO(buffer.getvalue())).convert("L")).astype(int)


def _fill_samples(fig, zones, crs, zone_ids) -> list[int]:
    """Grey levels at points well inside the zones' polygons, off their markers (PNG rows run top-down)."""
    grey = _grey(fig)
    ax = _main(fig)
    renderer = fig.canvas.get_renderer()
    covered = [label_extent(t, renderer) for t in ax.texts]
    out = []
    rows = zones.set_index("zone_id")
    for z in zone_ids:
        r = rows.loc[z]
        if r.geometry is None:
            continue
        inner = r.geometry.buffer(-0.03).difference(shapely.Point(r.marker_lon, r.marker_lat).buffer(0.15))
        if inner.is_empty:
            continue
        for p in shapely.get_parts(shapely.points(shapely.get_coordinates(inner.centroid)))[:1].tolist() + [
                shapely.point_on_surface(inner)]:
            if not inner.contains(p):
                continue
            px, py = ax.transData.transform(lay.project_points(p.x, p.y, crs))
            if any(b.contains(px, py) for b in covered):
                continue
            out.append(int(grey[int(round(fig.bbox.height - py)), int(round(px))]))
    return out


def test_grayscale_national_theme_map_tells_each_drawn_fill_apart(maps, roster):
    fig, zones, _ = maps["national"]
    every = zones
    catalogue = load_themes()
    styles, legend = zone_styles(every, theme_tags(every, catalogue), catalogue, "theme")
    hatch = {e.color: e.hatch for e in legend}
    by_colour: dict[str, list[str]] = {}
    for z, s in styles.items():
        by_colour.setdefault(s.color, []).append(z)
    levels = {}
    for colour, ids in by_colour.items():
        samples = _fill_samples(fig, every, lay.NATIONAL_CRS, ids)
        if samples:
            levels[colour] = int(np.median(samples))
    assert len(levels) >= 3, levels  # several theme fills are drawn and sampled
    ordered = sorted(levels.items(), key=lambda kv: kv[1])
    for (c1, g1), (c2, g2) in zip(ordered, ordered[1:], strict=False):
        assert g2 - g1 >= 8 or hatch.get(c1) != hatch.get(c2), (c1, g1, c2, g2)


def test_grayscale_theme_filtered_map_tells_zones_from_the_base_map(maps):
    fig, zones, _ = maps["sanshe"]
    samples = _fill_samples(fig, zones, lay.NATIONAL_CRS, zones.zone_id)
    assert samples
    grey = _grey(fig)
    ax = _main(fig)
    # the base fill of an empty province (西藏) in the same grayscale picture
    px, py = ax.transData.transform(lay.project_points(88.0, 32.0, lay.NATIONAL_CRS))
    base = int(grey[int(round(fig.bbox.height - py)), int(round(px))])
    assert all(abs(s - base) >= 40 for s in samples), (samples, base)
