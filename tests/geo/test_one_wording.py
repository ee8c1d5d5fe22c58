"""One wording per meaning (issue 16 item 2): the zones that carry none of the numbered headline themes have one
name and one count on the map legend, the print legend and the briefing; no label nests brackets."""

from __future__ import annotations

from datetime import date

import pytest

from geo.boundaries.cache import load_layer
from geo.deck.slides import build_deck
from geo.printmap.render import render_map
from geo.stats.compare import completeness
from geo.stats.counts import count_label
from geo.styling import OTHER_COLOR, styles_by_theme
from loaders.i18n import text
from loaders.programmes import batch_name
from loaders.roster import load_batches
from loaders.themes import theme_tags
from tests.chinese_words import dataclass_strings, nested_brackets

NO_HEADLINE = text("common.no_headline_theme")


@pytest.fixture(scope="module")
def every_zone(all_zones, catalogue):
    """The whole bundled roster (90 rows) and its theme tags."""
    return all_zones, theme_tags(all_zones, catalogue)


@pytest.fixture(scope="module")
def names():
    provinces = load_layer("province")
    return dict(zip(provinces.adcode, provinces.name, strict=True))


@pytest.fixture(scope="module")
def deck(every_zone, catalogue, names):
    """The briefing deck for the whole roster, with its 名单完整度 slides, as ui.cached.briefing_deck builds it."""
    zones, tags = every_zone
    counts = completeness(zones, load_batches())
    counts = counts[counts.known > 0]
    batch_counts = tuple(zip(counts.programme, counts.batch.map(batch_name), counts.sentence.str.split("：").str[-1],
                             strict=True))
    return build_deck(zones, tags, catalogue, province_names=names, scope="", source="", batch_counts=batch_counts)


def test_map_legend_print_legend_and_briefing_name_the_zones_without_a_headline_theme_alike(every_zone, catalogue,
                                                                                           deck):
    zones, tags = every_zone
    _, legend = styles_by_theme(zones, tags, catalogue)
    on_map = [e for e in legend if e.color == OTHER_COLOR]
    assert [e.label for e in on_map] == [NO_HEADLINE] and on_map[0].count > 0
    count = on_map[0].count

    # the print legend: what ui.cached.print_snapshot hands geo.printmap, as matplotlib draws it
    fig = render_map(zones, title="全国", legend=[(count_label(e.label, e.count), e.color, e.hatch) for e in legend],
                     source_line="", date=date(2026, 11, 30), dpi=50, key=False)
    printed = [t.get_text() for ax in fig.axes if ax.get_legend() for t in ax.get_legend().get_texts()]
    assert f"{NO_HEADLINE}（{count}）" in printed

    # the briefing overview's 按主要实验主题 tally
    tallies = [t for group in deck.slides[0].tallies for t in group.items if t.colour == OTHER_COLOR]
    assert [(t.label, t.count) for t in tallies] == [(NO_HEADLINE, count)]


def test_no_term_but_one_for_those_zones_in_the_strings():
    """The words the map once used (其他主题) are gone from every strings file."""
    from loaders.i18n import catalogue

    assert not [k for k, v in catalogue().items() if "其他主题" in v]


def test_no_slide_label_nests_brackets(deck):
    """The 名单完整度 slide named a batch 第一批（全国实验区（城市社区））: now 全国实验区（城市社区）·第一批."""
    found = {s.key: nested_brackets("\n".join(dataclass_strings(s))) for s in deck.slides}
    assert not {k: v for k, v in found.items() if v}
    kinds = {s.kind for s in deck.slides}
    assert "batches" in kinds  # the slide the brackets were found on is among those walked
