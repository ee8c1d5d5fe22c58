"""One engine: the import page and `python -m loaders.check` give the same answer, row for row, on the same file."""

from loaders.check import STATUS_OF_OUTCOME, check_file
from loaders.i18n import text as t
from tests.pages.test_import_page import open_import, upload

ROSTER = """省份,城市,区县,实验单位,批复年份
广东省,韶关市,,乐昌市,
,苏州市,姑苏区,,
,,,大连市中山区,
,,,洛阳市,
上海市,上海市,静安区,,
广东,,,佛山南海,
,,,湘西州吉首市,
重庆市,,石柱县,,
重庆市,,荣昌,,
广东省,广州市,萝岗区,,2012
吉林省,松原市,乾安县,,
新疆生产建设兵团,第六师,一〇三团,,
安徽省,毫州市,谯城区,,
,,,湖北省仙桃市,
浙江省,杭州市,拱墅区,,2019
,,鼓楼区,,
浙江省,宁波市,鄞州区百丈街道,,
,,,铜陵市铜官山区,
北京市,北京市,东城区,,
,,,黑龍江省雙鴨山市嶺東區,
,,,沛县,
"""


def test_import_page_and_check_command_agree_row_for_row(app, tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text(ROSTER, encoding="utf-8")
    cli = check_file(path)
    at = upload(open_import(app), "roster.csv", ROSTER.encode("utf-8"))
    page = next(d.value for d in at.dataframe if t("import.columns.outcome") in d.value.columns)
    outcome_of_label = {t(f"import.outcome.{o}"): o for o in STATUS_OF_OUTCOME}
    page_rows = [(int(r), STATUS_OF_OUTCOME[outcome_of_label[o]], a or "")
                 for r, o, a in zip(page[t("import.columns.row")], page[t("import.columns.outcome")],
                                    page[t("import.columns.adcode")], strict=True)]
    cli_rows = [(r["row"], r["status"], (r["current_adcodes"] or [""])[0]) for r in cli]
    assert len(cli_rows) == 21
    assert page_rows == cli_rows
    assert [s for _, s, _ in cli_rows].count("resolved") == 17
