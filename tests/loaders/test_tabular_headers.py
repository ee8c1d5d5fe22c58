"""Headers and dates as rosters write them (issue 12's reader part): a one-column roster, a headerless column of
unit names, the date headers officials use (批复年份, 确认时间 …), and dates kept exactly as precise as written."""

import pytest

from loaders.tabular import NO_HEADER, HeaderNotFound, IntakeError, parse_date, read_table
from tests.loaders.roster_files import roster_rows, xlsx

UNITS = [r[2] for r in roster_rows(5)]


@pytest.mark.parametrize("header", ["实验单位", "单位名称", "实验区名称", "区县"])
def test_a_roster_of_one_column_is_accepted(header):
    table = read_table(("\n".join([header, *UNITS]) + "\n").encode(), "a.csv")
    field = "county" if header == "区县" else "unit_name"
    assert list(table.rows[field]) == UNITS and table.header_at == 0


def test_a_one_column_xlsx_under_a_title_row_is_read_from_its_header():
    rows = [["2019年全国社区治理和服务创新实验区"], ["实验单位"], *[[u] for u in UNITS]]
    table = read_table(xlsx([("Sheet1", rows, "visible")]), "a.xlsx")
    assert table.header_at == 1 and list(table.rows.unit_name) == UNITS


def test_a_headerless_column_of_unit_names_is_read_and_said_to_be_headerless():
    table = read_table(("\n".join(UNITS) + "\n").encode(), "a.csv")
    assert table.header_at == NO_HEADER
    assert list(table.rows.unit_name) == UNITS and list(table.rows.source_line) == ["1", "2", "3", "4", "5"]
    assert any("没有找到表头" in w for w in table.warnings)


def test_a_headerless_column_under_a_title_keeps_the_title_out_of_the_rows():
    rows = [["附件"], *[[u] for u in UNITS]]
    table = read_table(xlsx([("Sheet1", rows, "visible")]), "a.xlsx")
    assert list(table.rows.unit_name) == UNITS


def test_one_column_of_words_that_are_not_places_is_still_header_not_found():
    with pytest.raises(HeaderNotFound):
        read_table("甲\n乙\n丙\n".encode(), "a.csv")


def test_a_lone_inexact_header_word_is_not_taken_for_a_header():
    with pytest.raises(IntakeError):
        read_table("2019年实验区\n其他\n".encode(), "a.csv")


@pytest.mark.parametrize(("header", "fields"), [
    ("省份,市（州）,实验单位", ["province", "prefecture", "unit_name"]),
    ("城市,区县", ["prefecture", "county"]),
    ("省份,城市,区县,批复年份", ["province", "prefecture", "county", "approved_on"]),
])
def test_header_words_seen_in_rosters_map(header, fields):
    table = read_table((header + "\n" + ",".join(["x"] * len(fields)) + "\n").encode(), "a.csv")
    assert list(table.columns.values()) == fields


@pytest.mark.parametrize("word", ["批复年份", "批复时间", "确认时间", "认定时间", "年份", "批复日期", "时间", "确认年份",
                                  "命名时间", "认定年份", "批复年度"])
def test_date_like_headers_map_to_approved_on(word):
    table = read_table(f"省份,区县,{word}\n北京市,石景山区,2019\n".encode(), "a.csv")
    assert table.columns[word] == "approved_on" and table.rows.approved_on.iloc[0] == "2019"


@pytest.mark.parametrize(("value", "iso"), [
    ("2012", "2012"), ("2012年", "2012"), ("2014年5月", "2014-05"), ("2014.5", "2014-05"), ("2014-05", "2014-05"),
    ("2014/10", "2014-10"), ("二〇一四年五月", "2014-05"), ("二零一九年三月二十五日", "2019-03-25"),
    ("2019年3月25日", "2019-03-25"), ("20190325", "2019-03-25"), ("20191325", ""), ("43549", "2019-03-25"), ("43549.0", "2019-03-25"),
    ("2014年13月", ""), ("2019年2月30日", ""), ("明年", ""), ("1234", ""), ("第三批", ""),
])
def test_dates_keep_what_is_known_and_invent_nothing(value, iso):
    assert parse_date(value) == iso


def test_an_excel_serial_follows_the_date_system_it_is_given():
    assert parse_date("42087", date1904=True) == "2019-03-25"
    assert parse_date("42087") == "2015-03-24"


def test_a_year_column_keeps_the_year_and_an_unreadable_date_is_flagged():
    table = read_table("省份,区县,批复年份\n北京市,石景山区,2019\n天津市,河北区,去年\n".encode(), "a.csv")
    assert list(table.rows.approved_on) == ["2019", ""]
    assert any("无法识别的日期" in w and "去年" in w for w in table.warnings)


def test_an_unreadable_status_date_stays_as_written_and_is_flagged():
    # the hypothesis example that found it: the text under 状态日期 came back blank, and nobody was told
    table = read_table("省份,区县,状态日期\n北京市,石景山区,2021.3\n天津市,河北区,区县\n天津市,河东区,待定\n".encode(),
                       "a.csv")
    assert list(table.rows.status_as_of) == ["2021-03", "区县", "待定"]
    assert any("无法识别的状态日期" in w and "区县" in w and "待定" in w for w in table.warnings)


def test_the_longest_header_word_wins_so_a_status_time_is_not_the_approval_date():
    table = read_table("省份,区县,认定时间,状态截至时间\n北京市,石景山区,2019,2021-03\n".encode(), "a.csv")
    assert table.columns == {"省份": "province", "区县": "county", "认定时间": "approved_on",
                             "状态截至时间": "status_as_of"}
