"""What a user downloads is Chinese too (issue 16 item 6): the zone list, the compare table and the side-by-side
comparison as CSV, built from the whole bundled roster, hold no internal code (national, provincial_gs…) and no
English header; the strings files name no join method, level or datum by its code (exact, historic, EPSG:4326)."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from geo.boundaries.cache import load_layer, units_table
from geo.deck.slides import build_deck
from geo.stats.compare import (
    batch_overview,
    column_labels,
    compare_provinces,
    comparison_table,
    province_figures,
)
from loaders.i18n import catalogue as strings
from loaders.i18n import text
from loaders.roster import load_batches
from loaders.safe_export import to_csv_bytes
from loaders.selection import zone_table
from loaders.themes import tags_by_zone, theme_tags
from tests.chinese_words import dataclass_strings, latin_words_in_context


@pytest.fixture(scope="module")
def every_tag(all_zones, catalogue):
    return theme_tags(all_zones, catalogue)


def csv_text(table: pd.DataFrame) -> str:
    """The CSV a user downloads, as text (header and every cell)."""
    return io.BytesIO(to_csv_bytes(table)).read().decode("utf-8-sig")


def assert_chinese(table: pd.DataFrame, what: str) -> None:
    found = latin_words_in_context(csv_text(table))
    assert not found, f"{what}:\n" + "\n".join(f"  {w}: …{c}…" for w, c in found)


def test_zone_list_csv(all_zones, catalogue, every_tag):
    names = {th.key: th.name for th in catalogue.themes}
    tag_names = {z: "、".join(names[k] for k in keys) for z, keys in tags_by_zone(every_tag).items()}
    table = zone_table(all_zones, tag_names).rename(columns=lambda c: text(f"map.columns.{c}"))
    assert_chinese(table, "zone list CSV")


def test_compare_table_csv(all_zones, catalogue, every_tag):
    figures = province_figures(all_zones, every_tag, catalogue, units_table(), load_batches())
    table = figures.drop(columns=["no_data"]).rename(columns=column_labels(figures, catalogue))
    assert_chinese(table, "compare table CSV")


def test_side_by_side_csv_names_each_programme(all_zones, every_tag):
    """Hubei, Gansu and Zhejiang have provincial zones: their 项目 column said provincial_hb, provincial_gs…"""
    profiles = compare_provinces(["110000", "420000", "620000", "330000"], all_zones, every_tag)
    table = comparison_table(profiles).rename(columns=lambda c: text(f"compare.columns.{c}"))
    assert_chinese(table, "side-by-side CSV")
    assert {"省级实验区（湖北）", "省级实验区（甘肃）", "省级实验区（浙江）"} <= set(table["项目"])


def test_strings_name_no_code():
    found = {k: v for k, v in strings().items()
             if any(code in v for code in ("EPSG", "4326", "exact", "historic", "national", "provincial"))}
    assert not found


def test_about_batch_table_gives_the_basis_of_each_size_not_our_file_names(all_zones):
    table = batch_overview(all_zones, load_batches())
    assert not [s for s in table.source if ".csv" in s or "导入" in s]
    first = table[table.batch == "第一批"].iloc[0]
    assert first.source == "中国网 2015-10-09：第一批12个实验区通过结项验收"  # data/batches.csv, after 总数依据：


def test_every_briefing_slide_is_chinese(all_zones, catalogue, every_tag):
    """Every slide of the deck for the whole roster (the browser walk sees the first): titles, legends, zone rows."""
    # what the deck keeps for itself, never printed: ids, kinds, colours, hatches, the map's drawing spec
    internal = frozenset({"kind", "key", "zone_id", "colour", "color", "hatch", "map", "subject"})
    provinces = load_layer("province")
    deck = build_deck(all_zones, every_tag, catalogue, province_names=dict(zip(provinces.adcode, provinces.name,
                                                                                 strict=True)), scope="", source="")
    found = {s.key: latin_words_in_context("\n".join(dataclass_strings(s, internal))) for s in deck.slides}
    assert not {k: v for k, v in found.items() if v}
