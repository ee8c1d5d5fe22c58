"""The interactive map as objects and text: what it holds, how big it is, and that it survives folium's rendering."""

import json
import re

import numpy as np
import pytest
import shapely
from folium.template import Template

from geo.boundaries.cache import load_layer
from geo.styling import styles_by_batch, styles_by_theme
from geo.webmap.folium_map import (
    NATIONAL_PRECISION,
    SOUTH_SEA_BOUNDS,
    SOUTH_SEA_NORTH,
    TAIWAN,
    base_map,
    place_labels,
    prepare_base,
    prepare_zones,
    taiwan_has_zones,
    zone_group,
)
from geo.webmap.offline import external_urls
from geo.webmap.packed_layers import (
    ALPHABET,
    atlas_library,
    encode_coords,
    pack_layer,
)
from geo.zones import zone_layer
from loaders.roster import load_roster
from loaders.themes import load_themes, theme_tags

MAX_PAYLOAD = 1_500_000  # bytes a map view may send to the browser (issue 3)
SPEC = re.compile(r"atlas\.layer\([^,]+, (\{.*?\})\);\n", re.DOTALL)


@pytest.fixture(scope="module")
def zones():
    return zone_layer(load_roster().zones.query("batch == '2019'").reset_index(drop=True))


def _specs(html: str) -> dict[str, dict]:
    """Every packed layer in a rendered map, by name."""
    return {spec["layer"]: spec for spec in (json.loads(m) for m in SPEC.findall(html))}


def whole_map(zones, *, province=None):
    """Base and zones in one folium map: the two parts ui.maps hands to st_folium, put together to read as text."""
    m = base_map(prepare_base(province, taiwan_note=not taiwan_has_zones(zones)))
    zone_group(prepare_zones(zones)).add_to(m)
    return m


_INDEX = {c: i for i, c in enumerate(ALPHABET)}


def decode_coords(text: str, precision: int) -> np.ndarray:
    """Polyline text back to coordinates: what atlas_map.js does in the browser, here to check the encoding."""
    values, n, shift = [], 0, 0
    for ch in text:
        b = _INDEX[ch]
        n |= (b & 0x1F) << shift
        shift += 5
        if b < 0x20:
            values.append(~(n >> 1) if n & 1 else n >> 1)
            n, shift = 0, 0
    return np.cumsum(np.array(values, dtype=np.int64).reshape(-1, 2), axis=0) / 10**precision


def unpack_geometry(packed, precision: int) -> shapely.Geometry:
    """A packed geometry back to shapely (what atlas_map.js builds in the browser)."""
    kind, c = packed

    def polygon(rings):
        return shapely.Polygon(decode_coords(rings[0], precision), [decode_coords(r, precision) for r in rings[1:]])

    if kind == "Point":
        return shapely.Point(c)
    if kind == "Polygon":
        return polygon(c)
    if kind == "MultiPolygon":
        return shapely.MultiPolygon([polygon(p) for p in c])
    if kind == "LineString":
        return shapely.LineString(decode_coords(c, precision))
    if kind == "MultiLineString":
        return shapely.MultiLineString([decode_coords(t, precision) for t in c])
    raise ValueError(f"cannot unpack {kind}")


def test_polyline_text_round_trips_within_half_a_unit_of_the_last_decimal():
    rng = np.random.default_rng(7)
    coords = np.column_stack([rng.uniform(-180, 180, 500), rng.uniform(-85, 85, 500)])
    for precision in (2, 3, 5):
        back = decode_coords(encode_coords(coords, precision), precision)
        assert np.abs(back - coords).max() <= 0.5 * 10**-precision + 1e-12


def test_polyline_alphabet_has_nothing_jinja_json_or_streamlit_folium_would_touch():
    assert len(set(ALPHABET)) == 64
    assert not set(ALPHABET) & set("{}%#\\\"'<>&_/.")


def test_packed_text_passes_through_a_jinja_render_unchanged_even_with_template_syntax_in_user_text():
    # branca renders every element's script a second time as a template: user text must stay text.
    spec = pack_layer("zone", [shapely.box(120, 30, 121, 31)],
                      [{"tip": "{{ 7*7 }} {% for x in y %} {# c #} </script><img src=x>"}], 3)
    assert Template(spec).render() == spec
    assert "<" not in spec and "{{" not in spec and "{%" not in spec
    assert json.loads(spec)["features"][0]["p"]["tip"].startswith("{{ 7*7 }}")


def test_national_map_holds_every_zone_as_polygon_and_badge_and_all_34_provinces(zones):
    specs = _specs(whole_map(zones).get_root().render())
    assert {f["p"]["key"] for f in specs["zone"]["features"]} == set(zones.zone_id)
    assert {f["p"]["key"] for f in specs["zone_mark"]["features"]} == set(zones.zone_id)
    assert len(specs["province"]["features"]) == 34
    assert "county" not in specs  # counties only for the drilled-into province


def test_drill_down_draws_only_that_provinces_counties(zones):
    counties = load_layer("county")
    specs = _specs(whole_map(zones[zones.province_adcode == "330000"], province="330000").get_root().render())
    keys = {f["p"]["key"] for f in specs["county"]["features"]}
    assert keys == set(counties.adcode[counties.province_adcode == "330000"])
    dimmed = {f["p"]["key"] for f in specs["province"]["features"] if f["p"].get("dim")}
    assert dimmed == set(load_layer("province").adcode) - {"330000"}


def test_coordinates_are_as_precise_as_the_view_needs(zones):
    province = load_layer("province").set_index("adcode").geometry["110000"]
    base = prepare_base(None)
    spec = json.loads(base.layers[0])
    beijing = next(f for f in spec["features"] if f["p"]["key"] == "110000")
    drawn = unpack_geometry(beijing["g"], spec["precision"])
    assert spec["precision"] == NATIONAL_PRECISION
    assert shapely.make_valid(drawn).symmetric_difference(province).area / province.area < 0.02


def test_every_view_sends_at_most_1_5_mb_and_the_national_map_far_less(zones):
    sizes = {}
    for province in [None, *load_layer("province").adcode]:
        view = zones if province is None else zones[zones.province_adcode == province]
        sizes[province or "national"] = len(whole_map(view, province=province).get_root().render().encode())
    worst = max(sizes, key=sizes.get)
    print(f"map payload: national {sizes['national'] / 1e6:.3f} MB; worst province {worst} {sizes[worst] / 1e6:.3f} MB")
    assert sizes[worst] <= MAX_PAYLOAD, (worst, sizes[worst])
    assert sizes["national"] <= MAX_PAYLOAD / 5


def _base_html(html: str) -> str:
    """The rendered map up to its zone group (folium's random element ids made equal): the base of the view."""
    return re.sub(r"_[0-9a-f]{32}\b", "_ID", re.split(r"var \w+ = L\.featureGroup\(", html)[0])


def test_the_base_of_a_view_does_not_depend_on_the_filters(zones):
    # The live map keeps its map while the base stays the same: filters may change only the zone group.
    grid = zones[zones.zone_id.isin(["CN-2019-11", "CN-2019-20", "CN-2019-30"])]
    two = zones[zones.zone_id.isin(["CN-2019-13", "CN-2019-17"])]
    for province, views in ((None, (zones, grid, two)), ("330000", (zones, grid[grid.province_adcode == "330000"]))):
        html = [whole_map(v, province=province).get_root().render() for v in views]
        assert all('"layer": "province"' in _base_html(h) for h in html)
        assert all(_base_html(h) == _base_html(html[0]) for h in html[1:]), province
        zone_keys = [{f["p"]["key"] for f in _specs(h)["zone"]["features"]} for h in html]
        assert zone_keys == [set(v.zone_id[v.joined]) for v in views]  # …while the zones follow the filter


def test_province_tooltips_count_the_zones_in_view_and_mark_taiwan_without_data(zones):
    tips = dict(prepare_zones(zones[zones.province_adcode == "330000"]).province_tips)
    assert "3 个实验区" in tips["330000"]
    assert "0 个实验区" in tips["110000"]
    assert "台湾省资料暂缺" in tips[TAIWAN]


def test_inset_shows_the_south_china_sea_window_with_the_maritime_line_and_island_dots(zones):
    base = prepare_base(None)
    inset = json.loads(base.inset)
    assert inset["label"] == "南海诸岛"
    assert inset["bounds"] == [list(SOUTH_SEA_BOUNDS[0]), list(SOUTH_SEA_BOUNDS[1])]
    layers = {spec["layer"]: spec for spec in inset["layers"]}
    assert all(spec.get("interactive") is False for spec in layers.values())
    line = layers["inset_maritime"]
    assert unpack_geometry(line["features"][0]["g"], line["precision"]).bounds[1] < 4.0  # down to 曾母暗沙
    dots = np.array([f["g"][1] for f in layers["inset_islands"]["features"]])
    assert len(dots) > 20 and dots[:, 1].max() < 21.0  # island groups offshore, not coastal islets
    assert prepare_base("330000").inset is None  # a drill-down shows one province


def test_theme_badges_are_numbered_by_catalogue_order_whatever_the_filter(zones):
    catalogue = load_themes()
    tags = theme_tags(load_roster().zones.query("batch == '2019'").reset_index(drop=True), catalogue)
    styles, legend = styles_by_theme(zones, tags, catalogue)
    headline = [th.name for th in catalogue.themes if th.headline]
    assert all(e.mark == str(headline.index(e.label) + 1) for e in legend if e.label in headline)
    few = zones[zones.zone_id.isin(["CN-2019-30"])]
    few_styles, _ = styles_by_theme(few, tags, catalogue)
    assert few_styles["CN-2019-30"].mark == styles["CN-2019-30"].mark
    _, batches = styles_by_batch(zones)
    assert [e.mark for e in batches] == ["19"]


def test_the_map_library_is_pasted_into_the_script_and_survives_jinja():
    source = atlas_library()
    assert "window.atlas" in source
    assert Template(source).render() == source  # branca's second render pass must leave it as written
    html = whole_map(zone_layer(load_roster().zones.query("batch == '2019'").reset_index(drop=True)).head(0)).get_root().render()
    assert html.index("window.atlas") < html.index("atlas.layer(")
    assert "atlas_map.js" not in html  # not a link: no extra round trip before the map can draw


@pytest.mark.parametrize("province", [None, "510000"])
def test_the_view_is_fitted_at_once_before_any_layer_is_drawn(zones, province):
    """Leaflet draws each layer once, at the fitted zoom: no animated zoom from folium's zoom_start to the fit
    (which drew everything twice before the map settled)."""
    script = whole_map(zones, province=province).get_root().render()
    fit = re.search(r"\.fitBounds\(\s*(\[.*?\]),\s*(\{.*?\})\s*\);", script, re.DOTALL)
    assert fit and json.loads(fit.group(2))["animate"] is False
    assert fit.start() < script.index("atlas.layer(")


def test_the_national_main_map_leaves_the_south_china_sea_to_the_inset_until_zoomed_in():
    layers = {json.loads(spec)["layer"]: json.loads(spec) for spec in prepare_base(None).layers}
    assert layers["maritime"]["fitOnly"] is False and layers["south_sea_islands"]["fitOnly"] is False
    islands = layers["south_sea_islands"]
    south = unpack_geometry(islands["features"][0]["g"], islands["precision"])
    assert south.bounds[3] < SOUTH_SEA_NORTH and south.bounds[1] < 10  # 西沙…南沙, drawn once the user zooms in
    hainan = next(f for f in layers["province"]["features"] if f["p"]["key"] == "460000")
    assert unpack_geometry(hainan["g"], layers["province"]["precision"]).bounds[1] > SOUTH_SEA_NORTH - 0.5
    # a drill-down has no inset: there the main map draws everything, always
    drill = {json.loads(spec)["layer"]: json.loads(spec) for spec in prepare_base("460000").layers}
    assert "fitOnly" not in drill["maritime"] and "south_sea_islands" not in drill


def test_place_names_are_provinces_nationally_and_prefectures_before_counties_in_a_drill_down():
    national = json.loads(place_labels(None))["features"]
    assert sorted(f["p"]["name"] for f in national) == sorted(load_layer("province").name)
    zhejiang = json.loads(place_labels("330000"))["features"]
    prefectures = [f["p"] for f in zhejiang if f["p"]["level"] == "prefecture"]
    counties = [f["p"] for f in zhejiang if f["p"]["level"] == "county"]
    assert {"杭州市", "宁波市", "温州市", "舟山市"} <= {p["name"] for p in prefectures} and len(prefectures) == 11
    assert min(p["rank"] for p in prefectures) > max(p["rank"] for p in counties)  # kept first where names collide
    assert all(f["g"][0] == "Point" for f in zhejiang)


def test_zone_badges_are_clustered_by_the_vendored_markercluster_plugin(zones):
    html = whole_map(zones).get_root().render()
    assert "L.markerClusterGroup(" in html and '"spiderfyOnMaxZoom": true' in html
    # the plugin's code is pasted into the script (no round trip before the first paint), its stylesheet linked
    assert "L.MarkerClusterGroup=L.FeatureGroup.extend" in html
    assert "/app/static/vendor/leaflet.markercluster/MarkerCluster.css" in html
    assert "leaflet.markercluster.js" not in html and "MarkerCluster.Default.css" not in html
    assert external_urls(html) == []
    assert re.search(r"atlas\.layer\(marker_cluster_\w+, \{\"layer\": \"zone_mark\"", html)  # badges in the cluster
    assert '"maxBounds": [[0.0, 60.0], [58.0, 150.0]]' in html  # pan and zoom stay near China (atlas.view)
