"""Provincial figures: counts that match 民函〔2019〕41号, every province present, coverage rules, safe exports."""

import io

import openpyxl
import pandas as pd
import pytest

from geo.boundaries.cache import units_table
from geo.stats.compare import (
    compare_provinces,
    comparison_table,
    completeness,
    covered_county_units,
    province_figures,
    theme_matrix,
    unplaced_zones,
)
from loaders.roster import load_batches
from loaders.safe_export import to_csv_bytes, to_excel_bytes

# Counted by hand from the attachment table of seeds/000 (民函〔2019〕41号, rows 1–31), province by province:
# 北京 1 石景山; 天津 2 河北区; 辽宁 3 和平区; 黑龙江 4 岭东区; 上海 5 徐汇 6 长宁; 江苏 7 雨花台 8 溧水 9 鼓楼
# 10 崇川; 浙江 11 江干 12 越城 13 衢州市; 安徽 14 包河; 江西 15 西湖; 山东 16 芝罘 17 滨城; 河南 18 魏都;
# 湖北 19 江岸 20 宜都市 21 咸宁市; 湖南 22 天心 23 天元; 广东 24 禅城; 重庆 25 江北; 四川 26 金牛 27 新都
# 28 邛崃市; 陕西 29 莲湖 30 榆阳; 甘肃 31 肃州. The 18 provinces match the addressees of the approval.
DOCUMENT_2019 = {
    "北京市": 1, "天津市": 1, "辽宁省": 1, "黑龙江省": 1, "上海市": 2, "江苏省": 4, "浙江省": 3, "安徽省": 1,
    "江西省": 1, "山东省": 2, "河南省": 1, "湖北省": 3, "湖南省": 2, "广东省": 1, "重庆市": 1, "四川省": 3,
    "陕西省": 2, "甘肃省": 1,
}


# zones, catalogue and tags: the shared real-data fixtures of tests/geo/conftest.py


@pytest.fixture(scope="module")
def figures(zones, tags, catalogue):
    return province_figures(zones, tags, catalogue, units_table(), load_batches())


def test_document_table_sums_to_31():
    assert sum(DOCUMENT_2019.values()) == 31 and len(DOCUMENT_2019) == 18


def test_2019_batch_counts_per_province_match_the_document(figures):
    by_name = figures.set_index("name")
    for name, n in DOCUMENT_2019.items():
        assert by_name.at[name, "batch:2019"] == n, name
        assert by_name.at[name, "zones"] == n, name
        assert by_name.at[name, "national"] == n and by_name.at[name, "provincial"] == 0, name
    assert int(figures["batch:2019"].sum()) == 31


def test_all_34_provinces_appear_including_those_without_zones(figures):
    assert len(figures) == 34 and figures.adcode.is_unique
    by_name = figures.set_index("name")
    assert by_name.at["河北省", "zones"] == 0
    assert by_name.at["西藏自治区", "zones"] == 0
    assert by_name.at["河北省", "coverage"] == 0
    zero = figures[(figures["zones"] == 0) & ~figures.no_data]
    assert len(zero) == 34 - 18 - 1


def test_taiwan_is_flagged_no_data_not_zero(figures):
    tw = figures.set_index("adcode").loc["710000"]
    assert tw["name"] == "台湾省"
    assert bool(tw["no_data"]) and tw["note"] == "资料暂缺"
    assert pd.isna(tw["zones"]) and pd.isna(tw["coverage"]) and pd.isna(tw["county_units"])
    assert figures.no_data.sum() == 1


def test_county_units_come_from_the_boundary_data(figures):
    by_name = figures.set_index("name")
    assert by_name.at["北京市", "county_units"] == 16  # Beijing's 16 districts
    assert by_name.at["浙江省", "county_units"] == 90  # as drawn by the map page's drill-down


def test_whole_prefecture_zones_cover_all_their_counties(zones, figures):
    covered = covered_county_units(zones, units_table())
    quzhou = covered[covered.zone_id == "CN-2019-13"]  # 浙江省衢州市: 柯城 衢江 江山 常山 开化 龙游
    assert len(quzhou) == 6 and set(quzhou.county_adcode.str[:4]) == {"3308"}
    by_name = figures.set_index("name")
    assert by_name.at["浙江省", "covered_counties"] == 2 + 6  # 江干(now 上城), 越城 + the six of 衢州
    assert by_name.at["湖北省", "covered_counties"] == 2 + 6  # 江岸, 宜都 + 咸宁's six
    assert by_name.at["浙江省", "coverage"] == round(100 * 8 / 90, 1)


def _units():
    rows = [
        ("100000", "甲省", "province", "100000", "甲省", None, None),
        ("101000", "子市", "prefecture", "100000", "甲省", "101000", "子市"),
        ("101001", "一区", "county", "100000", "甲省", "101000", "子市"),
        ("101002", "二区", "county", "100000", "甲省", "101000", "子市"),
        ("101003", "三县", "county", "100000", "甲省", "101000", "子市"),
        ("102000", "丑市", "prefecture", "100000", "甲省", "102000", "丑市"),
        ("102001", "四区", "county", "100000", "甲省", "102000", "丑市"),
        ("102002", "五县", "county", "100000", "甲省", "102000", "丑市"),
        ("200000", "乙北省", "province", "200000", "乙北省", None, None),
        ("201001", "六区", "county", "200000", "乙北省", "201000", "寅市"),
        ("201002", "七区", "county", "200000", "乙北省", "201000", "寅市"),
        ("201003", "八区", "county", "200000", "乙北省", "201000", "寅市"),
        ("201004", "九区", "county", "200000", "乙北省", "201000", "寅市"),
        ("710000", "台湾省", "province", "710000", "台湾省", None, None),
    ]
    cols = ["adcode", "name", "level", "province_adcode", "province", "prefecture_adcode", "prefecture"]
    return pd.DataFrame(rows, columns=cols)


def _zone(zone_id, level, codes, province, batch="2020", programme="national", name=None):
    return {
        "zone_id": zone_id, "level": level, "adcodes": tuple(codes), "province_adcode": codes[0][:2] + "0000"
        if codes else None, "province": province, "batch": batch, "programme": programme,
        "unit_name": name or zone_id, "approved_on": "2020-01-01", "doc_number": "X〔2020〕1号", "status": "实验中",
    }


class _Catalogue:
    themes = ()


_NO_TAGS = pd.DataFrame(columns=["zone_id", "theme_key", "theme_name", "field", "phrase", "excerpt", "reason"])
_BATCHES = pd.DataFrame({"batch": ["2020"], "programme": ["national"], "official_size": pd.array([4], "Int64")})


def test_coverage_counts_each_county_once_and_a_prefecture_as_all_its_counties():
    zones = pd.DataFrame([
        _zone("A", "county", ["101001"], "甲省"),
        _zone("B", "prefecture", ["101000"], "甲省"),  # covers 101001–101003; 101001 already covered by A
    ])
    fig = province_figures(zones, _NO_TAGS, _Catalogue(), _units(), _BATCHES).set_index("adcode")
    assert fig.at["100000", "zones"] == 2
    assert fig.at["100000", "county_units"] == 5
    assert fig.at["100000", "covered_counties"] == 3
    assert fig.at["100000", "coverage"] == 60.0  # 3 of 5
    assert fig.at["100000", "per_100_counties"] == 40.0  # 2 zones per 5 county units
    assert fig.at["200000", "zones"] == 0 and fig.at["200000", "coverage"] == 0.0
    assert bool(fig.at["710000", "no_data"])


def test_a_province_level_zone_covers_the_whole_province():
    zones = pd.DataFrame([_zone("P", "province", ["200000"], "乙北省"), _zone("Q", "county", ["201002"], "乙北省")])
    fig = province_figures(zones, _NO_TAGS, _Catalogue(), _units(), _BATCHES).set_index("adcode")
    assert fig.at["200000", "covered_counties"] == 4 and fig.at["200000", "coverage"] == 100.0


def test_unresolved_zone_counts_in_its_document_province_and_unplaceable_ones_are_reported():
    zones = pd.DataFrame([
        _zone("U", None, [], "乙北省"),  # resolver failed, but the document names the province (short name works too)
        _zone("V", None, [], "乙北"),
        _zone("W", None, [], "不存在省"),
    ])
    fig = province_figures(zones, _NO_TAGS, _Catalogue(), _units(), _BATCHES).set_index("adcode")
    assert fig.at["200000", "zones"] == 2 and fig.at["200000", "covered_counties"] == 0
    assert unplaced_zones(zones, _units()).zone_id.tolist() == ["W"]


def test_theme_counts_count_zones_not_matches(figures, tags, catalogue):
    sichuan = figures.set_index("name").loc["四川省"]
    expected = tags[tags.zone_id.isin(["CN-2019-26", "CN-2019-27", "CN-2019-28"])].groupby("theme_key").zone_id.nunique()
    for key, n in expected.items():
        assert sichuan[f"theme:{key}"] == n
    matrix = theme_matrix(figures, catalogue)
    assert len(matrix) == 18 and "台湾省" not in matrix.index and "河北省" not in matrix.index
    assert list(matrix.columns) == [th.name for th in catalogue.themes]
    assert matrix.loc["四川省"].sum() == sum(expected)


def test_completeness_says_when_a_batch_is_incomplete(zones):
    batch_2019 = load_batches().query("batch == '2019'").reset_index(drop=True)  # the batch of these 31 zones
    full = completeness(zones, batch_2019)
    assert full.loc[0, ["known", "official_size"]].tolist() == [31, 31] and bool(full.loc[0, "complete"])
    assert "数字不完整" not in full.loc[0, "sentence"]
    part = completeness(zones.iloc[3:], batch_2019)
    assert part.loc[0, "known"] == 28 and not part.loc[0, "complete"]
    assert "28/31" in part.loc[0, "sentence"] and "数字不完整" in part.loc[0, "sentence"]
    unknown = load_batches().query("batch == '2019'").assign(official_size=pd.array([pd.NA], "Int64"))
    assert "官方总数未知" in completeness(zones, unknown).loc[0, "sentence"]


def test_completeness_counts_a_batch_within_its_programme(zones):
    """A provincial batch may carry the same label as a national one ("2019"): each counts only its own zones."""
    provincial = zones.iloc[:2].assign(programme="provincial", zone_id=lambda d: d.zone_id + "-P")
    national = load_batches().query("batch == '2019'")
    batches = pd.concat([national, national.assign(programme="provincial", official_size=5)], ignore_index=True)
    table = completeness(pd.concat([zones, provincial], ignore_index=True), batches)
    assert table[["programme", "known", "official_size"]].values.tolist() == [["national", 31, 31],
                                                                              ["provincial", 2, 5]]


def test_side_by_side_profiles_have_zones_themes_and_timeline(zones, tags):
    js, zj = compare_provinces(["320000", "330000"], zones, tags)
    assert (js.name, zj.name) == ("江苏省", "浙江省")
    assert set(js.zones.unit_name) == {"江苏省南京市雨花台区", "江苏省南京市溧水区", "江苏省徐州市鼓楼区", "江苏省南通市崇川区"}
    assert len(zj.zones) == 3 and "整个地级市" in set(zj.zones.level)  # 衢州市, in words, not the internal code
    assert js.timeline.to_dict("records") == [
        {"approved_on": "2019-03-25", "batch": "2019", "doc_number": "民函〔2019〕41号", "zones": 4}
    ]
    assert js.themes.zones.is_monotonic_decreasing and js.themes.zones.sum() >= 4
    with pytest.raises(ValueError):
        compare_provinces(["320000"], zones, tags)
    with pytest.raises(ValueError):
        compare_provinces(["320000", "330000", "340000", "360000", "370000"], zones, tags)


def test_a_province_without_zones_compares_as_empty(zones, tags):
    js, hb = compare_provinces(["320000", "130000"], zones, tags)
    assert hb.name == "河北省" and hb.zones.empty and hb.timeline.empty


def test_exports_neutralise_formulas_in_zone_names(zones, tags):
    hostile = zones.copy()
    hostile.loc[hostile.zone_id == "CN-2019-08", "unit_name"] = '=HYPERLINK("http://x")'
    table = comparison_table(compare_provinces(["320000", "330000"], hostile, tags))
    csv = to_csv_bytes(table).decode("utf-8-sig")
    assert '\'=HYPERLINK(""http://x"")' in csv
    assert "\n=HYPERLINK" not in csv and ",=HYPERLINK" not in csv
    book = openpyxl.load_workbook(io.BytesIO(to_excel_bytes(table, "comparison")))
    cells = [c for row in book.active.iter_rows() for c in row if "HYPERLINK" in str(c.value)]
    assert len(cells) == 1
    assert cells[0].value == '\'=HYPERLINK("http://x")' and cells[0].data_type == "s"
