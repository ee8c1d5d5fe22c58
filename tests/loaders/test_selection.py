"""Filters and search select the right zones; values from a URL that are not options are dropped and reported."""

import pytest

from loaders.roster import load_roster
from loaders.selection import FilterOptions, ZoneFilter, apply_filter, sanitise, search_mask
from tests.known_answers import GRID


@pytest.fixture(scope="module")
def zones():
    return load_roster().zones.query("batch == '2019'").reset_index(drop=True)


@pytest.mark.parametrize(
    ("query", "expected"),
    [("禅城", {"广东省佛山市禅城区"}), ("石景山", {"北京市石景山区"}), ("衢州", {"浙江省衢州市"})],
)
def test_search_finds_by_part_of_a_name(zones, query, expected):
    assert set(zones[search_mask(zones, query)].unit_name) == expected


def test_search_reads_theme_and_content_and_traditional_input(zones):
    simp = set(zones[search_mask(zones, "网格")].zone_id)
    trad = set(zones[search_mask(zones, "網格")].zone_id)
    assert simp == trad == GRID  # the three units whose theme or content names 网格 (tests/known_answers.py)
    assert all(("网格" in r.theme or "网格" in r.content) for r in zones[zones.zone_id.isin(simp)].itertuples())


def test_filters_combine(zones):
    zones = zones.assign(province_adcode=["110000"] + ["320000"] * 30)
    # every 2019 period (two years) has ended with no later status: the filter reads the status as of today
    f = ZoneFilter(provinces=("320000",), batches=("2019",), statuses=("期满（未见结项记录）",))
    out = apply_filter(zones, f)
    assert len(out) == 30
    assert set(out.status) == {"实验中"} and "CN-2019-01" not in set(out.zone_id)
    assert apply_filter(zones, ZoneFilter(statuses=("实验中",))).empty
    assert apply_filter(zones, ZoneFilter(batches=("2020",))).empty


def test_unknown_url_values_are_dropped_and_reported():
    opts = FilterOptions(themes=("sanshe",), batches=("2019",), programmes=("national",), provinces=("110000",),
                         statuses=("实验中",))
    f, dropped = sanitise(ZoneFilter(themes=("sanshe", "<script>"), batches=("1999",), theme_mode="xx"), opts)
    assert f.themes == ("sanshe",) and f.batches == () and f.theme_mode == "any"
    assert set(dropped) == {"<script>", "1999", "xx"}


def test_oversized_query_is_cut_and_reported():
    f, dropped = sanitise(ZoneFilter(query="网" * 500), FilterOptions())
    assert len(f.query) == 60 and dropped
