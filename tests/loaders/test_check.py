"""`python -m loaders.check` and the table reader on files built the way officials send them."""

import json
import subprocess
import sys
from pathlib import Path

import opencc
import openpyxl
import pytest

from loaders.check import check_file, main
from loaders.roster import read_roster_csv
from loaders.tabular import IntakeError, parse_date, read_table
from tests.loaders.codes_2019 import EXPECTED

DOCUMENT = Path(__file__).resolve().parents[2] / "data" / "sources" / "minhan-2019-41.txt"
CHINESE_HEADERS = {"province": "省份", "prefecture": "城市", "county": "区县", "unit_name": "实验单位",
                   "theme": "实验主题", "approved_on": "批复日期"}


def roster_as_official_csv():
    raw = read_roster_csv()
    raw = raw[raw.batch == "2019"][list(CHINESE_HEADERS)].rename(columns=CHINESE_HEADERS)  # the 2019 document
    raw.insert(0, "序号", range(1, len(raw) + 1))
    return raw


# What `python -m loaders.check` must say for the 31 units of 民函〔2019〕41号, in the document's order: every row
# resolved, to the code checked by hand against the MCA tables (tests/loaders/codes_2019.py).
HAND_CHECKED = [(n, "resolved", [code]) for n, (code, _method) in sorted(EXPECTED.items())]


def results(path):
    """(row, status, drawn codes) for each input row of a file, as the check reports them."""
    return [(r["row"], r["status"], r["current_adcodes"]) for r in check_file(path)]


def test_bundled_roster_resolves_every_row_as_json():
    """The 31 units of 2019 and the public lists: every row resolved, the 5 街道/镇/园区 rows not county-level."""
    out = subprocess.run([sys.executable, "-m", "loaders.check", "--json"], capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert len(rows) == 90
    assert [r["status"] for r in rows].count("resolved") == 85
    assert [(r["row"], r["status"], r["current_adcodes"]) for r in rows[:31]] == HAND_CHECKED
    assert {r["fields"]["unit_name"] for r in rows if r["status"] == "not_county_level"} == {
        "甘肃省嘉峪关市钢城街道", "甘肃省兰州新区中川园区", "浙江省宁波市鄞州区百丈街道", "浙江省宁波市北仑区新碶街道",
        "浙江省宁波市宁海县力洋镇"}
    assert {"row", "input", "adcodes", "current_adcodes", "level", "method", "notes", "status"} <= set(rows[0])
    assert rows[10]["adcodes"] == ["330104"]  # 江干区 as designated; drawn as today's 上城区


def test_utf8_gbk_bom_and_traditional_csv_give_identical_results(tmp_path):
    df = roster_as_official_csv()
    utf8 = tmp_path / "utf8.csv"
    df.to_csv(utf8, index=False, encoding="utf-8")
    gbk = tmp_path / "gbk.csv"
    df.to_csv(gbk, index=False, encoding="gbk")
    bom = tmp_path / "bom.csv"
    df.to_csv(bom, index=False, encoding="utf-8-sig")
    s2t = opencc.OpenCC("s2t")
    trad = tmp_path / "trad.csv"
    df.map(lambda v: s2t.convert(v) if isinstance(v, str) else v).rename(columns=s2t.convert).to_csv(
        trad, index=False, encoding="utf-8")
    assert "雙鴨山市" in trad.read_text(encoding="utf-8")
    assert results(utf8) == HAND_CHECKED
    assert results(gbk) == HAND_CHECKED and results(bom) == HAND_CHECKED and results(trad) == HAND_CHECKED


def test_government_xlsx_with_title_merged_header_and_notes(tmp_path):
    df = roster_as_official_csv()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["附件"])
    ws.append(["2019年全国社区治理和服务创新实验区名单"])
    ws.merge_cells("A2:G2")
    ws.append(list(df.columns))
    for row in df.itertuples(index=False):
        ws.append(list(row))
    ws.append([])
    ws.append(["注：徐汇区、雨花台区为结项后新主题续展。"])
    path = tmp_path / "official.xlsx"
    wb.save(path)
    utf8 = tmp_path / "utf8.csv"
    df.to_csv(utf8, index=False, encoding="utf-8")
    table = read_table(path.read_bytes(), path.name)
    assert len(table.rows) == 31 and table.notes == ["注：徐汇区、雨花台区为结项后新主题续展。"]
    assert results(path) == results(utf8) == HAND_CHECKED


def test_formula_cells_are_read_as_text_and_flagged(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["省份", "区县"])
    ws.append(["北京市", "=HYPERLINK(\"http://evil\",\"石景山区\")"])
    path = tmp_path / "f.xlsx"
    wb.save(path)
    table = read_table(path.read_bytes(), path.name)
    assert table.formula_cells == ["Sheet!B2"]
    assert table.rows.county.iloc[0].startswith("=HYPERLINK")


def test_unknown_and_misspelled_names_are_reported_with_candidates(tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_text("省份,区县\n北京市,石景山去\n湖北省,不存在县\n,鼓楼区\n", encoding="utf-8")
    assert main([str(path), "--json"]) == 1
    rows = json.loads(capsys.readouterr().out)
    assert [r["status"] for r in rows] == ["unresolved", "unresolved", "ambiguous"]
    assert "110107" in [c["adcode"] for c in rows[0]["candidates"]]
    assert len(rows[2]["candidates"]) == 4


@pytest.mark.parametrize(("data", "name", "message"), [
    (b"", "a.csv", "空"),
    (b"\x00\x01\x02\xff\xfe" * 30, "a.csv", "二进制|表头|编码"),
    (b"x,y\n1,2\n", "a.csv", "表头"),
    (b"PK\x03\x04garbage", "a.xlsx", "Excel"),
    (b"a", "a.pdf", "不支持"),
    (b"a" * 300, "a.csv", "太大"),
])
def test_unreadable_input_gets_a_clear_error(data, name, message):
    with pytest.raises(IntakeError, match=message):
        read_table(data, name, max_bytes=200)


def test_unreadable_file_exits_2(tmp_path):
    path = tmp_path / "x.pdf"
    path.write_bytes(b"%PDF")
    assert main([str(path)]) == 2


@pytest.mark.parametrize(("value", "iso"), [
    ("2019年3月25日", "2019-03-25"), ("2019.3.25", "2019-03-25"), ("2019/3/25", "2019-03-25"),
    ("43549", "2019-03-25"), ("2019-03-25", "2019-03-25"), ("2019年2月30日", ""), ("明年", ""),
])
def test_dates_as_officials_write_them(value, iso):
    assert parse_date(value) == iso


def test_seed_document_text_resolves_31_of_31():
    out = subprocess.run([sys.executable, "-m", "loaders.check", "data/sources/minhan-2019-41.txt"],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and "已解析 31" in out.stderr


def test_seed_document_text_joins_each_unit_to_its_hand_checked_code():
    rows = check_file(DOCUMENT)
    assert [(r["row"], r["status"], r["current_adcodes"]) for r in rows] == HAND_CHECKED
