"""`python -m loaders.check` says how it read a file (format, encoding, sheet, formulas) and reads the sheet
`--sheet` names (issue 13)."""

import json

from loaders.check import main
from tests.loaders.roster_files import HEADER, html_table, roster_rows, xlsx

LOOKUP = [["省份", "城市", "区县"], ["北京市", "北京市", "海淀区"], ["天津市", "天津市", "和平区"]]


def test_the_cli_skips_a_hidden_lookup_sheet_and_says_so(tmp_path, capsys):
    path = tmp_path / "roster.xlsx"
    path.write_bytes(xlsx([("lists", LOOKUP, "hidden"), ("名单", [HEADER, *roster_rows(3)], "visible")], active=1))
    assert main([str(path), "--json"]) == 0
    out = capsys.readouterr()
    assert [r["input"] for r in json.loads(out.out)] == [",".join(r).rstrip(",") for r in roster_rows(3)]
    assert "跳过隐藏的工作表：“lists”" in out.err and "读取工作表“名单”" in out.err


def test_the_cli_reads_the_sheet_it_is_told_to(tmp_path, capsys):
    path = tmp_path / "roster.xlsx"
    path.write_bytes(xlsx([("lists", LOOKUP, "hidden"), ("名单", [HEADER, *roster_rows(3)], "visible")], active=1))
    main([str(path), "--json", "--sheet", "lists"])
    out = capsys.readouterr()
    assert [r["input"] for r in json.loads(out.out)] == ["北京市,北京市,海淀区", "天津市,天津市,和平区"]
    assert "隐藏" in out.err


def test_the_cli_says_what_a_misnamed_file_really_is(tmp_path, capsys):
    path = tmp_path / "export.xls"
    path.write_bytes(html_table(roster_rows(2)))
    assert main([str(path)]) == 0
    assert "按内容识别为 HTML 表格" in capsys.readouterr().err


def test_the_cli_names_a_missing_sheet_and_exits_2(tmp_path, capsys):
    path = tmp_path / "roster.xlsx"
    path.write_bytes(xlsx([("名单", [HEADER, *roster_rows(1)], "visible")]))
    assert main([str(path), "--sheet", "Sheet9"]) == 2
    assert "没有工作表“Sheet9”" in capsys.readouterr().err


def test_a_sheet_given_for_a_text_file_is_said_to_be_ignored(tmp_path, capsys):
    path = tmp_path / "roster.csv"
    path.write_text("省份,区县,实验单位\n" + "".join(",".join(r) + "\n" for r in roster_rows(1)), encoding="utf-8")
    assert main([str(path), "--sheet", "名单"]) == 0
    assert "指定的工作表“名单”不适用" in capsys.readouterr().err
