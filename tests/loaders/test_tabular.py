"""The table reader on files built the way officials send them: title rows, two-level merged headers, provinces
merged down the rows, 序号, notes under the table, .xls from Excel 97-2003, every Chinese encoding, odd dates."""

import datetime as dt
import io

import openpyxl
import pytest
import xlwt

from loaders.tabular import (
    HeaderNotFound,
    IntakeError,
    read_grid,
    read_table,
    table_from_grid,
)

JILIN = [  # (prefecture, county, theme) — a provincial list as a 市州 office would type it
    ("长春市", "朝阳区", "完善社区协商机制"),
    ("长春市", "南关区", "推进社区减负增效"),
    ("吉林市", "船营区", "三社联动"),
    ("四平市", "铁西区", "智慧社区建设"),
]


def jilin_xlsx() -> bytes:
    """附件 title, a merged two-level header (实验单位 over 市/县), 吉林省 merged down all rows, 序号, notes."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "省级实验区"
    ws.append(["附件"])
    ws.append(["2020年吉林省社区治理和服务创新实验区名单"])
    ws.merge_cells("A2:F2")
    ws.append(["序号", "实验单位", None, None, "实验主题", "批复日期"])
    ws.append([None, "省份", "城市", "区县", None, None])
    ws.merge_cells("A3:A4")
    ws.merge_cells("B3:D3")
    ws.merge_cells("E3:E4")
    ws.merge_cells("F3:F4")
    for i, (pref, county, theme) in enumerate(JILIN, start=1):
        ws.append([i, "吉林省" if i == 1 else None, pref, county, theme,
                   dt.datetime(2020, 4, 8) if i % 2 else "2020年4月8日"])
    ws.merge_cells(f"B5:B{4 + len(JILIN)}")
    ws.append([])
    ws.append(["注：以上单位实验期两年，期满由省民政厅组织验收。"])
    ws.merge_cells(f"A{6 + len(JILIN)}:F{6 + len(JILIN)}")
    ws.append(["填表人：张三", None, None, "联系电话：0431-0000000"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_xlsx_with_title_two_level_merged_header_merged_province_and_notes():
    table = read_table(jilin_xlsx(), "名单.xlsx")
    assert table.sheet == "省级实验区" and table.header_at == 3
    assert list(table.rows.province) == ["吉林省"] * 4  # the merged cell reaches every row
    assert list(table.rows.county) == ["朝阳区", "南关区", "船营区", "铁西区"]
    assert list(table.rows.approved_on) == ["2020-04-08"] * 4  # a date cell and a Chinese date
    assert list(table.rows.source_line) == ["5", "6", "7", "8"]
    assert table.notes[0].startswith("注：以上单位") and table.notes[1].startswith("填表人")


def jilin_xls() -> bytes:
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("Sheet1")
    ws.write_merge(0, 0, 0, 4, "附件：2020年吉林省社区治理和服务创新实验区名单")
    for c, head in enumerate(["序号", "省份", "城市", "区县", "批复日期"]):
        ws.write(1, c, head)
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for r, (pref, county, _theme) in enumerate(JILIN, start=2):
        ws.write(r, 0, r - 1)
        ws.write(r, 2, pref)
        ws.write(r, 3, county)
        ws.write(r, 4, dt.date(2020, 4, 8), date_style) if r % 2 else ws.write(r, 4, 43929)  # serial 43929
    ws.write_merge(2, 1 + len(JILIN), 1, 1, "吉林省")
    ws.write(3 + len(JILIN), 0, "备注：无")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_old_xls_with_merged_title_merged_province_and_date_cells():
    table = read_table(jilin_xls(), "名单.xls")
    assert table.header_at == 1
    assert list(table.rows.province) == ["吉林省"] * 4  # needs xlrd's formatting_info to see merges
    assert list(table.rows.approved_on) == ["2020-04-08"] * 4  # a date cell and a bare Excel serial
    assert list(table.rows.seq) == ["1", "2", "3", "4"]
    assert table.notes == ["备注：无"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_in_every_chinese_encoding(encoding):
    text = "序号,省份,城市,区县,批复日期\n" + "".join(
        f"{i},吉林省,{p},{c},2020年4月8日\n" for i, (p, c, _) in enumerate(JILIN, start=1))
    table = read_table(text.encode(encoding), "名单.csv")
    assert list(table.rows.county) == ["朝阳区", "南关区", "船营区", "铁西区"]
    assert set(table.rows.approved_on) == {"2020-04-08"}


def test_traditional_headers_and_tab_separated_cells():
    table = read_table("省份\t區縣\t實驗主題\n吉林省\t朝陽區\t協商\n".encode(), "paste.tsv")
    assert table.columns == {"省份": "province", "区县": "county", "实验主题": "theme"}
    assert table.rows.county.iloc[0] == "朝阳区"


def test_csv_formulas_are_flagged_and_kept_as_text():
    table = read_table('省份,区县\n北京市,"=HYPERLINK(""http://x"",""石景山区"")"\n北京市,@SUM(A1)\n'.encode(), "f.csv")
    assert table.formula_cells == ["第2行第2列", "第3行第2列"]
    assert any("公式" in w for w in table.warnings)
    assert table.rows.county.iloc[0].startswith("=HYPERLINK")


def test_unrecognised_headers_raise_header_not_found_and_a_mapping_reads_them():
    data = "甲,乙,丙\n吉林省,长春市,朝阳区\n吉林省,吉林市,船营区\n".encode()
    grid = read_grid(data, "x.csv")
    with pytest.raises(HeaderNotFound):
        table_from_grid(grid)
    table = table_from_grid(grid, 0, {0: "province", 1: "prefecture", 2: "county"})
    assert list(table.rows.county) == ["朝阳区", "船营区"] and table.unmapped == []


def test_a_wrong_automatic_mapping_can_be_overridden():
    data = "省份,单位,备注\n吉林省,长春市朝阳区,市辖区\n".encode()
    auto = read_table(data, "x.csv")
    assert auto.columns == {"省份": "province", "单位": "unit_name"} and auto.unmapped == ["备注"]
    fixed = read_table(data, "x.csv", header_at=0, mapping={0: "province", 1: "unit_name", 2: "theme"})
    assert fixed.rows.theme.iloc[0] == "市辖区"


@pytest.mark.parametrize(("mapping", "message"), [
    ({0: "province", 1: "province"}, "同一字段"),
    ({0: "theme"}, "实验单位"),
])
def test_a_mapping_that_cannot_work_is_refused(mapping, message):
    with pytest.raises(IntakeError, match=message):
        read_table(b"a,b\n1,2\n", "x.csv", header_at=0, mapping=mapping)


def test_too_many_rows_are_refused_before_resolving(monkeypatch):
    monkeypatch.setattr("loaders.tabular.MAX_ROWS", 10)
    with pytest.raises(IntakeError, match="行数太多"):
        read_table(("省份,区县\n" + "吉林省,朝阳区\n" * 100).encode(), "x.csv")


def test_an_xlsx_that_would_unpack_too_large_is_refused(monkeypatch):
    monkeypatch.setattr("loaders.tabular.MAX_UNZIPPED_BYTES", 1000)
    with pytest.raises(IntakeError, match="解压后过大"):
        read_table(jilin_xlsx(), "a.xlsx")


@pytest.mark.parametrize(("data", "name"), [(b"\n\n,,\n", "a.csv"), (b"\xef\xbb\xbf", "a.csv")])
def test_a_file_without_content_says_so(data, name):
    with pytest.raises(IntakeError, match="没有任何内容|空"):
        read_table(data, name)
