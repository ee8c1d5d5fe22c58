"""The print-map command line names its file after what the map shows and offers the half-size layout."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from PIL import Image

from geo.printmap.cli import map_file_name

REPO = Path(__file__).resolve().parents[2]
DAY = date(2026, 11, 30)


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "geo.printmap", *args], cwd=REPO, capture_output=True, text=True,
                          timeout=180, env=os.environ.copy())


def test_file_name_says_what_the_map_shows_and_when():
    assert map_file_name(None, "三社联动", None, day=DAY) == "实验区分布图_三社联动_2026-11-30.png"
    assert map_file_name(None, None, None, day=DAY) == "实验区分布图_全国_2026-11-30.png"
    assert map_file_name("330000", None, None, "half", day=DAY) == "实验区分布图_浙江省_半版_2026-11-30.png"
    name = map_file_name("620000", "网格化服务管理", "甘肃首批", day=DAY)
    assert name.startswith("实验区分布图_甘肃省_网格化服务管理_") and name.endswith("_2026-11-30.png")


def test_cli_writes_a_named_half_size_png_into_a_folder(tmp_path):
    done = _cli("--theme", "三社联动", "--size", "半版", "--dpi", "40", "--out", f"{tmp_path}/")
    assert done.returncode == 0, done.stderr
    [written] = list(tmp_path.iterdir())
    assert written.name == f"实验区分布图_三社联动_半版_{date.today().isoformat()}.png"
    width, height = Image.open(written).size
    assert abs(width - 12 / 2.54 * 40) <= 1  # the half page is 12 cm wide
    assert height > width  # the keyed list sits below the map


def test_cli_refuses_an_unknown_size(tmp_path):
    done = _cli("--size", "巨幅", "--out", str(tmp_path / "map.png"))
    assert done.returncode == 2
    assert "未知的版式" in done.stderr
    assert not list(tmp_path.iterdir())


def test_a_theme_legend_counts_the_zones_of_the_province_drawn(tmp_path, monkeypatch):
    """--province with --theme: the legend counted the theme nationwide (网格化服务管理（3）) over a map of 浙江's one."""
    import matplotlib.pyplot as plt

    from geo.printmap import cli

    drawn = {}

    def fake_render(zones, **options):
        drawn["zones"], drawn["legend"] = zones, options["legend"]
        return plt.figure(figsize=(1, 1))

    monkeypatch.setattr(cli, "render_map", fake_render)
    for province, national in (("浙江省", False), (None, True)):
        args = cli.build_parser().parse_args(["--theme", "网格化服务管理", "--out", str(tmp_path / "m.png"),
                                              *(["--province", province] if province else [])])
        cli.run(args)
        [(label, _colour, _hatch)] = drawn["legend"]
        assert label == f"网格化服务管理（{len(drawn['zones'])}）", (province, label)
        if national:
            assert len(drawn["zones"]) == 3  # the roster's three 网格化 zones, one of them in 浙江
        else:
            assert len(drawn["zones"]) == 1 and set(drawn["zones"].province) == {"浙江省"}


def test_an_out_path_without_an_extension_is_a_folder_made_for_the_named_file(tmp_path):
    done = _cli("--province", "浙江省", "--dpi", "30", "--out", str(tmp_path / "新建文件夹"))
    assert done.returncode == 0, done.stderr
    [written] = list((tmp_path / "新建文件夹").iterdir())
    assert written.name == f"实验区分布图_浙江省_{date.today().isoformat()}.png"


def test_a_theme_is_found_by_key_whole_name_one_part_of_its_name_or_words_only_it_has():
    """--theme 智慧社区 drew nothing before ("未知的实验主题") though the catalogue's theme is 智慧社区/信息化."""
    import pytest

    from geo.printmap.cli import UsageProblem, filter_theme
    from loaders.roster import load_roster
    from tests.known_answers import theme_members

    zones = load_roster().zones
    zones = zones[zones.batch == "2019"]  # the rows tests.known_answers reads (the 2019 approval)
    smart = set(theme_members("smart"))
    for typed in ("smart", "智慧社区/信息化", "智慧社区", "信息化", "智慧社區", " 智慧 "):
        shown, legend = filter_theme(zones, typed)
        assert legend[0] == "智慧社区/信息化" and set(shown.zone_id) == smart, typed
    assert filter_theme(zones, "三社")[1][0] == "三社联动"
    with pytest.raises(UsageProblem, match="符合多个实验主题：.*社区协商/议事"):
        filter_theme(zones, "社区")  # four themes say 社区: named, none guessed
    with pytest.raises(UsageProblem, match="未知的实验主题"):
        filter_theme(zones, "火星")


def test_help_and_mistakes_are_in_chinese():
    """--help and argparse's own messages (usage, options, an unknown or mistyped option) read in Chinese: the
    only Latin left is what the user types (option names, file extensions, a4/half, dpi, PNG/PDF/SVG)."""
    import re

    allowed = {"python", "m", "geo", "printmap", "h", "help", "theme", "province", "batch", "title", "dpi", "size",
               "out", "a", "A", "half", "png", "pdf", "svg", "PNG", "PDF", "SVG", "cnmaps"}
    shown = _cli("--help")
    assert shown.returncode == 0 and "用法：" in shown.stdout and "显示本说明并退出" in shown.stdout
    assert set(re.findall(r"[A-Za-z]+", shown.stdout)) <= allowed, shown.stdout
    for args, words in ((["--sise", "half"], "无法识别的参数：--sise half"), (["--dpi", "abc"], "参数 --dpi：无效的值"),
                        (["--theme"], "参数 --theme：需要一个值")):
        wrong = _cli(*args)
        assert wrong.returncode == 2 and words in wrong.stderr, wrong.stderr
        assert "error" not in wrong.stderr and "usage" not in wrong.stderr, wrong.stderr
