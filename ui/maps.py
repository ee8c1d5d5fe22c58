"""Map pieces for pages: the cached folium map for a view, its legend, source line and join notices."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from functools import partial
from pathlib import Path
from types import MappingProxyType
from typing import NamedTuple

import folium
import pandas as pd
import streamlit as st

from geo.printmap import captions
from geo.stats import compare
from geo.stats.counts import count_label
from geo.styling import LegendEntry, ZoneStyle, zone_styles
from geo.webmap.folium_map import (
    BaseLayers,
    ZoneLayers,
    badge_ink,
    base_map,
    prepare_base,
    prepare_zones,
    taiwan_has_zones,
    zone_group,
)
from loaders.programmes import batch_name
from loaders.safe_export import to_csv_bytes, to_excel_bytes
from ui import cached
from ui.cached import session_key, session_tags, session_zones
from ui.text import h, md_escape, t


def _styles(zones, catalogue, tags, color_mode, focus=()):
    return zone_styles(zones, tags, catalogue, color_mode, focus)  # focus: a theme filter's legend is that filter


MAP_HEIGHT = 500  # px: with the compact header, the national map and its inset fit a 1280×800 window
LIST_HEIGHT = 330  # px at most: beside the map
ROW_HEIGHT = 35  # px per row of the zone list (Streamlit's data grid)
MARK_WIDTH = 36  # px: the badge column of the zone list
NAME_WIDTH = 256  # px: the name column, what is left of the list's 329 px at 1280×800 (tests/browser/test_tables_fit.py)
PAGE_CSS = Path(__file__).with_name("map_page.css")


class ZoneMap(NamedTuple):
    base: folium.Map  # provinces, counties, maritime line, inset: the same for every filter
    zones: folium.FeatureGroup  # the zones in view, for st_folium's feature_group_to_add
    legend: tuple[LegendEntry, ...]
    styles: Mapping[str, ZoneStyle]  # zone_id → colour and badge number


# Prepared map text is immutable and shared by every session (cache_resource: no copy per run). The base layers
# do not depend on the roster; the zone layers are keyed by the session key, which names the roster's version
# (ui.cached.roster_key), so a save anywhere rebuilds only these.
@st.cache_resource(max_entries=40, show_spinner=False)
def _base_layers(province: str | None, taiwan_note: bool) -> BaseLayers:
    return prepare_base(province, taiwan_note=taiwan_note)


@st.cache_resource(max_entries=128, show_spinner=False)
def _zone_layers(zone_ids: tuple[str, ...], color_mode: str, selected: str | None,
                 session: str, focus: tuple[str, ...] = ()) -> tuple[ZoneLayers, tuple[LegendEntry, ...], MappingProxyType]:
    zones = session_zones()
    view = zones[zones.zone_id.isin(zone_ids)]
    styles, legend = _styles(view, cached.theme_catalogue(), session_tags(zones), color_mode, focus)
    return prepare_zones(view, styles, selected), tuple(legend), MappingProxyType(dict(styles))


def zone_map(view, color_mode: str, province: str | None, selected: str | None,
             focus: tuple[str, ...] = ()) -> ZoneMap:
    """The map for this view in two parts: the base (depends on the province only, so st_folium keeps it
    mounted across filter changes and clicks) and the zones as a feature group (swapped in place by
    st_folium's feature_group_to_add). Both are fresh folium objects over cached prepared text, because
    st_folium alters what it renders. `focus`: the themes a theme filter asked for (the legend shows those)."""
    base = _base_layers(province, not taiwan_has_zones(session_zones()))
    fmap = base_map(base, tile_url=os.environ.get("ZONE_ATLAS_TILE_URL") or None,
                    tile_attribution=os.environ.get("ZONE_ATLAS_TILE_ATTRIBUTION"),
                    inline_css=True)
    layers, legend_entries, styles = _zone_layers(tuple(view.zone_id), color_mode, selected, session_key(), focus)
    return ZoneMap(fmap, zone_group(layers), legend_entries, styles)


FOCUS_ZOOM = 8  # the zoom a zone opened from the list, the picker or a search is shown at


def focus_view(view: pd.DataFrame, focus: tuple[str, int] | None, open_zone: str | None):
    """st_folium's `center` and `zoom` for the zone last opened from the list, picker or search (None, None when
    there is none, or its card was closed since): st_folium pans the mounted map when these change, without
    rebuilding it. The zoom alternates FOCUS_ZOOM and a quarter above it, so opening a zone again after the
    user zoomed out is a change too (st_folium moves the map only when a value differs from the last one)."""
    if not focus or focus[0] != open_zone:
        return None, None
    row = view[view.zone_id == focus[0]]
    if row.empty or not bool(row.joined.iloc[0]):
        return None, None
    return (float(row.marker_lat.iloc[0]), float(row.marker_lon.iloc[0])), FOCUS_ZOOM + 0.25 * (focus[1] % 2)


def zone_list(table: pd.DataFrame, styles: Mapping[str, ZoneStyle], open_zone: str | None, *, key: str,
              on_select: Callable[[str], None]) -> None:
    """The zones in view beside the map, each row led by its badge as drawn on the map (colour and number);
    a click on any cell of a row (or on its row marker) calls `on_select(widget_key)`, and selected_row reads
    the row's position in `table` from st.session_state[widget_key]. The grid's key names the open zone, so a new grid (nothing selected) follows
    each opened or closed card and a row can be clicked again after its card was closed."""
    marks = [styles[z].mark if z in styles else "" for z in table.zone_id]
    colors = [styles[z].color if z in styles else "#ffffff" for z in table.zone_id]
    rows = pd.DataFrame({
        "zone_id": table.zone_id.to_list(),  # hidden: what a row stands for (tests read it)
        "mark": marks,
        "unit_name": table.unit_name.to_list(),
    })
    styled = rows.style.apply(
        lambda col: [f"background-color: {c}; color: {badge_ink(c)}; text-align: center; font-weight: 700"
                     for c in colors], subset=["mark"])
    widget_key = f"{key}_{open_zone or ''}"
    st.dataframe(
        styled, key=widget_key, on_select=partial(on_select, widget_key), selection_mode=["single-cell", "single-row"],
        hide_index=True,
        height=LIST_HEIGHT if ROW_HEIGHT * (len(rows) + 1) > LIST_HEIGHT else "auto",
        column_config={
            "zone_id": None,
            # Beside the map at 1280×800 the list is 329 px wide: the row marker (34), the badge and the name fill it.
            # 批次·状态 and 主题标签 (another 280 and 200 px) would scroll out of sight, so they stay on the card a
            # click away and in the CSV/Excel below (issue 16: tables fit 1280 px without cutting columns).
            "mark": st.column_config.TextColumn("", width=MARK_WIDTH),
            "unit_name": st.column_config.TextColumn(t("map.columns.unit_name"), width=NAME_WIDTH),
        },
    )


@st.cache_data(max_entries=64, show_spinner=False)
def list_files(export: pd.DataFrame, sheet: str) -> tuple[bytes, bytes]:
    """The zone list as (CSV, xlsx) bytes (loaders.safe_export), cached by the list's content: written eagerly on
    every run, the workbook alone cost ≈10–75 ms of each rerun (a filter change, a click)."""
    return to_csv_bytes(export), to_excel_bytes(export, sheet)


def selected_row(state) -> int | None:
    """The row (position) a click in zone_list chose: a selected cell's row or a selected row; None if none."""
    selection = state.selection
    cells = list(selection.get("cells", []) if isinstance(selection, dict) else getattr(selection, "cells", []))
    rows = list(selection.get("rows", []) if isinstance(selection, dict) else getattr(selection, "rows", []))
    if cells:
        return int(cells[0][0])
    return int(rows[0]) if rows else None


def page_style() -> None:
    """The map page's compact layout (ui/map_page.css; style-only st.html takes no room on the page)."""
    st.html(PAGE_CSS)


def figure(label: str, value: object) -> None:
    """A figure in the map header (label over a large value), drawn like st.metric but as plain HTML: st.metric
    loads its own ≈10 script chunks (number formatting) on the first visit, which the first map paint waited
    behind (bench.page_speed)."""
    st.html(f'<div class="atlas-figure"><div class="atlas-figure-label">{h(label)}</div>'
            f'<div class="atlas-figure-value">{h(value)}</div></div>')


def legend(entries) -> None:
    """Swatches that look like the map's zone badges — colour and number — so groups read without colour too;
    in catalogue order, the order of the zone list's 主题标签 column. st.html, not st.markdown: markdown with
    HTML in it loads an HTML parser (≈190 kB of script) that nothing else on the map page needs."""
    if not entries:
        return
    def swatch(e) -> str:  # a badge; the national/provincial entries as a filled or dashed square
        if e.hatch in ("fill", "outline") and not e.mark:
            look = (f"background:{h(e.color)};border:1px solid #333" if e.hatch == "fill"
                    else f"background:#fff;border:2px dashed {h(e.color)}")
            return f'<span style="width:18px;height:14px;{look};margin-right:6px"></span>'
        return (f'<span style="width:18px;height:18px;border-radius:50%;border:1px solid #333;background:{h(e.color)};'
                f'color:{badge_ink(e.color)};display:inline-flex;align-items:center;justify-content:center;'
                f'font-size:11px;font-weight:700;margin-right:6px">{h(e.mark)}</span>')

    items = "".join(
        f'<span style="display:inline-flex;align-items:center;margin:0 14px 4px 0;white-space:nowrap">'
        f'{swatch(e)}{h(count_label(e.label, e.count))}</span>'
        for e in entries
    )
    st.html(f'<div class="atlas-legend">{items}</div>')


def source_line(zones: pd.DataFrame) -> str:
    """The exported pictures' source line (geo.printmap.captions), escaped for markdown."""
    return md_escape(captions.source_line(zones))


def completeness_line(zones: pd.DataFrame) -> str:
    """How complete each batch's count is (geo.stats.compare.completeness: counted within its programme), escaped."""
    return md_escape(compare.completeness_line(compare.completeness(zones, cached.batches())))


def unjoined_notice(zones: pd.DataFrame) -> None:
    bad = zones[~zones.joined]
    if bad.empty:
        return
    names = "、".join(f"{r.unit_name}（{r.join_problem}）" for r in bad.itertuples(index=False))
    st.warning(md_escape(t("map.unjoined", n=len(bad)) + names))


def snapshot_title(zone_filter, province: str | None, province_names: dict[str, str],
                   theme_names: dict[str, str], programmes=()) -> str:
    """Title for an exported map: its extent — for the nation the network its zones belong to (`programmes`, one
    key per zone shown; geo.printmap.captions.network_name) —, plus the theme and batch filters and the year when
    set (a programme filter shows in the network's name)."""
    base = (t("snapshot.title_province", province=province_names[province]) if province
            else t("snapshot.title_national", network=captions.network_name(programmes)))
    if zone_filter.themes:
        base = t("snapshot.title_theme", title=base, theme="、".join(theme_names.get(k, k) for k in zone_filter.themes))
    if zone_filter.batches:  # a batch's map must say so on the page, not only in its file name
        base = t("snapshot.title_theme", title=base, theme="、".join(batch_name(b) for b in zone_filter.batches))
    if getattr(zone_filter, "year", None):  # the network as of a year: a printed map must say which
        base = t("snapshot.title_year", title=base, year=zone_filter.year)
    return base


def approval_notice() -> None:
    """Beside a map export: the 审图号 the export carries, or a clear warning that none is configured."""
    configured, words = captions.approval_notice()
    if configured:
        st.caption(md_escape(words))
    else:
        st.warning(md_escape(words))


def export_subject(zone_filter, province: str | None, province_names: dict[str, str],
                   theme_names: dict[str, str]) -> str:
    """What an exported map or list shows, for its file name, in the print CLI's order (geo.printmap.cli
    .map_file_name): the province drilled into (else the provinces filtered), then the themes —
    `浙江省_智慧社区/信息化`, `三社联动`, `全国` when neither — so two exports of different views never share a name."""
    where = [province_names[province]] if province else [province_names.get(p, p) for p in zone_filter.provinces]
    themes = [theme_names.get(k, k) for k in zone_filter.themes]
    parts = ["、".join(x) for x in (where, themes) if x]
    return "_".join(parts) or t("map.nation")
