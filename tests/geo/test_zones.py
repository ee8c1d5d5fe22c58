"""Every roster row gets its polygon and a marker inside it; unjoinable rows stay, with the reason."""

import pandas as pd
import pytest
import shapely

from geo.zones import designated_line, drawn_line, today_names, zone_layer
from loaders.roster import load_roster


@pytest.fixture(scope="module")
def zones():
    return zone_layer(load_roster().zones.query("batch == '2019'").reset_index(drop=True))


def test_all_31_zones_have_a_polygon(zones):
    assert len(zones) == 31 and zones.joined.all()
    assert zones.geometry.notna().all()


def test_marker_lies_inside_its_zone(zones):
    for rec in zones.itertuples(index=False):
        assert rec.geometry.buffer(0.01).contains(shapely.Point(rec.marker_lon, rec.marker_lat)), rec.unit_name


def test_whole_prefecture_zone_is_much_larger_than_a_district(zones):
    area = dict(zip(zones.unit_name, zones.area_km2, strict=True))
    assert area["浙江省衢州市"] > 8000  # 衢州市 is about 8,800 km²
    assert area["上海市徐汇区"] < 60  # 徐汇区 is about 55 km²


def test_unresolvable_row_is_kept_with_a_reason():
    frame = load_roster().zones.query("batch == '2019'").reset_index(drop=True).head(2).copy()
    frame.loc[1, ["province", "prefecture", "county", "unit_name", "designated_adcode", "current_adcodes"]] = [
        "", "", "鼓楼区", "鼓楼区", "", ""]
    out = zone_layer(frame)
    assert len(out) == 2
    assert out.joined.tolist() == [True, False]
    assert out.join_problem.iloc[1]
    assert pd.isna(out.marker_lon.iloc[1])


def test_a_zone_designated_under_an_older_unit_is_found_by_todays_names_and_shows_both_codes(zones):
    jianggan = zones[zones.zone_id == "CN-2019-11"].iloc[0]  # 江干区 (330104), merged into 上城区 in 2021
    assert today_names(jianggan) == ["上城区", "钱塘区"]  # drawn as 上城区; 钱塘区 took two of its 街道
    assert designated_line(jianggan) == "330104 江干区"
    assert drawn_line(jianggan) == "330102 上城区"
    unchanged = zones[zones.zone_id == "CN-2019-30"].iloc[0]  # 榆阳区
    assert today_names(unchanged) == [] and designated_line(unchanged) is None
    assert drawn_line(unchanged) == "610802 榆阳区"
