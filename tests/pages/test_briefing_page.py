"""The briefing page as a presenter drives it (AppTest, real roster and boundaries): slides from the URL, buttons,
filters from the URL or from the map page, escaping, nothing fetched from outside."""

from __future__ import annotations

import html
import json
import re

import pytest

from geo.webmap.offline import external_urls
from loaders.roster import load_roster
from loaders.selection import ZoneFilter
from loaders.themes import load_themes, theme_tags
from tests.pages.conftest import XSS
from ui.state import ViewState

PAGE = "pages/briefing.py"
# The whole roster (the 31 units of 2019 and the public lists): overview, 名单完整度 (8 batches on 2 slides), headline
# themes, each province, each zone.
SLIDES = 129
SHIJINGSHAN = 18  # 北京市 is the first province; its zones in id order: 东城区, 西城区, 海淀区, 石景山区


@pytest.fixture
def briefing(app):
    def make(**query):
        at = app(**query)
        at.switch_page(PAGE)
        return at

    return make


def slide_html(at) -> str:
    """The slide block the page drew (the st.html element holding div.zb-slide)."""
    bodies = [e.proto.body for e in at.get("html") if 'class="zb-slide' in e.proto.body]
    assert len(bodies) == 1, f"expected one slide, got {len(bodies)}"
    return bodies[0]


def shown(at) -> tuple[int, int, str]:
    """(slide number, slide count, title) as the slide itself says."""
    body = slide_html(at)
    number = int(re.search(r'data-slide="(\d+)"', body).group(1))
    count = int(re.search(r"第 \d+/(\d+) 页", body).group(1))
    title = re.search(r'<h1 class="zb-title">(.*?)</h1>', body).group(1)
    return number, count, title


def param(at, key):
    value = at.query_params.get(key)
    return value[0] if isinstance(value, list) else value


def test_the_page_opens_on_the_overview_full_window(briefing):
    at = briefing().run()
    assert not at.exception
    number, count, title = shown(at)
    # the whole roster: 60 national and 30 provincial zones, so not 全国…概览 (the national programme's name)
    assert (number, count) == (1, SLIDES) and title == "全国及省级社区治理和服务创新实验区概览"
    assert param(at, "slide") == "1"
    css = "\n".join(e.proto.body for e in at.get("html") if e.proto.body.lstrip().startswith("<style>"))
    for chrome in ("stHeader", "stToolbar", "stSidebar"):
        assert f'[data-testid="{chrome}"]' in css  # hidden on this page only (the CSS is this page's element)
    assert [b.label for b in at.button][:2] == ["← 上一页", "下一页 →"]
    assert at.button(key="zb_prev").disabled and not at.button(key="zb_next").disabled


def test_slide_number_in_the_url_opens_that_slide(briefing):
    at = briefing(slide=str(SHIJINGSHAN)).run()
    number, _, title = shown(at)
    assert number == SHIJINGSHAN and title == "北京市石景山区"
    assert "打造“老街坊”品牌" in slide_html(at)
    assert not at.toast


def test_a_slide_number_past_the_end_opens_the_last_slide_with_a_notice(briefing):
    at = briefing(slide="999").run()
    number, count, _ = shown(at)
    assert not at.exception and number == count > 1
    assert param(at, "slide") == str(count)
    assert len(at.toast) == 1 and "已打开最后一页" in at.toast[0].value


@pytest.mark.parametrize("bad", ["0", "abc", "-3", "2.5"])
def test_a_bad_slide_number_falls_back_to_the_first_slide_with_a_notice(briefing, bad):
    at = briefing(slide=bad).run()
    assert not at.exception
    assert shown(at)[0] == 1
    assert param(at, "slide") == "1"
    assert len(at.toast) == 1 and "已从第 1 页开始" in at.toast[0].value


def test_next_and_previous_buttons_move_one_slide_and_update_the_url(briefing):
    at = briefing().run()
    at.button(key="zb_next").click().run()
    assert shown(at)[:2] == (2, SLIDES) and shown(at)[2].startswith("各批次名单完整度")  # known/official sizes
    assert param(at, "slide") == "2"
    at.button(key="zb_next").click().run()
    assert shown(at)[0] == 3
    at.button(key="zb_prev").click().run()
    assert shown(at)[0] == 2 and param(at, "slide") == "2"


def test_first_and_last_go_to_the_ends_and_next_stops_at_the_last(briefing):
    at = briefing(slide="5").run()
    at.button(key="zb_last").click().run()
    assert shown(at)[0] == SLIDES and at.button(key="zb_next").disabled
    at.button(key="zb_first").click().run()
    assert shown(at)[0] == 1 and param(at, "slide") == "1"


def test_filters_in_the_url_narrow_the_deck(briefing):
    at = briefing(theme="grid", slide="3").run()  # overview, 名单完整度 (one batch), then the theme
    assert not at.exception
    number, count, title = shown(at)
    assert number == 3 and 1 < count < SLIDES
    assert title == "网格化服务管理"
    overview = briefing(theme="grid").run()
    assert "网格化服务管理" in slide_html(overview)  # the scope line says what the deck covers
    assert param(at, "theme") == "grid"


def test_a_province_in_the_url_makes_a_province_deck(briefing):
    at = briefing(prov="330000").run()
    number, count, title = shown(at)
    assert title == "浙江省社区治理和服务创新实验区概览"
    roster = load_roster().zones
    zhejiang = roster[roster.province == "浙江省"]
    catalogue = load_themes()
    themes = set(theme_tags(zhejiang, catalogue).theme_key) & {th.key for th in catalogue.themes if th.headline}
    assert len(zhejiang) == 8 and themes  # 3 of 2019, 杭州市 (batch 1), 4 provincial units of 宁波
    drawn = zhejiang[zhejiang.parent_adcode == ""]  # the 3 街道/镇 of 宁波 have no polygon and no spotlight slide
    # overview, 名单完整度 (4 batches: one slide), its headline themes, the province (its 5 drawn zones: one slide),
    # a spotlight on each drawn zone
    assert count == 1 + 1 + len(themes) + 1 + len(drawn)


def test_without_url_filters_the_deck_follows_the_map_page_view(briefing):
    at = briefing()
    at.session_state["_last_view"] = ViewState(ZoneFilter(query="禅城"), None, "CN-2019-24", "theme")
    at.run()
    _, count, _ = shown(at)
    assert count < SLIDES
    assert '<div class="zb-figure"><b>1</b><span>实验区</span>' in slide_html(at)
    assert "禅城" in slide_html(at)
    assert param(at, "q") == "禅城" and param(at, "zone") is None  # the link now reproduces this deck


def test_bad_filter_values_in_the_url_are_ignored_with_a_notice(briefing):
    at = briefing(theme="nope", prov="999999").run()
    assert not at.exception
    assert shown(at)[1] == SLIDES
    assert any("nope" in t.value for t in at.toast)


def test_roster_text_is_escaped_on_slides(briefing, roster_edited):
    roster_edited({(0, "unit_name"): "北京市石景山区" + XSS, (0, "theme"): XSS,
                   (0, "content"): "<script>alert(2)</script>" + XSS})
    at = briefing(slide=str(SHIJINGSHAN)).run()
    assert not at.exception
    body = slide_html(at)
    assert "<img src=x" not in body and "<script>" not in body
    assert "&lt;img src=x onerror=alert(1)&gt;" in body


def test_the_page_reaches_nothing_outside_the_machine(briefing):
    at = briefing(slide="2").run()
    everything = "\n".join(e.proto.body for e in at.get("html"))
    assert external_urls(everything) == []
    assert ":material/" not in everything
    labels = [b.label for b in at.button] + [str(e.proto) for e in at.get("page_link")]
    assert not any(":material/" in label for label in labels)


def test_a_filter_that_matches_nothing_shows_an_empty_slide(briefing):
    at = briefing(q="没有这个实验区").run()
    assert not at.exception
    body = next(e.proto.body for e in at.get("html") if 'class="zb-slide' in e.proto.body)
    assert "没有符合条件的实验区" in body
    assert at.button(key="zb_prev").disabled and at.button(key="zb_next").disabled


def test_a_slide_map_comes_in_both_shapes_with_the_badges_of_its_list(briefing):
    """Slide 112 is 甘肃省 (4/4): its two rows are ⑮ 积石山…自治县 and 兰州新区中川园区, which has no county-level
    boundary and so no number. Each <img> (wide, tall) carries the boxes of the badges drawn on it."""
    at = briefing(slide="112").run()
    body = slide_html(at)
    assert "甘肃省（4/4）" in body
    images = re.findall(r'<img class="zb-(wide|tall)" src="data:image/png;base64,[^"]+" alt="[^"]*" '
                        r'data-labels="([^"]+)">', body)
    assert [shape for shape, _ in images] == ["wide", "tall"]
    for _, labels in images:
        placed = json.loads(html.unescape(labels))
        assert sorted(int(text) for text, *_ in placed["labels"]) == list(range(1, 16))
    assert '<i class="zb-num"' in body and ">15</i><b>临夏回族自治州积石山保安族东乡族撒拉族自治县</b>" in body
    assert "<b>兰州新区中川园区</b><small>图上未标出（无县级边界）</small>" in body
