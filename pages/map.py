"""Map page: national map with every zone findable, filters, zone list, zone card, province drill-down."""

from __future__ import annotations

from functools import partial

import streamlit as st

from geo.folium_map import clicked_target
from loaders.safe_export import to_csv_bytes, to_excel_bytes
from loaders.selection import apply_filter, filter_options, zone_table
from loaders.themes import filter_zone_ids, tags_by_zone
from ui import cached, maps
from ui.cards import zone_card
from ui.filters import filter_sidebar, filter_values, seed_from_view
from ui.session import session_key, session_tags, session_zones
from ui.state import ViewState, arrived_with_new_view, read_view, write_view
from ui.text import md_escape, t

zones = session_zones()
tags = session_tags(zones)
catalogue = cached.theme_catalogue()
theme_names = {th.key: th.name for th in catalogue.themes}
zone_tag_keys = tags_by_zone(tags)
zone_tag_names = {z: "、".join(theme_names[k] for k in keys) for z, keys in zone_tag_keys.items()}
provinces = cached.layer("province")
province_names = dict(zip(provinces.adcode, provinces.name, strict=True))
options = filter_options(zones, tuple(theme_names), tuple(provinces.adcode))

url_view, notices = read_view(options, set(zones.zone_id))
if arrived_with_new_view(url_view, "map"):
    st.session_state.province = url_view.province
    st.session_state.zone = url_view.zone
    seed_from_view(url_view)
if notices:  # the junk is gone from the URL once the view is written back, so this shows once per bad link
    st.warning(t("map.url_notice", values="、".join(md_escape(n[:40]) for n in notices)))

roster_problems = cached.loaded_roster().problems
if roster_problems:
    with st.expander(t("map.roster_problems", n=len(roster_problems)), expanded=False):
        st.markdown("  \n".join(md_escape(p) for p in roster_problems[:200]))

# The filters are read from session state here and their widgets drawn after the map (see the end of the page).
zone_filter, color_mode = filter_values(options)
members = filter_zone_ids(tags, zone_filter.themes, zone_filter.theme_mode) if zone_filter.themes else None
shown = apply_filter(zones, zone_filter, members, zone_tag_names)


def _on_map_click(map_key: str) -> None:
    value = st.session_state.get(map_key) or {}
    target = clicked_target(value.get("click"))
    if target is None:
        return
    kind, key = target
    if kind == "zone" and key in set(zones.zone_id):
        st.session_state.zone = key
    elif kind == "province" and key in province_names and st.session_state.province is None:
        st.session_state.province = key


def _go_nation() -> None:
    st.session_state.province = None


def _close_card() -> None:
    st.session_state.zone = None


def _on_province_pick() -> None:
    st.session_state.province = st.session_state.prov_pick or None


def _on_zone_pick() -> None:
    st.session_state.zone = st.session_state.zone_pick or None


def _header(in_view, province: str | None) -> None:
    """One compact row (title and place, two figures, province picker) so that at 1280×800 the whole national
    map — with its 南海诸岛 inset — sits above the fold, the zone list beside it."""
    title, shown_count, province_count, place = st.columns([3, 1.3, 1.1, 2.6], vertical_alignment="bottom")
    title.subheader(t("map.title"), anchor=False)
    crumb = md_escape(t("map.nation")) + (f" › {md_escape(province_names[province])}" if province else "")
    title.caption(crumb)
    with shown_count:
        maps.figure(t("map.shown"), f"{len(in_view)} / {len(zones)}")
    with province_count:
        maps.figure(t("map.provinces_with_zones"), in_view.province_adcode.nunique())
    with place:
        back, pick = st.columns([1, 2], vertical_alignment="bottom") if province else (None, st.container())
        if back is not None:
            back.button(t("map.back_to_nation"), on_click=_go_nation, key="crumb_nation", width="stretch")
        st.session_state.prov_pick = province or ""
        pick.selectbox(
            t("map.province_pick"), [""] + list(province_names), key="prov_pick", on_change=_on_province_pick,
            format_func=lambda a: province_names.get(a, t("map.nation")),
        )


@st.fragment
def map_area() -> None:
    province = st.session_state.province
    in_view = shown if province is None else shown[shown.province_adcode == province]
    write_view(ViewState(zone_filter, province, st.session_state.zone, color_mode), owner="map")

    # Layout first, then the map into it before anything else: the first paint waits for the map's component,
    # and the browser fetches the lazily-loaded script chunks of Streamlit's elements in the order they arrive
    # (bench.page_speed).
    head = st.container(key="map_head")
    left, right = st.columns([5, 3], gap="medium")
    with left:
        zone_map = maps.zone_map(in_view, color_mode, province, st.session_state.zone)
        map_key = f"zone_map_{province or 'nation'}"
        # The base map stays drawn (same base text) while filters and the selected zone only swap the zone group;
        # only clicks rerun the page, each one reported anew (static/atlas/live_map.js).
        maps.live_map(zone_map, map_key, partial(_on_map_click, map_key))
    with head:
        _header(in_view, province)
    with left:
        maps.legend(zone_map.legend)
        st.caption(t("map.map_hint"))
        st.caption(maps.source_line(in_view) + "　" + maps.completeness_line(zones))
        maps.unjoined_notice(in_view)
        st.download_button(
            t("map.download_png"),
            data=partial(cached.map_snapshot_png, tuple(in_view.zone_id), province, color_mode,
                         maps.snapshot_title(zone_filter, province, province_names, theme_names), session_key()),
            file_name="zone-map.png", mime="image/png", key="png_export", help=t("map.download_png_help"),
        )
    with right:
        zone = st.session_state.zone
        if zone and zone in set(zones.zone_id):
            zone_card(zones[zones.zone_id == zone].iloc[0], tags, theme_names, on_close=_close_card, zones=zones)
        st.subheader(t("map.list"), anchor=False)
        table = zone_table(in_view, zone_tag_names)
        if table.empty:
            st.info(t("map.list_empty"))
        else:
            names = dict(zip(table.zone_id, table.unit_name, strict=True))
            st.session_state.zone_pick = zone if zone in names else ""
            st.selectbox(
                t("map.open_zone"), ["", *names], key="zone_pick", on_change=_on_zone_pick,
                format_func=lambda z: names.get(z, t("map.open_zone_hint")), label_visibility="collapsed",
            )
            maps.zone_list(table, zone_map.styles)
        export = table.rename(columns=lambda c: t(f"map.columns.{c}"))
        d1, d2 = st.columns(2)
        d1.download_button(t("map.download_csv"), to_csv_bytes(export), "zones.csv", "text/csv",
                           width="stretch")
        # Written eagerly (≈40 ms a run): a deferred callable here lost clicks that came during the rerun
        # started by the CSV button (tests/browser/test_hostile_input.py, one run in four).
        d2.download_button(t("map.download_xlsx"), to_excel_bytes(export, "zones"), "zones.xlsx",
                           width="stretch")


maps.page_style()
map_area()
# Drawn after the map; they return what filter_values read, unless session state and widgets disagree (not
# expected): then the page is drawn again with the widgets' values.
if filter_sidebar(options, theme_names) != (zone_filter, color_mode):
    st.rerun()
