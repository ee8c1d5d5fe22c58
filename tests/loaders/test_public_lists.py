"""The public zone lists (data/sources/public-lists, from ../shared/data/rosters) as the product imported them:
each list's counts, a few units' codes, partial dates, statuses over time, results and confidence."""

from pathlib import Path

import pandas as pd
import pytest

from geo.stats.compare import completeness
from loaders.history import count_places, designations_of, status_history, with_results, zones_active_in
from loaders.importer import draft_import
from loaders.partial_dates import date_bounds, format_partial_date
from loaders.programmes import level_of, programme_of, programme_style
from loaders.provenance import source_of, source_table
from loaders.resolver import resolve_unit
from loaders.roster import load_batches, load_roster, period_end, period_end_text, validate_roster
from loaders.roster_draft import period_years_of
from loaders.themes import load_themes, theme_tags

LISTS = Path("data/sources/public-lists")


@pytest.fixture(scope="module")
def roster():
    return load_roster().zones


def by_id(roster, zone_id):
    return roster.set_index("zone_id").loc[zone_id].rename(zone_id).to_frame().T.assign(zone_id=zone_id).iloc[0]


@pytest.mark.parametrize(("file", "rows", "defaults", "joined", "not_county"), [
    ("national-batch1.csv", (), {"programme": "national", "batch": "第一批", "approved_on": "2011/2012"}, 12, 0),
    ("national-batch2-fragments.csv", (1, 5, 6), {"programme": "national", "batch": "第二批",
                                                  "approved_on": "2014-01"}, 3, 0),
    ("national-batch2-fragments.csv", (2, 3, 4), {"programme": "national", "batch": "批次不详",
                                                  "approved_on": "/2017-03"}, 3, 0),
    ("national-batch3-partial.csv", (), {"programme": "national", "batch": "第三批", "approved_on": "2015"}, 10, 0),
    ("provincial-gansu-2020.csv", (), {"programme": "provincial_gs", "batch": "甘肃首批"}, 14, 2),
    ("provincial-hubei-2019.csv", (), {"programme": "provincial_hb", "batch": "湖北第二批", "approved_on": "2019"},
     10, 0),
    ("provincial-zhejiang-2-partial.csv", (), {"programme": "provincial_zj", "batch": "浙江第二批",
                                               "approved_on": "/2021-06"}, 1, 3),
])
def test_each_list_imports_every_row_and_a_second_import_doubles_nothing(file, rows, defaults, joined, not_county):
    report, draft = draft_import(LISTS / file, defaults, rows=rows,
                                 skip=("period_years",) if file.startswith("national-batch2") else ())
    assert report.counts["joined"] == joined and report.counts["not_county_level"] == not_county
    assert report.rows_read == joined + not_county  # no row ambiguous, unresolved or rejected
    assert draft.problems == []
    # the lists are on the bundled roster already (data/sources/public-lists/import.sh): importing one again
    # updates its rows and adds none
    assert draft.new == 0 and len(draft.updates) == joined + not_county


def test_batches_say_known_over_official_size_never_a_bare_count(roster):
    table = completeness(roster, load_batches()).set_index("batch")
    assert table.loc["第一批", ["known", "official_size"]].tolist() == [12, 12]
    assert table.loc["第二批", ["known", "official_size"]].tolist() == [3, 31]
    assert table.loc["第三批", ["known", "official_size"]].tolist() == [10, 40]
    assert table.loc["2019", ["known", "official_size"]].tolist() == [31, 31]
    assert table.loc["甘肃首批", ["known", "official_size"]].tolist() == [16, 16]
    assert table.loc["湖北第二批", ["known", "official_size"]].tolist() == [10, 10]
    assert table.loc["浙江第二批", "known"] == 4 and pd.isna(table.loc["浙江第二批", "official_size"])
    assert table.loc["批次不详", "known"] == 4 and pd.isna(table.loc["批次不详", "official_size"])
    assert "已录入 10/40" in table.loc["第三批", "sentence"]
    assert "官方总数未知" in table.loc["浙江第二批", "sentence"]


def test_tongguanshan_is_designated_340702_and_drawn_as_tongguan_340705(roster):
    z = roster[roster.county == "铜官山区"].iloc[0]
    assert (z.designated_adcode, z.current_adcodes, z.batch) == ("340702", "340705", "第一批")


def test_qinhuai_before_2013_is_the_old_district_and_the_roster_says_it_grew():
    before = resolve_unit("江苏省", "南京市", "秦淮区", year=2011)
    after = resolve_unit("江苏省", "南京市", "秦淮区", year=2014)
    assert before.adcodes == after.adcodes == ("320104",)
    assert any("白下区" in n and "2013" in n for n in before.notes)  # 白下区 merged in: today's area is larger
    assert not any("白下区" in n for n in after.notes)  # designated after the merger: the same unit as today


@pytest.mark.parametrize(("unit", "designated", "current"), [
    ("福建省厦门市", "350200", "350200"),  # batch 2: the whole city
    ("福建省厦门市海沧区", "350205", "350205"),
    ("甘肃省临夏回族自治州积石山保安族东乡族撒拉族自治县", "622927", "622927"),
    ("湖北省鄂州市", "420700", "420700"),
])
def test_units_keep_their_codes(roster, unit, designated, current):
    z = roster[roster.unit_name == unit].iloc[0]
    assert (z.designated_adcode, z.current_adcodes) == (designated, current)


def test_streets_towns_and_parks_are_kept_with_their_parent_and_no_polygon(roster):
    street = roster[roster.parent_adcode != ""].set_index("unit_name")
    assert street.loc["甘肃省嘉峪关市钢城街道", "parent_adcode"] == "620200"
    assert street.loc["浙江省宁波市宁海县力洋镇", "parent_adcode"] == "330226"
    assert (street.current_adcodes == "").all() and len(street) == 5


def test_partial_dates_keep_what_is_known():
    assert format_partial_date("2011/2012") == "2011年—2012年"
    assert format_partial_date("2014-01") == "2014年1月"
    assert format_partial_date("/2017-03") == "2017年3月前"
    assert date_bounds("2015").latest.isoformat() == "2015-12-31"
    assert date_bounds("2011-2012") is None and date_bounds("2019-02-30") is None
    assert period_end("2015", 3).isoformat() == "2018-12-31"  # the latest the period can end
    assert period_end_text("2011/2012", 3) == "2014年—2015年"
    assert period_end("/2017-03", 2) is None  # no start known: no end either


def test_the_schema_accepts_partial_dates_and_refuses_made_up_forms(roster):
    rows = roster[roster.batch == "第一批"].head(3).astype(str).reset_index(drop=True)
    rows["period_years"] = "3"
    rows.iloc[1, rows.columns.get_loc("approved_on")] = "2011年"
    rows.iloc[2, rows.columns.get_loc("approved_on")] = "2011-2012"
    checked = validate_roster(rows)
    assert len(checked.zones) == 1 and {p.row for p in checked.problems} == {2, 3}


@pytest.mark.parametrize(("text", "years"), [("3 years", "3"), ("2年", "2"), ("两年", "2"),
                                             ("2015-07 to 2018-06", "3"), ("2019-07 to 2021-06", "2"),
                                             ("2014 to 2016", "2014 to 2016")])
def test_period_years_are_read_from_what_sources_write_and_not_guessed(text, years):
    assert period_years_of(text) == years


def test_the_network_grows_year_by_year(roster):
    sizes = {y: len(zones_active_in(roster, y)) for y in (2011, 2012, 2016, 2020)}
    assert sizes == {2011: 0, 2012: 12, 2016: 26, 2020: 86}
    y2016 = zones_active_in(roster, 2016).set_index("unit_name")
    assert y2016.loc["安徽省铜陵市铜官山区", "status_in_year"] == "结项验收"  # accepted 2015-10
    assert y2016.loc["北京市西城区", "status_in_year"] == "实验中"
    assert "黑龙江省哈尔滨市南岗区" not in y2016.index  # known only to exist by 2017-03


def test_status_history_has_each_step_with_date_and_source(roster):
    steps = status_history(by_id(roster, "CN-2011-08"))
    assert [(s.step, s.when_shown) for s in steps] == [("确认", "2011年—2012年"), ("实验中", "2011年—2012年"),
                                                        ("结项验收", "2015年10月")]
    assert all("中国网" in s.source for s in steps)


def test_renewed_2019_zones_show_their_earlier_acceptance(roster):
    xuhui = roster[roster.unit_name == "上海市徐汇区"].iloc[0]
    first = status_history(xuhui)[0]
    assert first.step == "结项验收" and first.when_shown == "2019-03-25前" and "民函〔2019〕41号" in first.source


def test_2019_results_are_quoted_on_the_card_and_support_theme_tags(roster):
    steps = status_history(by_id(roster, "CN-2019-01"))
    results = [s for s in steps if s.step == "成果通报"]
    assert len(results) == 1 and results[0].detail.startswith("探索健全居民自治工作机制：")
    assert "老街坊" in results[0].detail and "mzj.smx.gov.cn" in results[0].url
    unread = [s for s in status_history(by_id(roster, "CN-2019-02")) if s.step == "成果通报"]
    assert "未读到" in unread[0].detail  # 天津市河北区: the notice names it, its paragraph was not read
    tags = theme_tags(with_results(roster[roster.batch == "2019"]), load_themes())
    chongchuan = tags[(tags.zone_id == "CN-2019-10") & (tags.field == "results")]
    assert "居民参与" in chongchuan.excerpt.iloc[0]


def test_every_row_has_a_registered_source_with_its_confidence(roster):
    table = source_table(roster)
    assert table.rows.sum() == len(roster)
    assert set(table.confidence) == {"high", "medium", "low"}
    low = source_of(roster[roster.unit_name == "天津市和平区"].iloc[0])
    assert low["confidence"] == "low" and "未经证实" in low["title"]


def test_programmes_are_data_and_provincial_zones_are_outlined(roster):
    assert programme_of("甘肃省城乡社区治理创新实验区 (省级)") == "provincial_gs"
    assert programme_of("全国社区治理和服务创新实验区") == "national"
    assert programme_of("省级", "吉林省民政厅") == "provincial"  # no programme of its own: the generic one
    assert programme_style("national").fill and not programme_style("provincial_hb").fill
    assert programme_style("provincial_hb").dash
    assert {level_of(p) for p in roster.programme} == {"national", "provincial"}


def test_a_place_designated_twice_is_one_place_with_two_designations(roster):
    jianghan = roster[roster.unit_name == "湖北省武汉市江汉区"].iloc[0]
    national = jianghan.copy()
    national[["zone_id", "programme", "batch", "approved_on"]] = ["CN-2015-99", "national", "第三批", "2015"]
    both = pd.concat([roster, national.to_frame().T], ignore_index=True)
    listed = designations_of(jianghan, both)
    assert listed.zone_id.tolist() == ["CN-2015-99", jianghan.zone_id]  # oldest first
    places, designations = count_places(both)
    assert designations == places + 1
