"""Maps built for the closed network link only vendored files, and refuse elements that would need the internet."""

import hashlib
import re
from pathlib import Path

import folium
import folium.plugins
import pytest

from geo.boundaries.cache import load_layer
from geo.webmap.folium_map import base_map, prepare_base
from geo.webmap.offline import (
    LOCAL_PREFIX,
    STATIC_DIR,
    VENDOR_DIR,
    OfflineAssetError,
    PlainAttributionPrefix,
    external_urls,
    localize,
    offline_map,
)

LINK = re.compile(r"""<(?:script|link)\b[^>]*?\b(?:src|href)=["']([^"']+)["']""", re.IGNORECASE)


def _province_map() -> folium.Map:
    """What the dashboard draws: provinces as GeoJSON with tooltips, zones as circle markers with popups."""
    provinces = load_layer("province")
    m = offline_map(location=(35.0, 105.0), zoom_start=4)
    folium.GeoJson(
        provinces[["adcode", "name", "geometry"]],
        style_function=lambda f: {"fillColor": "#f4f1ea", "color": "#8a8a8a", "weight": 0.8},
        tooltip=folium.GeoJsonTooltip(fields=["name"], labels=False),
    ).add_to(m)
    for rec in provinces.head(5).itertuples(index=False):
        folium.CircleMarker(
            (rec.label_lat, rec.label_lon), radius=6, fill=True,
            tooltip=folium.Tooltip(rec.name), popup=folium.Popup(f"<b>{rec.adcode}</b>"),
        ).add_to(m)
    m.fit_bounds([[17.5, 73.0], [53.6, 135.1]])
    return m


@pytest.fixture(scope="module")
def province_html() -> str:
    return _province_map().get_root().render()


def _served_path(url: str) -> Path:
    assert url.startswith("/app/static/"), url
    return STATIC_DIR / url.removeprefix("/app/static/")


def test_province_map_renders_with_no_external_url(province_html):
    assert "L.geoJson" in province_html or "L.geoJSON" in province_html  # the layer really is in the page
    assert external_urls(province_html) == []


def test_every_linked_asset_is_a_vendored_file(province_html):
    links = LINK.findall(province_html)
    assert f"{LOCAL_PREFIX}/leaflet/leaflet.js" in links
    assert f"{LOCAL_PREFIX}/leaflet/leaflet.css" in links
    for url in links:
        assert _served_path(url).is_file(), url


def test_leaflet_css_images_are_vendored_too():
    css = (VENDOR_DIR / "leaflet" / "leaflet.css").read_text(encoding="utf-8")
    images = set(re.findall(r"url\((images/[^)]+)\)", css))
    assert {"images/layers.png", "images/marker-icon.png"} <= images
    for rel in images:
        assert (VENDOR_DIR / "leaflet" / rel).is_file(), rel


def test_jquery_is_linked_only_when_a_popup_needs_it(province_html):
    assert "jquery" in province_html  # the circle markers carry popups
    m = offline_map()
    folium.CircleMarker((39.9, 116.4), radius=5, tooltip="北京").add_to(m)
    html = m.get_root().render()
    assert "jquery" not in html
    assert "bootstrap" not in html and "awesome" not in html


def test_folium_class_defaults_are_not_rewritten(province_html):
    # localize sets instance attributes; a plain folium.Map elsewhere in the process still names its CDNs.
    assert any(url.startswith("https://") for _, url in folium.Map.default_js)


def test_unvendored_plugin_raises():
    m = offline_map()
    folium.plugins.MarkerCluster().add_to(m)
    with pytest.raises(OfflineAssetError, match="markercluster"):
        localize(m)


def test_awesome_marker_icon_raises_instead_of_a_blank_icon():
    m = offline_map()
    folium.Marker((39.9, 116.4), icon=folium.Icon(color="red")).add_to(m)
    with pytest.raises(OfflineAssetError, match="Icon"):
        m.get_root().render()


def test_web_tiles_raise_unless_configured():
    with pytest.raises(OfflineAssetError, match="tile"):
        localize(folium.Map(location=(35, 105)))  # folium's default OpenStreetMap tiles
    agency = "https://tiles.agency.example/{z}/{x}/{y}.png"
    m = offline_map(tile_url=agency, tile_attribution="© agency")
    html = m.get_root().render()
    assert external_urls(html) == [agency]
    assert external_urls(html, allow=[agency]) == []


def test_tile_attribution_prefix_is_plain_text_not_a_link_to_leafletjs():
    m = offline_map(tile_url="https://tiles.agency.example/{z}/{x}/{y}.png", tile_attribution="© agency")
    html = m.get_root().render()
    assert "leafletjs.com" not in html
    assert f'attributionControl.setPrefix("{PlainAttributionPrefix.PREFIX}")' in html


def test_inlined_stylesheets_leave_no_css_link_and_keep_their_images():
    html = base_map(prepare_base(None), inline_css=True).get_root().render()  # as the dashboard draws it
    assert not [u for u in LINK.findall(html) if u.endswith(".css")]
    assert ".leaflet-pane" in html and ".atlas-mark" in html  # Leaflet's rules and ours
    assert f"url({LOCAL_PREFIX}/leaflet/images/layers.png)" in html
    assert external_urls(html) == []


def test_map_rendered_before_localize_loses_its_cdn_header_links():
    m = folium.Map(location=(35, 105), tiles=None)
    assert external_urls(m.get_root().render())  # plain folium: CDN links in the header
    localize(m)
    assert external_urls(m.get_root().render()) == []


def test_external_urls_finds_requests_not_namespaces():
    page = (
        '<svg xmlns="http://www.w3.org/2000/svg"></svg>'
        '<script src="//cdn.example.org/x.js"></script>'
        "<style>a{background:url(https://fonts.example.com/f.woff2)}</style>"
        '<script>var u = "https:\\/\\/api.example.net\\/v1"; // a comment, not a URL\n'
        'var local = "/app/static/vendor/leaflet/leaflet.js";</script>'
    )
    assert external_urls(page) == [
        "//cdn.example.org/x.js",
        "https://api.example.net/v1",
        "https://fonts.example.com/f.woff2",
    ]


def test_vendored_files_match_the_readme_checksums():
    readme = (VENDOR_DIR / "README.md").read_text(encoding="utf-8")
    listed = dict(re.findall(r"^\| `([^`]+)` \| `([0-9a-f]{64})` \|$", readme, re.MULTILINE))
    shipped = {p.relative_to(VENDOR_DIR).as_posix() for p in VENDOR_DIR.rglob("*") if p.is_file()} - {"README.md"}
    assert set(listed) == shipped
    for rel, digest in listed.items():
        assert hashlib.sha256((VENDOR_DIR / rel).read_bytes()).hexdigest() == digest, rel
