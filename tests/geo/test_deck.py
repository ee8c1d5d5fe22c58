"""The briefing deck built from the real roster, themes and boundaries: which slides, what each one shows."""

from __future__ import annotations

import io
import math
from datetime import date

import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_rgb
from PIL import Image

from geo.boundaries.cache import load_layer
from geo.deck.slide_map import SHAPES, badge_box, draw_slide_map, labels_of, slide_map_png
from geo.deck.slides import (
    CONTEXT_COLOR,
    KINDS,
    MAX_ROWS,
    build_deck,
    scope_line,
    select_zones,
    slide_from_param,
)
from geo.printmap import layout as lay
from geo.printmap.draw import ACCENT
from loaders.selection import ZoneFilter
from loaders.themes import theme_tags
from tests.known_answers import CATALOGUE, GRID, PROVINCES, ROSTER, headline_themes, theme_members


@pytest.fixture(scope="module")
def names():
    provinces = load_layer("province")
    return dict(zip(provinces.adcode, provinces.name, strict=True))


@pytest.fixture(scope="module")
def theme_names(catalogue):
    return {th.key: th.name for th in catalogue.themes}


def deck_for(zones, tags, catalogue, names, theme_names, f=None, province=None, color_mode="theme"):
    f = f or ZoneFilter()
    shown = select_zones(zones, tags, f, province, theme_names)
    return build_deck(shown, tags, catalogue, province_names=names, province=province, color_mode=color_mode,
                      scope=scope_line(f, province, theme_names, names), source="资料来源：测试")


@pytest.fixture(scope="module")
def deck(zones, tags, catalogue, names, theme_names):
    return deck_for(zones, tags, catalogue, names, theme_names)


def test_the_deck_has_an_overview_then_themes_then_each_province_with_its_zones(deck, zones, tags, catalogue):
    kinds = [s.kind for s in deck.slides]
    # expected counts read from the roster file and the theme catalogue, not from the deck's own inputs
    n_themes = len(headline_themes())
    n_provinces = len(PROVINCES)
    assert kinds[0] == "overview" and kinds.count("overview") == 1
    assert kinds[1:1 + n_themes] == ["theme"] * n_themes
    # a province with one zone: its spotlight is its slide (counted from the roster file itself)
    n_shared = sum(sum(r["province"] == p for r in ROSTER) > 1 for p in PROVINCES)
    per_province = zones.province_adcode.value_counts()
    assert n_provinces == 18 and kinds.count("province") == n_shared == 8
    assert kinds.count("zone") == len(ROSTER) == 31
    assert len(deck) == 1 + n_themes + n_shared + len(zones)
    assert set(kinds) <= set(KINDS)
    assert len({s.key for s in deck.slides}) == len(deck)  # keys are unique: ?slide and caches rely on order/keys
    # after the themes: each province slide is followed by the spotlights of exactly its zones
    current = None
    for slide in deck.slides[1 + n_themes:]:
        if slide.kind == "province":
            current = set(slide.subject)
        else:
            (zone_id,) = slide.subject
            alone = per_province[zones.province_adcode[zones.zone_id == zone_id].iloc[0]] == 1
            assert alone or zone_id in current


def test_every_spotlight_shows_its_own_zone_facts_and_map(deck, zones):
    by_id = zones.set_index("zone_id")
    spotlights = [s for s in deck.slides if s.kind == "zone"]
    assert sorted(s.subject[0] for s in spotlights) == sorted(zones.zone_id)
    for slide in spotlights:
        zone = by_id.loc[slide.subject[0]]
        assert slide.title == zone.unit_name
        assert slide.quote == zone.theme and slide.body == zone.content
        assert zone.doc_number in slide.subtitle
        assert slide.map.province == zone.province_adcode
        colours = dict(zip(slide.map.zone_ids, slide.map.colours, strict=True))
        assert colours[zone.name] == ACCENT
        assert all(c == CONTEXT_COLOR for z, c in colours.items() if z != zone.name)
        assert set(colours) == set(zones.zone_id[zones.province_adcode == zone.province_adcode])


def test_each_theme_slide_lists_exactly_the_zones_carrying_that_theme(deck, zones, tags, catalogue):
    theme_slides = {s.key.split(":")[1]: s for s in deck.slides if s.kind == "theme"}
    expected = headline_themes()
    assert list(theme_slides) == [key for key, _, _ in expected]
    for key, name, members in expected:
        slide = theme_slides[key]
        th = next(t for t in CATALOGUE["themes"] if t["key"] == key)
        assert slide.title == name
        assert {z.zone_id for z in slide.zones} == members == set(slide.subject)
        assert str(len(members)) in slide.subtitle
        colours = dict(zip(slide.map.zone_ids, slide.map.colours, strict=True))
        assert {z for z, c in colours.items() if c == th["color"]} == members
        assert slide.map.province is None  # the whole country
        assert (th["color"], th["hatch"]) in slide.map.hatches


def test_province_slides_cover_every_zone_once_with_the_province_map(deck, zones, names):
    province_slides = [s for s in deck.slides if s.kind == "province"]
    seen = [z for s in province_slides for z in s.subject]
    shared = zones.groupby("province_adcode").zone_id.transform("size") > 1
    assert sorted(seen) == sorted(zones.zone_id[shared])
    for slide in province_slides:
        code = slide.key.split(":")[1]
        assert slide.title == names[code]
        assert slide.map.province == code
        assert set(zones.province_adcode[zones.zone_id.isin(slide.subject)]) == {code}
        assert len(slide.zones) == len(slide.subject) <= MAX_ROWS
        # each row's number is the badge of its zone on the slide's map
        assert [z.number for z in slide.zones] == [str(i) for i in range(1, len(slide.zones) + 1)]
        assert dict(zip(slide.map.zone_ids, slide.map.labels, strict=True)) == {z.zone_id: z.number
                                                                                for z in slide.zones}


def test_overview_counts_come_from_the_data(deck, zones, tags, catalogue):
    overview = deck.slides[0]
    figures = dict(overview.figures)
    assert figures == {"实验区": "31", "涉及省份": "18", "批次": "1"}
    by_batch, by_theme = overview.tallies
    assert sum(t.count for t in by_batch.items) == len(zones)
    counted = {t.label: t.count for t in by_theme.items}
    themed = set().union(*(members for _, _, members in headline_themes()))
    assert counted == {**{name: len(members) for _, name, members in headline_themes()},
                       "未归入主要主题": len(ROSTER) - len(themed)}
    assert overview.map.province is None and len(overview.map.zone_ids) == 31
    assert overview.subtitle == "全部实验区"


def test_a_theme_filter_narrows_the_whole_deck(zones, tags, catalogue, names, theme_names, deck):
    f = ZoneFilter(themes=("grid",))
    narrow = deck_for(zones, tags, catalogue, names, theme_names, f)
    members = GRID
    assert theme_members("grid") == GRID  # the hand check agrees with the catalogue's phrases
    assert len(narrow) < len(deck)
    assert all(set(s.subject) <= members for s in narrow.slides)
    assert sorted(s.subject[0] for s in narrow.slides if s.kind == "zone") == sorted(members)
    assert dict(narrow.slides[0].figures)["实验区"] == str(len(members))
    assert "网格化服务管理" in narrow.scope and narrow.slides[0].subtitle == narrow.scope


def test_a_province_narrows_the_deck_and_every_map_shows_that_province(zones, tags, catalogue, names, theme_names):
    narrow = deck_for(zones, tags, catalogue, names, theme_names, province="330000")
    zhejiang = set(zones.zone_id[zones.province_adcode == "330000"])
    assert [s.kind for s in narrow.slides].count("province") == 1
    assert sorted(s.subject[0] for s in narrow.slides if s.kind == "zone") == sorted(zhejiang)
    assert {s.map.province for s in narrow.slides} == {"330000"}
    assert narrow.slides[0].title.startswith("浙江省")


def test_search_and_batch_filters_use_the_map_page_semantics(zones, tags, catalogue, names, theme_names):
    one = deck_for(zones, tags, catalogue, names, theme_names, ZoneFilter(query="禪城"))  # Traditional input
    assert [s.subject for s in one.slides if s.kind == "zone"] == [("CN-2019-24",)]
    everything = deck_for(zones, tags, catalogue, names, theme_names, ZoneFilter(batches=("2019",)))
    assert len([s for s in everything.slides if s.kind == "zone"]) == 31
    none = deck_for(zones, tags, catalogue, names, theme_names, ZoneFilter(statuses=("授牌",)))
    assert len(none) == 0 and none.scope.startswith("筛选")


def test_colour_by_batch_colours_the_overview_and_its_batch_tally(zones, tags, catalogue, names, theme_names):
    by_batch = deck_for(zones, tags, catalogue, names, theme_names, color_mode="batch")
    overview = by_batch.slides[0]
    (colour,) = set(overview.map.colours)
    assert overview.tallies[0].items[0].colour == colour != ACCENT


def test_a_long_zone_list_continues_on_the_next_slide(zones, catalogue, names):
    # corner case: every zone tagged with one theme, more than fit on one slide
    tags = theme_tags(zones, catalogue)
    extra = pd.DataFrame([{"zone_id": z, "theme_key": "grid", "theme_name": "网格化服务管理", "field": "override",
                           "phrase": "", "excerpt": "", "reason": "test"} for z in zones.zone_id])
    grid_everywhere = pd.concat([tags[tags.theme_key != "grid"], extra], ignore_index=True)
    deck = build_deck(zones, grid_everywhere, catalogue, province_names=names, scope="", source="")
    pages = [s for s in deck.slides if s.key.startswith("theme:grid")]
    assert len(pages) == math.ceil(31 / MAX_ROWS)
    assert [len(s.zones) for s in pages] == [MAX_ROWS] * (len(pages) - 1) + [31 - MAX_ROWS * (len(pages) - 1)]
    assert [s.more for s in pages] == [31 - MAX_ROWS * (i + 1) for i in range(len(pages) - 1)] + [0]
    assert pages[0].title == f"网格化服务管理（1/{len(pages)}）"
    assert sorted(z.zone_id for s in pages for z in s.zones) == sorted(zones.zone_id)


@pytest.mark.parametrize(("value", "expected"), [
    (None, (0, False)), ("", (0, False)), ("1", (0, False)), ("3", (2, False)), ("58", (57, False)),
    ("0", (0, True)), ("59", (57, True)), ("9999", (57, True)), ("-1", (0, True)), ("abc", (0, True)), ("2.5", (0, True)),
    ("²", (0, True)), ("9" * 40, (0, True)),  # too long to be a slide number at all
])
def test_slide_number_from_the_url(value, expected):
    assert slide_from_param(value, 58) == expected


def test_scope_line_names_every_active_filter(theme_names, names):
    f = ZoneFilter(query="物业", themes=("grid", "smart"), theme_mode="all", batches=("2019",),
                   programmes=("national",), statuses=("实验中",))
    line = scope_line(f, "330000", theme_names, names)
    for part in ("物业", "同时带有", "网格化服务管理", "智慧社区/信息化", "2019", "全国实验区", "实验中", "浙江省"):
        assert part in line
    assert scope_line(ZoneFilter(), None, theme_names, names) == "全部实验区"


def test_slide_map_is_a_screen_sized_png_with_the_subject_in_its_colour(deck, zones):
    slide = next(s for s in deck.slides if s.key == "theme:grid")
    png = slide_map_png(zones, slide.map)
    image = Image.open(io.BytesIO(png)).convert("RGB")
    width, height = image.size
    assert 1000 <= width <= 1400 and 1.5 < width / height < 1.8  # the map frame only, about one projector width
    pixels = np.asarray(image).reshape(-1, 3).astype(int)
    grid = np.array([round(c * 255) for c in to_rgb("#332288")])
    assert (np.abs(pixels - grid).sum(axis=1) < 30).sum() > 200  # the highlighted zones (markers and polygons)


def test_a_spotlight_on_a_merged_unit_says_the_map_shows_todays_unit(deck):
    notes = {s.subject[0]: s.note for s in deck.slides if s.kind == "zone" and not s.key.endswith("#2")}
    assert "江干区→今上城区（330102）" in notes["CN-2019-11"]  # abolished 2021, drawn as today's 上城区
    assert "崇川区→今崇川区（320613）" in notes["CN-2019-10"]  # merged with 港闸区 2020
    assert notes["CN-2019-24"] == ""  # 禅城区: unchanged, no note


def test_a_spotlight_says_when_the_recorded_status_predates_the_end_of_the_period(deck):
    spot = next(s for s in deck.slides if s.key == "zone:CN-2019-24")
    facts = dict(spot.facts)
    # 实验中 recorded 2019-03-25; the two-year period ended 2021-03-25 (this test runs after that day)
    assert facts["实验期"] == "2 年（至 2021-03-25）"
    assert facts["状态"] == "期满（未见结项记录）"


def test_a_theme_slide_map_badges_only_the_zones_it_lists(deck, zones):
    from geo.printmap.render import render_map

    slide = next(s for s in deck.slides if s.kind == "theme")
    view = zones.set_index("zone_id", drop=False).loc[list(slide.map.zone_ids)]
    fig = render_map(view, title="", province=None, source_line="", date=date.today(), dpi=60, width_in=6, key=False,
                     labels=dict(zip(slide.map.zone_ids, slide.map.labels, strict=True)))
    main = next(ax for ax in fig.axes if ax.get_label() == "main")
    badges = sorted(t.get_text() for t in main.texts if t.get_bbox_patch() is not None
                    and t.get_bbox_patch().get_edgecolor()[3] > 0)
    assert badges == sorted(z.number for z in slide.zones)


def _overlap(a, b) -> bool:
    return min(a.x1, b.x1) > max(a.x0, b.x0) and min(a.y1, b.y1) > max(a.y0, b.y0)


def assert_badges_apart(zones, spec, shape: str, where: str) -> None:
    """Every zone the slide numbers or names, that has a place on the map, has its badge; no badge touches another
    badge or a name on the map, no two names touch, and every text lies inside the frame (the PNG is the frame:
    nothing is cut off)."""
    fig, badges = draw_slide_map(zones, spec, shape=shape)
    renderer = fig.canvas.get_renderer()
    main = next(ax for ax in fig.axes if ax.get_label() == "main")
    frame = main.get_window_extent(renderer)
    by_id = zones.set_index("zone_id")
    expected = sorted(label for z, label in zip(spec.zone_ids, spec.labels, strict=True)
                      if label and by_id.loc[z].joined and not np.isnan(by_id.loc[z].marker_lon)
                      and (spec.province is None or by_id.loc[z].province_adcode == spec.province))
    assert sorted(t.get_text() for t in badges) == expected, (where, shape)
    boxes = [badge_box(t, renderer) for t in badges]
    names = [t.get_window_extent(renderer) for t in main.texts if t not in badges]
    for i, (t, box) in enumerate(zip(badges, boxes, strict=True)):
        assert frame.x0 <= box.x0 and frame.y0 <= box.y0 and box.x1 <= frame.x1 and box.y1 <= frame.y1, \
            (where, shape, t.get_text())
        assert not any(_overlap(box, other) for other in boxes[i + 1:]), (where, shape, t.get_text())
        assert not any(_overlap(box, name) for name in names), (where, shape, t.get_text())
    for i, name in enumerate(names):
        assert frame.x0 <= name.x0 and frame.y0 <= name.y0 and name.x1 <= frame.x1 and name.y1 <= frame.y1, \
            (where, shape, "name", i)
        assert not any(_overlap(name, other) for other in names[i + 1:]), (where, shape, "names", i)


def distinct_maps(deck) -> dict:
    """Each map of a deck once (a list's continuation slides repeat their first slide's map), with a slide key."""
    out = {}
    for slide in deck.slides:
        if slide.map is not None and slide.map.labels:
            out.setdefault(slide.map, slide.key)
    return out


def test_badges_on_every_map_of_the_2019_deck_neither_collide_nor_leave_the_frame(deck, zones):
    """All 48 maps of the 31-unit deck (every theme, province and spotlight), in both shapes: ≈ 40 s."""
    maps = distinct_maps(deck)
    assert set(maps.values()) >= {s.key for s in deck.slides if s.kind in ("theme", "province", "zone")
                                  and "#" not in s.key}
    for spec, key in maps.items():
        for shape in SHAPES:
            assert_badges_apart(zones, spec, shape, key)


@pytest.fixture(scope="module")
def full_deck(all_zones, catalogue, names):
    tags = theme_tags(all_zones, catalogue)
    return build_deck(all_zones, tags, catalogue, province_names=names, scope="", source="")


def test_badges_on_the_most_crowded_maps_of_the_whole_roster(full_deck, all_zones):
    """The whole roster's deck is 127 slides (≈ 2 min to draw every map twice); its most crowded maps are drawn
    here: 甘肃省 (17 zones, 15 with a boundary, 2 listed as not on the map), each national theme map, and the
    spotlight with the longest unit name (积石山…自治县, named 积石山县 on its map)."""
    keys = ["province:620000", "zone:GS-2020-15"] + [s.key for s in full_deck.slides if s.kind == "theme"
                                                    and "#" not in s.key]
    for key in keys:
        spec = full_deck.slides[full_deck.index_of(key)].map
        for shape in SHAPES:
            assert_badges_apart(all_zones, spec, shape, key)


def test_gansu_rows_are_numbered_only_where_the_map_has_a_badge(full_deck, all_zones):
    pages = [s for s in full_deck.slides if s.key.startswith("province:620000")]
    rows = [z for s in pages for z in s.zones]
    assert len(pages) == 4 and len(rows) == 17
    unmapped = {z.zone_id for z in rows if not z.number}
    assert unmapped == set(all_zones.zone_id[(all_zones.province == "甘肃省") & all_zones.marker_lon.isna()])
    assert {"GS-2020-02", "GS-2020-16"} <= unmapped  # 钢城街道 and 兰州新区中川园区: no county-level boundary
    assert [z.number for z in rows if z.number] == [str(i) for i in range(1, 16)]
    assert all(z.detail.startswith("图上未标出") for z in rows if not z.number)


def test_the_png_carries_the_badges_it_shows(deck, zones):
    """labels_of reads back what was drawn: boxes inside the image, at the shape's type size."""
    spec = next(s for s in deck.slides if s.kind == "province").map
    for shape, frame in SHAPES.items():
        png = slide_map_png(zones, spec, shape=shape)
        placed = labels_of(png)
        image = Image.open(io.BytesIO(png))
        assert (placed.width, placed.height) == image.size
        assert placed.font_px == pytest.approx(frame.label_pt * frame.dpi / 72, abs=0.01)
        assert sorted(p.text for p in placed.labels) == sorted(x for x in spec.labels if x)
        for p in placed.labels:
            x0, y0, x1, y1 = p.box
            assert 0 <= x0 < x1 <= image.width and 0 <= y0 < y1 <= image.height
            assert y1 - y0 > placed.font_px  # the badge's box holds its type


def test_a_spotlight_names_its_zone_on_the_map_and_in_the_legend(full_deck):
    spot = full_deck.slides[full_deck.index_of("zone:GS-2020-15")]
    assert [x for x in spot.map.labels if x] == ["积石山县"]
    assert spot.legend[0].label == "积石山县"


def test_the_national_slide_map_shows_the_south_china_sea_once(deck, zones):
    """Wide: the mainland with the 南海诸岛 inset, the far south off the map. Tall (a 4:3 projector): the full
    extent, the islands and their dashed line on the map itself, and no inset (it showed the sea a second time)."""
    spec = deck.slides[0].map
    assert spec.province is None
    south = lay.inset_extent()
    for shape, inset_count in (("wide", 1), ("tall", 0)):
        fig, _ = draw_slide_map(zones, spec, shape=shape)
        main = next(ax for ax in fig.axes if ax.get_label() == "main")
        assert len(fig.axes) - 1 == inset_count, shape
        (x0, x1), (y0, y1) = main.get_xlim(), main.get_ylim()
        m = 1.0  # metres of rounding in set_extent
        holds_the_south = x0 <= south.xmin + m and south.xmax <= x1 + m and y0 <= south.ymin + m and south.ymax <= y1 + m
        assert holds_the_south == (shape == "tall"), (shape, (x0, y0, x1, y1), south)
        if shape == "wide":  # grown to the slide's shape northwards only: no sea running off the bottom edge
            assert y0 >= lay.national_extent().padded(0.05).ymin, y0
