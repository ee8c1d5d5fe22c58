"""Intake and roster drafts: every row accounted for, choices made by a person stick, provincial batches get their
programme, ids and lifecycle, and re-importing a batch updates it instead of doubling it."""

from pathlib import Path

import pandas as pd
import pytest

from geo.zones import zone_layer
from loaders.intake import document_facts, intake, rows_from_paste
from loaders.resolver import resolve_frame
from loaders.roster import STATUSES, load_roster, validate_roster
from loaders.roster_draft import to_roster

SEED = Path(__file__).resolve().parents[2] / "data" / "sources" / "minhan-2019-41.txt"
# A provincial batch as 吉林省民政厅 would confirm it under 吉民发〔2019〕30号 (yearly application, two-year period).
# The units are real; the confirming document number and themes are made up for the test.
JILIN_DEFAULTS = {"programme": "provincial", "authority": "吉林省民政厅", "province": "吉林省", "batch": "吉林省2020",
                  "doc_number": "吉民函〔2020〕99号", "approved_on": "2020-04-08", "period_years": 2,
                  "status": "实验中"}


def jilin_rows() -> pd.DataFrame:
    units = ["长春市朝阳区", "长春市南关区", "吉林市船营区", "四平市铁西区", "延边朝鲜族自治州延吉市", "梅河口市",
             "长春经济技术开发区", "长春市朝阳区"]
    return pd.DataFrame({"row": range(1, len(units) + 1), "unit_name": units,
                         "theme": ["完善城乡社区协商机制"] * len(units),
                         "status": ["实验中", "已结项", "延期", "授牌", "申报中", "实验中", "实验中", "实验中"],
                         "approved_on": ["2020年4月8日", "43929", "2020.4.8", "", "", "", "", ""]})


def test_counts_add_up_and_say_what_happened_to_each_row():
    report = intake(pd.DataFrame({"row": [1, 2, 3, 4, 5], "province": ["江苏省", "吉林省", "北京市", "吉林省", ""],
                                  "county": ["鼓楼区", "朝阳区南湖街道", "石景山去", "", ""],
                                  "prefecture": ["", "长春市", "", "长春市", ""]}))
    assert report.counts == {"joined": 1, "ambiguous": 1, "unresolved": 1, "not_county_level": 1, "rejected": 1}
    assert sum(report.counts.values()) == report.rows_read == 5
    by_row = report.rows.set_index("row")
    assert len(by_row.loc["1", "candidates"]) == 2  # 南京市鼓楼区, 徐州市鼓楼区
    assert "110107" in [c["adcode"] for c in by_row.loc["3", "candidates"]]  # 石景山去 → 石景山区 suggested
    assert [c["adcode"] for c in by_row.loc["2", "candidates"]] == ["220104"]  # the street's own district


def test_choosing_a_candidate_joins_the_row_and_the_saved_names_resolve_to_it_again():
    rows = pd.DataFrame({"row": [1, 2], "province": ["江苏省", "北京市"], "county": ["鼓楼区", "石景山去"]})
    report = intake(rows, {"batch": "2019", "approved_on": "2019-03-25"}, {1: "320106", 2: "110107"})
    assert report.counts["joined"] == 2
    draft = to_roster(report, {"programme": "national", "batch": "2019"})
    assert list(draft.rows.prefecture) == ["南京市", ""]  # 北京市 is its own prefecture: left empty
    again = resolve_frame(draft.rows)
    assert list(again.adcode) == ["320106", "110107"]


def test_a_code_that_is_not_a_county_or_prefecture_is_not_accepted():
    report = intake(pd.DataFrame({"row": [1], "province": ["江苏省"], "county": ["鼓楼区"]}), {}, {1: "320000"})
    assert report.counts["ambiguous"] == 1 and "320000" in report.rows.reason.iloc[0]


def test_not_county_level_rows_are_kept_in_the_roster_without_a_polygon():
    report = intake(jilin_rows(), JILIN_DEFAULTS)
    draft = to_roster(report, JILIN_DEFAULTS)
    street = draft.rows[draft.rows.unit_name == "长春经济技术开发区"]
    assert len(street) == 1
    layer = zone_layer(validate_roster(draft.rows).zones)
    assert not layer.set_index("unit_name").loc["长春经济技术开发区", "joined"]


def test_jilin_provincial_batch_validates_with_ids_programme_and_lifecycle():
    report = intake(jilin_rows(), JILIN_DEFAULTS)
    assert report.counts == {"joined": 6, "ambiguous": 0, "unresolved": 0, "not_county_level": 1, "rejected": 1}
    draft = to_roster(report, JILIN_DEFAULTS, load_roster().zones)
    assert draft.problems == []
    assert list(draft.rows.zone_id) == [f"JL-2020-{i:02d}" for i in range(1, 8)]
    assert set(draft.rows.programme) == {"provincial"} and set(draft.rows.authority) == {"吉林省民政厅"}
    assert list(draft.rows.status) == ["实验中", "结项验收", "延期", "授牌", "申报", "实验中", "实验中"]
    assert set(draft.rows.status) <= set(STATUSES)
    assert list(draft.rows.approved_on[:3]) == ["2020-04-08"] * 3  # Chinese date, Excel serial, dotted date
    loaded = validate_roster(draft.rows)
    assert len(loaded.zones) == 7 and loaded.problems == []
    assert set(zone_layer(loaded.zones).query("joined").adcode) >= {"220104", "220102", "220204", "222401"}


def test_the_same_unit_twice_in_one_batch_is_a_duplicate_but_in_two_batches_is_not():
    rows = pd.DataFrame({"row": [1, 2, 3], "unit_name": ["上海市徐汇区", "上海市徐汇区", "上海市徐汇区"],
                         "batch": ["2019", "2019", "2014"]})
    report = intake(rows)
    assert list(report.rows.outcome) == ["joined", "rejected", "joined"]
    assert "第1行重复" in report.rows.reason.iloc[1]


def test_reimporting_a_batch_updates_its_rows_instead_of_doubling_them():
    rows, facts = rows_from_paste(SEED.read_text(encoding="utf-8"))
    defaults = {"programme": "national", "batch": "2019", "authority": facts["authority"],
                "doc_number": facts["doc_number"], "approved_on": facts["approved_on"], "period_years": 2}
    existing = zone_layer(load_roster().zones.query("batch == '2019'").reset_index(drop=True))
    draft = to_roster(intake(rows, defaults), defaults, existing)
    assert len(draft.rows) == 31 and len(draft.updates) == 31 and draft.new == 0
    assert set(draft.rows.zone_id) == set(existing.zone_id)


def test_pasted_spreadsheet_cells_are_read_as_a_table():
    rows, _ = rows_from_paste("序号\t省份\t区县\n1\t北京市\t石景山区\n2\t天津市\t河北区\n")
    assert list(intake(rows).rows.adcode) == ["110107", "120105"]


@pytest.mark.parametrize(("text", "size", "period"), [
    ("吉林省民政厅关于确认长春市朝阳区等40个单位为省级社区治理和服务创新实验区的通知 吉民函〔2020〕99号 实验周期为2年", 40, 2),
    ("確認北京市石景山區等三十一個單位為實驗區，實驗時間為期兩年。", 31, 2),
    ("没有数字的正文", None, None),
])
def test_document_facts_find_the_official_size_and_period(text, size, period):
    facts = document_facts(text)
    assert facts["official_size"] == size and facts["period_years"] == period


def test_seed_document_facts():
    facts = document_facts(SEED.read_text(encoding="utf-8"))
    assert facts == {"doc_number": "民函〔2019〕41号", "approved_on": "2019-03-25", "authority": "民政部",
                     "official_size": None, "period_years": 2}


@pytest.mark.parametrize(("province", "prefecture", "county"), [("0", "北京市", "北京市"), ("江苏生", "", "鼓楼区")])
def test_a_stray_value_in_the_province_column_is_reported_not_crashed_on(province, prefecture, county):
    """Found by the property tests: the resolver used to raise IndexError for a province it did not know."""
    report = intake(pd.DataFrame({"row": [1], "province": [province], "prefecture": [prefecture],
                                  "county": [county]}))
    assert report.counts["joined"] == 0 and sum(report.counts.values()) == 1
    assert report.rows.reason.iloc[0]


def test_a_province_cell_of_symbols_only_is_set_aside_with_a_note():
    report = intake(pd.DataFrame({"row": [1], "province": ["😀"], "prefecture": ["衢州市"], "county": [""]}))
    assert report.rows.adcode.tolist() == ["330800"]
    assert any("😀" in n for n in report.rows.resolution_notes.iloc[0])
