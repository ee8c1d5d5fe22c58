"""Themes are data; each tag can show the phrase that earned it. Expected members read off 民函〔2019〕41号."""

import opencc
import pytest

from loaders.roster import load_roster
from loaders.themes import ThemeError, filter_zone_ids, load_themes, primary_theme, tags_by_zone, theme_tags


@pytest.fixture(scope="module")
def zones():
    return load_roster().zones.query("batch == '2019'").reset_index(drop=True)


@pytest.fixture(scope="module")
def catalogue():
    return load_themes()


@pytest.fixture(scope="module")
def tags(zones, catalogue):
    return theme_tags(zones, catalogue)


def members(tags, zones, key):
    names = dict(zip(zones.zone_id, zones.unit_name, strict=True))
    return {names[z] for z in tags[tags.theme_key == key].zone_id}


def test_sanshe_members(tags, zones):
    # 雨花台 “三社联动”路径; 芝罘 “三社联动”工作体系; 天元 党建领航·“三社联动”; 江北 “三社+N”联动; 肃州 “三社联动”
    assert members(tags, zones, "sanshe") == {
        "江苏省南京市雨花台区", "山东省烟台市芝罘区", "湖南省株洲市天元区", "重庆市江北区", "甘肃省酒泉市肃州区"}


def test_grid_members(tags, zones):
    # 江干 居民自治与网格化服务管理有效衔接; 宜都、榆阳 同题
    assert members(tags, zones, "grid") == {"浙江省杭州市江干区", "湖北省宜都市", "陕西省榆林市榆阳区"}


def test_smart_members(tags, zones):
    # 石景山 以信息化建设为支撑; 徐州鼓楼 建设智慧社区; 衢州 云计算、大数据…; 禅城 信息化技术; 新都 信息化支撑
    assert members(tags, zones, "smart") == {
        "北京市石景山区", "江苏省徐州市鼓楼区", "浙江省衢州市", "广东省佛山市禅城区", "四川省成都市新都区"}


def test_every_zone_has_a_tag_and_every_tag_its_evidence(tags, zones):
    assert set(tags.zone_id) == set(zones.zone_id)
    text = {z: t + c for z, t, c in zip(zones.zone_id, zones.theme, zones.content, strict=True)}
    for rec in tags[tags.field != "override"].itertuples():
        assert rec.phrase and rec.phrase in text[rec.zone_id]
        assert f"【{rec.phrase}】" in rec.excerpt


def test_traditional_text_gets_the_same_tags(zones, catalogue, tags):
    s2t = opencc.OpenCC("s2t")
    trad = zones.assign(theme=zones.theme.map(s2t.convert), content=zones.content.map(s2t.convert))
    assert tags_by_zone(theme_tags(trad, catalogue)) == tags_by_zone(tags)


def test_remove_override_wins_over_a_phrase(zones, catalogue, tags):
    # 邛崃 mentions 责任清单 (a duty list), which is not a 准入 list: removed with a reason in themes.yaml
    qionglai = zones[zones.unit_name == "四川省邛崃市"].zone_id.iloc[0]
    assert "burden" not in tags_by_zone(tags)[qionglai]
    assert "清单" in zones[zones.zone_id == qionglai].content.iloc[0]


def test_add_override_tags_with_its_reason(tmp_path):
    path = tmp_path / "t.yaml"
    path.write_text("themes:\n  - {key: a, name: 甲, phrases: [不会出现], color: '#123456'}\n"
                    "overrides:\n  - {zone_id: Z1, theme: a, action: add, reason: 文件正文另有说明}\n", encoding="utf-8")
    import pandas as pd

    t = theme_tags(pd.DataFrame({"zone_id": ["Z1"], "theme": ["x"], "content": ["y"]}), load_themes(path))
    assert t.field.tolist() == ["override"] and t.reason.tolist() == ["文件正文另有说明"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("themes:\n  - {key: a, name: 甲, phrases: [], color: '#123456'}\n", "phrases"),
        ("themes:\n  - {key: a, name: 甲, phrases: [x], color: red}\n", "color"),
        ("themes:\n  - {key: a, name: 甲, phrases: [x], color: '#123456'}\n"
         "  - {key: a, name: 乙, phrases: [y], color: '#123456'}\n", "重复"),
        ("themes:\n  - {key: a, name: 甲, phrases: [x], color: '#123456'}\n"
         "overrides:\n  - {zone_id: Z, theme: b, action: add, reason: r}\n", "未知主题"),
    ],
)
def test_malformed_theme_file_names_the_problem(tmp_path, body, message):
    path = tmp_path / "themes.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ThemeError, match=message):
        load_themes(path)


def test_any_and_all_filters(tags, zones):
    any_ = filter_zone_ids(tags, ("sanshe", "party"), "any")
    all_ = filter_zone_ids(tags, ("sanshe", "party"), "all")
    assert all_ < any_
    assert {zones.set_index("zone_id").unit_name[z] for z in all_} == {"湖南省株洲市天元区"}


def test_primary_theme_is_first_headline_theme(tags, catalogue, zones):
    tianyuan = zones[zones.unit_name == "湖南省株洲市天元区"].zone_id.iloc[0]
    assert primary_theme(tianyuan, tags, catalogue) == "sanshe"  # sanshe precedes party in the file


def test_headline_themes_have_distinct_colours_and_hatches(catalogue):
    head = [t for t in catalogue.themes if t.headline]
    assert [t.key for t in head] == ["sanshe", "grid", "smart", "party", "consult", "burden", "classify",
                                     "service_circle"]  # data/themes.yaml, in its order
    assert len({t.color.lower() for t in head}) == len(head)
    assert len({t.hatch for t in catalogue.themes}) == len(catalogue.themes)
