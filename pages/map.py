"""Map page: national map with every zone findable, filters, zone list, zone card, province drill-down."""

from __future__ import annotations

from functools import partial

import streamlit as st
from streamlit_folium import st_folium

from geo.printmap.captions import export_file_name, sized_subject
from geo.webmap.folium_map import clicked_target
from loaders.selection import apply_filter, clean_query, filter_options, only_match, zone_table
from loaders.themes import filter_zone_ids, tags_by_zone
from ui import cached, maps
from ui.cached import session_key, session_tags, session_zones
from ui.cards import zone_card
from ui.filters import filter_sidebar, filter_values, seed_from_view
from ui.session import restore_widget_state, save_widget_state
from ui.state import ViewState, arrived_with_new_view, read_view, write_view
from ui.text import md_escape, t

restore_widget_state("map")  # the filters as left before a visit to another page (ui.session)
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


def _focus(zone_id: str) -> None:
    """Open a zone's card and show it on the map (centred, zoomed in; ui.maps.focus_view), from the list, the
    picker or a search that matches it alone. In a drill-down of another province, back to the nation."""
    st.session_state.zone = zone_id
    province = zones.loc[zones.zone_id == zone_id, "province_adcode"].iloc[0]
    if st.session_state.province not in (None, province):
        st.session_state.province = None
    st.session_state.map_focus = (zone_id, st.session_state.get("map_focus", ("", 0))[1] + 1)


# A search that matches one zone opens it (once per search text: closing the card keeps it closed).
if zone_filter.query and len(shown) == 1 and st.session_state.get("_jumped_query") != zone_filter.query:
    _focus(shown.zone_id.iloc[0])
st.session_state["_jumped_query"] = zone_filter.query


def _on_map_click(map_key: str) -> None:
    value = st.session_state.get(map_key) or {}
    target = clicked_target(value.get("last_active_drawing"))
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
    st.session_state.map_focus = None


def _on_province_pick() -> None:
    st.session_state.province = st.session_state.prov_pick or None


def _on_zone_pick(names: dict[str, str]) -> None:
    """A zone picked, or text typed into the picker and entered (Traditional or Simplified, as in the search box):
    the one zone it names opens; text naming several goes to the search box, which lists them."""
    picked = st.session_state.zone_pick or ""
    if not picked:  # an emptied picker closes nothing (the card has its own button; a remounted picker reports
        return      # its empty value after a page change)
    if picked in names:
        _focus(picked)
        return
    found = only_match(shown[shown.zone_id.isin(names)], picked, zone_tag_names)
    if found:
        _focus(found)
    else:
        st.session_state.f_query = clean_query(picked)


def _on_list_select(widget_key: str) -> None:
    row = maps.selected_row(st.session_state[widget_key])
    ids = st.session_state.get("_listed_ids") or []
    if row is not None and row < len(ids):
        _focus(ids[row])


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
    subject = maps.export_subject(zone_filter, province, province_names, theme_names)  # names every export below

    # Layout first, then the map into it before anything else: the map's component (its script chunk, then its
    # iframe) is what the first paint waits for, and the browser fetches the lazily-loaded script chunks of
    # Streamlit's widgets in the order their elements arrive (bench.page_speed).
    head = st.container(key="map_head")
    left, right = st.columns([5, 3], gap="medium")
    with left:
        zone_map = maps.zone_map(in_view, color_mode, province, st.session_state.zone, zone_filter.themes)
        map_key = f"zone_map_{province or 'nation'}"
        # The base map stays mounted (same script → same component) while filters and the selected zone only
        # swap the zone group; only clicks rerun the page (each one reported anew, see static/atlas/atlas_map.js).
        center, zoom = maps.focus_view(in_view, st.session_state.get("map_focus"), st.session_state.zone)
        st_folium(
            zone_map.base, key=map_key, height=maps.MAP_HEIGHT, use_container_width=True,
            feature_group_to_add=zone_map.zones, returned_objects=["last_active_drawing"],
            on_change=partial(_on_map_click, map_key), center=center, zoom=zoom,
        )
    with head:
        _header(in_view, province)
    with left:
        maps.legend(zone_map.legend)
        st.caption(t("map.map_hint"))
        st.caption(maps.source_line(in_view) + "　" + maps.completeness_line(zones))
        maps.unjoined_notice(in_view)
        map_title = maps.snapshot_title(zone_filter, province, province_names, theme_names, in_view.programme)
        for column, size in zip(st.columns(2), ("a4", "half"), strict=True):
            column.download_button(
                t(f"map.download_png_{size}"),
                data=partial(cached.map_snapshot_png, tuple(in_view.zone_id), province, color_mode, map_title,
                             session_key(), zone_filter.themes, size),
                file_name=export_file_name(t("map.export.map"), sized_subject(subject, size), "png"),
                mime="image/png", key=f"png_export_{size}", help=t(f"map.download_png_{size}_help"), width="stretch",
                # a download changes nothing on the page: without a rerun, a click on the other export right after
                # is not lost in the rerun the first one started (the CI browser test lost the 半版 click once)
                on_click="ignore",
            )
        maps.approval_notice()
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
                t("map.open_zone"), ["", *names], key="zone_pick", on_change=_on_zone_pick, args=(names,),
                format_func=lambda z: names.get(z, t("map.open_zone_hint")), label_visibility="collapsed",
                accept_new_options=True,
            )
            st.session_state["_listed_ids"] = list(table.zone_id)
            maps.zone_list(table, zone_map.styles, zone, key="zone_rows", on_select=_on_list_select)
        export = table.rename(columns=lambda c: t(f"map.columns.{c}"))
        d1, d2 = st.columns(2)
        list_name = t("map.export.list")
        # Written eagerly (cached by content): a deferred callable here lost clicks that came during the rerun
        # started by the CSV button (tests/browser/test_hostile_input.py, one run in four).
        csv_bytes, xlsx_bytes = maps.list_files(export, list_name)
        d1.download_button(t("map.download_csv"), csv_bytes, export_file_name(list_name, subject, "csv"),
                           "text/csv", width="stretch", on_click="ignore")
        d2.download_button(t("map.download_xlsx"), xlsx_bytes, export_file_name(list_name, subject, "xlsx"),
                           width="stretch", on_click="ignore")


maps.page_style()
map_area()
# Drawn after the map; they return what filter_values read, unless session state and widgets disagree (not
# expected): then the page is drawn again with the widgets' values.
if filter_sidebar(options, theme_names) != (zone_filter, color_mode):
    st.rerun()
save_widget_state("map")
