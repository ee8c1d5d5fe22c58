"""A map or deck of the whole country is titled after the network its zones belong to, and its subtitle counts
them by level: the default view holds 60 national and 30 provincial zones, and was titled 全国社区治理和服务创新
实验区分布图 — the national programme's name — all the same. Real roster, real data/programmes.yaml."""

from __future__ import annotations

from datetime import date

import pytest

from geo.printmap.captions import count_line, network_name
from geo.printmap.render import render_map
from geo.zones import zone_layer
from loaders.programmes import load_programmes
from loaders.roster import load_roster
from loaders.selection import ZoneFilter
from ui.maps import snapshot_title

NAMES = {p.key: p.name for p in load_programmes()}  # data/programmes.yaml


@pytest.fixture(scope="module")
def roster():
    return load_roster().zones


@pytest.mark.parametrize(("programmes", "name"), [
    (["national"] * 60 + ["provincial_gs"] * 16 + ["provincial_hb"] * 10 + ["provincial_zj"] * 4,
     "全国及省级社区治理和服务创新实验区"),
    (["national", "provincial_zj"], "全国及省级社区治理和服务创新实验区"),
    (["national_rural", "provincial_hb"], "全国及省级社区治理和服务创新实验区"),
    (["national"] * 31, "全国社区治理和服务创新实验区"),
    (["national_rural"], "全国农村社区治理实验区"),
    (["national", "national_rural"], "全国城乡社区治理实验区"),
    (["provincial_gs"] * 16, "甘肃省城乡社区治理创新实验区"),
    (["provincial_gs", "provincial_hb"], "省级社区治理和服务创新实验区"),
    ([], "社区治理和服务创新实验区"),
])
def test_the_network_is_named_by_the_programmes_of_its_zones(programmes, name):
    assert network_name(programmes) == name


def test_one_programme_is_called_by_its_own_name():
    for key, name in NAMES.items():
        assert network_name([key, key]) == name


def test_the_count_line_splits_by_level_only_when_both_are_there():
    assert count_line(["national"] * 60 + ["provincial_hb"] * 30) == "共 90 个实验区（全国 60、省级 30）"
    assert count_line(["national"] * 31) == "共 31 个实验区"
    assert count_line(["provincial_gs"] * 16) == "共 16 个实验区"


def test_the_map_pages_export_title_follows_the_zones_shown(roster):
    f, names = ZoneFilter(), {"330000": "浙江省"}
    assert snapshot_title(f, None, names, {}, roster.programme) == "全国及省级社区治理和服务创新实验区分布图"
    national = roster[roster.programme == "national"].programme
    assert snapshot_title(f, None, names, {}, national) == "全国社区治理和服务创新实验区分布图"
    assert snapshot_title(f, "330000", names, {}, roster.programme) == "浙江省社区治理和服务创新实验区分布图"


def test_the_printed_national_map_says_both_levels(roster):
    zones = zone_layer(roster)
    title = snapshot_title(ZoneFilter(), None, {}, {}, zones.programme)
    fig = render_map(zones, title=title, source_line="资料来源：测试", approval_line=None, date=date(2026, 11, 30))
    texts = {t.get_text() for t in fig.texts}
    assert "全国及省级社区治理和服务创新实验区分布图" in texts
    assert "共 90 个实验区（全国 60、省级 30）" in texts


def test_a_batch_is_named_on_the_page_not_only_in_the_file_name(roster):
    f = ZoneFilter(batches=("2019",))
    national = roster[roster.batch == "2019"].programme
    assert snapshot_title(f, None, {}, {}, national) == "全国社区治理和服务创新实验区分布图（2019年批次）"


def test_the_cli_titles_a_batch_map_with_its_batch_and_tallies_the_zones_drawn(tmp_path):
    import subprocess
    import sys

    out = tmp_path / "m.svg"
    done = subprocess.run([sys.executable, "-m", "geo.printmap", "--batch", "2019", "--dpi", "50", "--out", str(out)],
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    svg = out.read_text(encoding="utf-8")
    # SVG text is drawn as glyph paths; matplotlib keeps each text's string in a comment before it
    assert "<!-- 全国社区治理和服务创新实验区分布图（2019年批次） -->" in svg
    assert "<!-- 图上 31 个实验区的状态（截至" in svg


def test_the_printed_legend_says_what_filled_and_dashed_zones_are(tmp_path):
    """Provincial zones are drawn as dashed outlines (甘肃's on the national map): the CLI's map said nothing of it."""
    import subprocess
    import sys

    out = tmp_path / "m.svg"
    done = subprocess.run([sys.executable, "-m", "geo.printmap", "--dpi", "50", "--out", str(out)],
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    svg = out.read_text(encoding="utf-8")
    assert "<!-- 实心：全国实验区（60） -->" in svg and "<!-- 虚线轮廓：省级实验区（30） -->" in svg
    assert "<!-- 图上 85 个实验区的状态（截至" in svg  # the 5 街道/镇/园区 rows are not drawn
