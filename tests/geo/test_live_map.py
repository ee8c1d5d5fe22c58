"""The live map's component data and code (geo.live_map): plain JSON, the base independent of the filters, offline."""

import json

import pytest

from geo.folium_map import CHINA_BOUNDS, prepare_base, prepare_zones
from geo.live_map import LEAFLET_JS, base_text, component_css, component_js, map_data, zones_text
from geo.offline import STATIC_DIR, external_urls
from loaders.i18n import text

XSS = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def national():
    return prepare_base(None, taiwan_note=True)


def test_map_data_is_json_with_every_layer_of_the_view(national, zones):
    data = json.loads(json.dumps(map_data(national, prepare_zones(zones), 500)))
    base, zone_group = json.loads(data["base"]), json.loads(data["zones"])
    assert [spec["layer"] for spec in base["layers"]] == ["province", "maritime"]
    assert [spec["layer"] for spec in base["inset"]["layers"]] == ["inset_land", "inset_islands", "inset_maritime"]
    assert base["bounds"] == [list(CHINA_BOUNDS[0]), list(CHINA_BOUNDS[1])]
    assert base["taiwanNote"]["text"] == text("common.taiwan_no_data")
    assert base["tiles"] is None
    assert [spec["layer"] for spec in zone_group["layers"]] == ["zone", "zone_mark"]
    assert len(zone_group["layers"][0]["features"]) == int(zones.joined.sum())
    assert len(zone_group["tips"]) == 34  # every province's tooltip counts the zones in view
    assert data["leaflet"] == LEAFLET_JS and (STATIC_DIR / LEAFLET_JS.removeprefix("/app/static/")).is_file()


def test_the_base_text_is_the_same_each_time_it_is_prepared_and_the_zone_text_follows_the_filters(national, zones):
    # The component keeps its map only while the base text stays byte-identical across reruns; that the page's
    # base does not depend on the filters is tested on the whole map (tests/geo/test_folium_map.py).
    grid = zones[zones.zone_id.isin(["CN-2019-11", "CN-2019-20"])]
    assert base_text(national) == base_text(prepare_base(None, taiwan_note=True))
    assert zones_text(prepare_zones(zones)) != zones_text(prepare_zones(grid))
    assert base_text(prepare_base("330000")) != base_text(national)  # a drill-down draws another map


def test_tile_server_attribution_is_text_and_needs_saying(national):
    tiles = json.loads(base_text(national, tile_url="/tiles/{z}/{x}/{y}.png", tile_attribution=XSS))["tiles"]
    assert tiles == {"url": "/tiles/{z}/{x}/{y}.png", "attribution": "&lt;img src=x onerror=alert(1)&gt;"}
    with pytest.raises(ValueError):
        base_text(national, tile_url="/tiles/{z}/{x}/{y}.png")


def test_zone_text_reaches_the_component_escaped(zones):
    hostile = zones.copy()
    hostile.loc[hostile.index[0], "unit_name"] = XSS
    text_ = zones_text(prepare_zones(hostile))
    assert "<img" not in text_
    tips = [f["p"]["tip"] for f in json.loads(text_)["layers"][0]["features"]]
    assert "&lt;img src=x onerror=alert(1)&gt;" in tips[0]  # a tooltip shows it as text


def test_component_code_and_styles_need_nothing_from_the_network():
    js, css = component_js(), component_css()
    assert external_urls(js) == [] and external_urls(css) == []
    assert "export default" in js and js.index("window.atlas") < js.index("export default")
    assert "url(/app/static/vendor/leaflet/images/layers.png)" in css  # Leaflet's images from /app/static
    assert ".atlas-mark" in css
