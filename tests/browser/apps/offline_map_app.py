"""Smallest app that shows an offline folium map of China's provinces through streamlit-folium (browser tests)."""

import folium
import streamlit as st
from streamlit_folium import st_folium

from geo.boundaries.cache import load_layer  # `python -m streamlit` from the repo root puts it on sys.path
from geo.webmap.offline import external_urls, offline_map

st.set_page_config(page_title="offline map", layout="wide")

provinces = load_layer("province")
m = offline_map(location=(35.0, 105.0), zoom_start=4)
folium.GeoJson(
    provinces[["adcode", "name", "geometry"]],
    style_function=lambda f: {"fillColor": "#f4f1ea", "color": "#8a8a8a", "weight": 0.8, "fillOpacity": 1.0},
    tooltip=folium.GeoJsonTooltip(fields=["name"], labels=False),
).add_to(m)
for rec in provinces.itertuples(index=False):
    folium.CircleMarker(
        (rec.label_lat, rec.label_lon), radius=4, color="#ffffff", weight=1, fill=True,
        fill_color="#b3261e", fill_opacity=1, tooltip=folium.Tooltip(rec.name), popup=folium.Popup(rec.adcode),
    ).add_to(m)
m.fit_bounds([[17.5, 73.0], [53.6, 135.1]])

html = m.get_root().render()
st.caption(f"provinces={len(provinces)} html_bytes={len(html.encode())} external_urls={len(external_urls(html))}")
st_folium(m, key="m", returned_objects=[], height=600, use_container_width=True)
