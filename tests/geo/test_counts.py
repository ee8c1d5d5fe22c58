"""One meaning for each count: the zones carrying a theme, whichever page or export a figure is read from.

Every path a user reads a theme count from — map legend, print legend, zone list and its CSV, compare page
figures and side-by-side profiles, briefing overview, theme and province slides, the print CLI's legend — is
computed here on the real roster and compared with the count of zones whose tags include the theme.
"""

from __future__ import annotations

import io
from collections import Counter

import pandas as pd
import pytest

from geo.boundaries.cache import load_layer, units_table
from geo.deck.slides import build_deck
from geo.stats.compare import compare_provinces, province_figures
from geo.stats.counts import theme_counts
from geo.styling import styles_by_theme
from loaders.i18n import text
from loaders.roster import load_batches
from loaders.safe_export import to_csv_bytes
from loaders.selection import ZoneFilter, apply_filter, zone_table
from loaders.themes import filter_zone_ids, tags_by_zone


@pytest.fixture(scope="module")
def names():
    provinces = load_layer("province")
    return dict(zip(provinces.adcode, provinces.name, strict=True))


@pytest.fixture(scope="module")
def carrying(tags):
    """The definition, spelled out without geo.stats.counts: distinct zones whose tags include the theme."""
    return {k: len(set(tags.zone_id[tags.theme_key == k])) for k in set(tags.theme_key)}


def test_the_count_is_zones_carrying_the_theme_not_zones_coloured_by_it(zones, tags, catalogue, carrying):
    assert theme_counts(tags, zones.zone_id) == carrying
    styles, _ = styles_by_theme(zones, tags, catalogue)
    coloured = Counter(s.group for s in styles.values())
    party = catalogue.by_key()["party"]
    # 党建引领 is the first headline theme of fewer zones than carry it: the old legend said the smaller number
    assert coloured[party.name] < carrying["party"]


def test_map_and_print_legends_give_the_carrying_count(zones, tags, catalogue, carrying):
    _, legend = styles_by_theme(zones, tags, catalogue)
    by_key = {e.key: e.count for e in legend if e.key}
    assert by_key and all(by_key[k] == carrying[k] for k in by_key)


def test_zone_list_and_its_csv_count_the_same(zones, tags, catalogue, carrying):
    names = {th.key: th.name for th in catalogue.themes}
    tag_names = {z: "、".join(names[k] for k in keys) for z, keys in tags_by_zone(tags).items()}
    csv = pd.read_csv(io.BytesIO(to_csv_bytes(zone_table(zones, tag_names))), dtype=str, keep_default_na=False)
    for key, name in names.items():
        listed = sum(name in cell.split("、") for cell in csv["tags"])
        assert listed == carrying.get(key, 0), name


def test_compare_page_figures_and_profiles_count_the_same(zones, tags, catalogue, carrying):
    figures = province_figures(zones, tags, catalogue, units_table(), load_batches())
    for th in catalogue.themes:
        assert int(figures[f"theme:{th.key}"].fillna(0).sum()) == carrying.get(th.key, 0), th.name
    codes = sorted(set(zones.province_adcode.dropna()))
    summed = Counter()
    for p in (p for i in range(0, len(codes), 4) for p in compare_provinces(codes[i:i + 4] if len(codes[i:i + 4])
                                                                          > 1 else codes[i - 1:i + 1], zones, tags)
              if p.adcode in codes[i:i + 4]):
        summed.update(dict(zip(p.themes.theme_key, p.themes.zones, strict=True)))
    assert dict(summed) == carrying


def test_briefing_overview_theme_and_province_slides_count_the_same(zones, tags, catalogue, carrying, names):
    deck = build_deck(zones, tags, catalogue, province_names=names, scope="", source="")
    overview = deck.slides[0]
    by_theme = {t.label: t.count for t in overview.tallies[1].items}
    for th in catalogue.themes:
        if th.headline and th.key in carrying:
            assert by_theme[th.name] == carrying[th.key]
            slide = next(s for s in deck.slides if s.key == f"theme:{th.key}")
            assert slide.legend[0].count == carrying[th.key]
    per_province = Counter()
    for s in deck.slides:
        if s.kind == "province" and "#" not in s.key:
            per_province.update({item.label: item.count for item in s.legend if item.label != text("common.no_headline_theme")})
    headline = {th.name: th.key for th in catalogue.themes if th.headline}
    # a province legend lists the themes its zones are coloured by; where listed, the count is the carrying one
    for label, n in per_province.items():
        assert n <= carrying[headline[label]]


def test_a_theme_filtered_view_legends_that_theme_with_its_count(zones, tags, catalogue, carrying, names):
    shown = apply_filter(zones, ZoneFilter(themes=("party",)), filter_zone_ids(tags, ("party",)))
    _, legend = styles_by_theme(shown, tags, catalogue, ("party",))
    assert [(e.key, e.count) for e in legend] == [("party", carrying["party"])]
    deck = build_deck(shown, tags, catalogue, province_names=names, scope="", source="", focus=("party",))
    for s in deck.slides:
        if s.kind == "province":
            assert {item.label for item in s.legend} == {"党建引领"}, s.key


def test_print_cli_legend_counts_the_same(carrying):
    from geo.printmap.cli import filter_theme
    from loaders.roster import load_roster

    roster, entry = filter_theme(load_roster().zones, "党建引领")
    assert len(roster) == carrying["party"] and entry[0] == "党建引领"
