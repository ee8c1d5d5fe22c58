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
