"""The roster is data with a checked schema: good rows load, bad rows are reported with reasons, none vanish."""

import pandas as pd
import pytest

from loaders.document import parse_document
from loaders.roster import ROSTER_COLUMNS, RosterError, load_roster, read_roster_csv, validate_roster

SEED = "data/sources/minhan-2019-41.txt"


def test_bundled_roster_has_the_31_units_of_the_2019_document():
    r = load_roster()
    assert not r.problems
    z = r.zones[r.zones.batch == "2019"]
    assert z.zone_id.tolist() == [f"CN-2019-{i:02d}" for i in range(1, 32)]
    assert set(z.doc_number) == {"民函〔2019〕41号"}
    assert set(z.approved_on) == {"2019-03-25"}
    assert set(z.period_years) == {2}


def test_roster_content_is_the_documents_text_untruncated():
    doc = parse_document(open(SEED, encoding="utf-8").read())
    zones = load_roster().zones.query("batch == '2019'").reset_index(drop=True)
    assert len(doc.rows) == 31
    for row, zone in zip(doc.rows, zones.itertuples(index=False), strict=True):
        assert zone.content == row.content
        assert zone.theme == row.theme


def test_renewed_zones_are_marked_as_continuing_after_acceptance():
    z = load_roster().zones.query("batch == '2019'").reset_index(drop=True).set_index("unit_name")
    assert z.loc["上海市徐汇区", "designation"] == "结项后新主题续展"
    assert z.loc["江苏省南京市雨花台区", "designation"] == "结项后新主题续展"
    assert (z.designation == "新确认").sum() == 29


def _raw():
    raw = read_roster_csv()
    return raw[raw.batch == "2019"].reset_index(drop=True)


def test_bad_values_are_reported_per_row_and_the_rest_still_loads():
    raw = _raw()
    raw.loc[3, "status"] = "进行中"
    raw.loc[5, "approved_on"] = "2019-02-30"
    raw.loc[7, "zone_id"] = raw.loc[8, "zone_id"]
    r = validate_roster(raw)
    assert len(r.zones) + len(r.rejected) == 31
    messages = " ".join(str(p) for p in r.problems)
    assert "进行中" in messages and "2019-02-30" in messages and "重复" in messages
    assert len(r.rejected) == 3


def test_missing_column_names_what_is_missing():
    raw = _raw().drop(columns=["theme"])
    with pytest.raises(RosterError, match="theme"):
        validate_roster(raw)


def test_empty_required_field_is_named():
    raw = _raw()
    raw.loc[0, "province"] = " "
    r = validate_roster(raw)
    assert any(p.column == "province" and p.row == 1 for p in r.problems)


def test_columns_are_the_documented_schema():
    assert list(pd.read_csv("data/roster.csv", nrows=0).columns) == ROSTER_COLUMNS


def test_experiment_period_ends_two_years_after_approval():
    from datetime import date

    from loaders.roster import period_end

    assert period_end("2019-03-25", 2) == date(2021, 3, 25)
    assert period_end("2020-02-29", 1) == date(2021, 2, 28)
    assert period_end("2019年3月25日", 2) is None  # the roster stores ISO dates; anything else is not guessed


def test_an_open_status_recorded_before_the_period_ended_is_flagged_once_it_has_ended():
    from datetime import date

    from loaders.roster import status_outdated

    # 民函〔2019〕41号: 实验中 as of 2019-03-25, two-year period → silent since 2021-03-25
    assert status_outdated("实验中", "2019-03-25", "2019-03-25", 2, date(2026, 11, 23)) == date(2021, 3, 25)
    assert status_outdated("实验中", "2019-03-25", "2019-03-25", 2, date(2020, 6, 1)) is None  # still running
    assert status_outdated("结项验收", "2021-06-01", "2019-03-25", 2, date(2026, 11, 23)) is None  # closed
    assert status_outdated("延期", "2021-04-01", "2019-03-25", 2, date(2026, 11, 23)) is None  # recorded after the end


def test_status_today_says_expired_for_an_open_status_recorded_before_the_period_ended():
    from datetime import date

    from loaders.roster import status_today

    today = date(2026, 11, 30)
    assert status_today("实验中", "2019-03-25", "2019-03-25", 2, today) == "期满（未见结项记录）"
    assert status_today("申报", "2018-12-01", "2019-03-25", 3, today) == "期满（未见结项记录）"
    assert status_today("实验中", "2025-01-01", "2025-01-01", 3, today) == "实验中"  # still running
    assert status_today("结项验收", "2021-06-01", "2019-03-25", 2, today) == "结项验收"  # a later status wins
    assert status_today("延期", "2021-04-01", "2019-03-25", 2, today) == "延期"  # recorded after the end


def test_every_2019_zone_of_the_roster_reads_expired_in_list_filter_and_export():
    from loaders.roster import load_roster, statuses_today
    from loaders.selection import ZoneFilter, apply_filter, filter_options, zone_table

    zones = load_roster().zones.assign(adcode="")
    old = zones[zones.batch == "2019"]
    assert len(old) and set(statuses_today(old)) == {"期满（未见结项记录）"}
    table = zone_table(zones, {})
    assert set(table.status[zones.batch == "2019"]) == {"期满（未见结项记录）"}
    assert "national" not in set(table.programme) and "全国实验区（城市社区）" in set(table.programme)
    options = filter_options(old, (), ())  # the 2019 batch alone: nobody is 实验中 any more
    assert options.statuses == ("期满（未见结项记录）",)
    picked = apply_filter(zones, ZoneFilter(statuses=("期满（未见结项记录）",)))
    assert set(picked.zone_id) >= set(old.zone_id)
