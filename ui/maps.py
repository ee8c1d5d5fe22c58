"""Map pieces for pages: the live map for a view (a components-v2 component), its legend, source line and
join notices."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

import pandas as pd
import streamlit as st

from geo import captions, compare
from geo.folium_map import (
    BaseLayers,
    ZoneLayers,
    ZoneStyle,
    badge_ink,
    prepare_base,
    prepare_zones,
    taiwan_has_zones,
)
from geo.live_map import component_css, component_js, map_data
from geo.styling import LegendEntry, zone_styles
from ui import cached
from ui.session import session_key, session_zones
from ui.text import h, md_escape, t


def _styles(zones, catalogue, tags, color_mode):
    return zone_styles(zones, tags, catalogue, color_mode)


MAP_HEIGHT = 500  # px: with the compact header, the national map and its inset fit a 1280×800 window
LIST_HEIGHT = 330  # px at most: beside the map
ROW_HEIGHT = 52  # px per row of the zone list (name and batch · status lines; ui/map_page.css)
PAGE_CSS = Path(__file__).with_name("map_page.css")


class ZoneMap(NamedTuple):
    data: dict[str, Any]  # for live_map: the base (same for every filter) and the zones in view (geo.live_map)
    legend: tuple[LegendEntry, ...]
    styles: Mapping[str, ZoneStyle]  # zone_id → colour and badge number


# Leaflet in the page itself, not in an iframe (components v2): static/atlas/live_map.js. Not style-isolated
# (no shadow root): Leaflet's stylesheet only names .leaflet-* classes, ours .atlas-*.
_LIVE_MAP = st.components.v2.component("zone_atlas_map", css=component_css(), js=component_js(),
                                       isolate_styles=False)


# Prepared map text is immutable and shared by every session (cache_resource: no copy per run). Cleared with
# the other resources when a roster is saved (ui.cached.reload_roster).
@st.cache_resource(max_entries=40, show_spinner=False)
def _base_layers(province: str | None, taiwan_note: bool) -> BaseLayers:
    return prepare_base(province, taiwan_note=taiwan_note)


@st.cache_resource(max_entries=128, show_spinner=False)
def _zone_layers(zone_ids: tuple[str, ...], color_mode: str, selected: str | None,
                 session: str) -> tuple[ZoneLayers, tuple[LegendEntry, ...], MappingProxyType]:
    from ui.session import session_tags

    zones = session_zones()
    view = zones[zones.zone_id.isin(zone_ids)]
    styles, legend = _styles(view, cached.theme_catalogue(), session_tags(zones), color_mode)
    return prepare_zones(view, styles, selected), tuple(legend), MappingProxyType(dict(styles))


def zone_map(view, color_mode: str, province: str | None, selected: str | None) -> ZoneMap:
    """The map for this view: its component data in two parts, the base (depends on the province only, so the
    component keeps its map while filters change) and the zones (swapped in place), over cached prepared text."""
    base = _base_layers(province, not taiwan_has_zones(session_zones()))
    layers, legend_entries, styles = _zone_layers(tuple(view.zone_id), color_mode, selected, session_key())
    data = map_data(base, layers, MAP_HEIGHT, tile_url=os.environ.get("ZONE_ATLAS_TILE_URL") or None,
                    tile_attribution=os.environ.get("ZONE_ATLAS_TILE_ATTRIBUTION"))
    return ZoneMap(data, legend_entries, styles)


def live_map(zone_map: ZoneMap, key: str, on_click: Callable[[], None]) -> None:
    """Draw the map; a click on a zone or province calls `on_click`, with st.session_state[key]["click"] the
    clicked feature ({"properties": {"kind", "key", "click"}}; geo.folium_map.clicked_target reads it)."""
    _LIVE_MAP(key=key, data=zone_map.data, height=MAP_HEIGHT, on_click_change=on_click)


def list_height(rows: int) -> int | str:
    """The zone list's height: its content when that is short (no empty box under three zones), else a
    LIST_HEIGHT box that scrolls, so the list stays beside the map."""
    return LIST_HEIGHT if ROW_HEIGHT * (rows + 1) > LIST_HEIGHT else "content"


def _badge(color: str, mark: str) -> str:
    return (f'<span class="atlas-badge" style="background:{h(color)};color:{badge_ink(color)}">'
            f"{h(mark)}</span>")


def zone_list(table: pd.DataFrame, styles: Mapping[str, ZoneStyle]) -> None:
    """The zones in view beside the map, each row led by its badge as drawn on the map (colour and number).

    Plain HTML in a scrolling box rather than st.dataframe: the data grid's ≈25 script chunks (≈1.5 MB) were
    the largest single delay of the map's first paint (bench.page_speed: ≈2.5× → ≈2.1× an empty page).
    Cards open from the map or from the picker above the list.
    """
    head = f"<th>{h(t('map.columns.unit_name'))}</th><th>{h(t('map.columns.tags'))}</th>"
    rows = []
    for rec in table.itertuples(index=False):
        style = styles.get(rec.zone_id)
        badge = _badge(style.color, style.mark) if style else ""
        rows.append(f'<tr data-zone="{h(rec.zone_id)}"><td>{badge}{h(rec.unit_name)}'
                    f'<div class="atlas-zone-sub">{h(rec.batch)} · {h(rec.status)}</div></td>'
                    f"<td>{h(rec.tags)}</td></tr>")
    with st.container(height=list_height(len(table)), border=True, key="zone_list"):
        st.html(f'<table class="atlas-zone-list"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>')


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
        f'{swatch(e)}{h(e.label)}（{e.count}）</span>'
        for e in entries
    )
    st.html(f'<div class="atlas-legend">{items}</div>')


def source_line(zones: pd.DataFrame) -> str:
    """The exported pictures' source line (geo.captions), escaped for markdown."""
    return md_escape(captions.source_line(zones))


def completeness_line(zones: pd.DataFrame) -> str:
    """How complete each batch's count is (geo.compare.completeness: counted within its programme), escaped."""
    return md_escape(compare.completeness_line(compare.completeness(zones, cached.batches())))


def unjoined_notice(zones: pd.DataFrame) -> None:
    bad = zones[~zones.joined]
    if bad.empty:
        return
    names = "、".join(f"{r.unit_name}（{r.join_problem}）" for r in bad.itertuples(index=False))
    st.warning(md_escape(t("map.unjoined", n=len(bad)) + names))


def snapshot_title(zone_filter, province: str | None, province_names: dict[str, str],
                   theme_names: dict[str, str]) -> str:
    """Title for an exported map: its extent, plus the theme filter when one is set."""
    base = (t("snapshot.title_province", province=province_names[province]) if province
            else t("snapshot.title_national"))
    if zone_filter.themes:
        base = t("snapshot.title_theme", title=base, theme="、".join(theme_names.get(k, k) for k in zone_filter.themes))
    if getattr(zone_filter, "year", None):  # the network as of a year: a printed map must say which
        base = t("snapshot.title_year", title=base, year=zone_filter.year)
    return base
