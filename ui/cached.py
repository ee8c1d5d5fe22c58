"""The one place Streamlit caches live: thin wrappers over loaders/ and geo/, keyed by hashable arguments.

Shared geometry is cached as a resource and treated as read-only; callers copy before changing anything.
"""

from __future__ import annotations

import hashlib
import os
import time

import geopandas as gpd
import pandas as pd
import streamlit as st

from geo.boundaries import cache as boundaries
from geo.stats import compare
from geo.zones import zone_layer
from loaders import roster as roster_io
from loaders import themes as theme_io
from loaders.history import with_results
from loaders.roster_source import DATABASE_ENV, RosterStore, roster_file, store_from_env
from loaders.roster_store import StoreUnavailable


@st.cache_resource(show_spinner=False)
def boundary_cache_ready() -> str:
    """Make sure the boundary cache exists (built once, ≈30 s, with a visible progress bar)."""
    ok, why = boundaries.cache_status()
    if ok:
        return "ok"
    note = st.info(boundaries.rebuild_notice(why))  # stays while the bar below shows each step
    bar = st.progress(0.0, text=why)
    boundaries.ensure_cache(lambda frac, msg: bar.progress(min(max(frac, 0.0), 1.0), text=msg))
    bar.empty()
    note.empty()
    return "built"


def roster_path() -> str:
    """The roster file: the bundled one, or the agency's own via ZONE_ATLAS_ROSTER (file back end only)."""
    return str(roster_file())


# --- the roster, from its store (files, or PostgreSQL shared by several servers) --------------------------
# Everything derived from the roster is cached under a key that names the store and the roster's version, so a
# save made on any server shows on every server within POLL_SECONDS of a page run, and only what depends on
# the roster is rebuilt (boundaries and base maps stay). While the database cannot be reached, pages keep
# drawing the last roster this server read and say so (store_unavailable()).

POLL_SECONDS = 2.0  # how often one server asks the store for its version (one primary-key read)
RETRY_SECONDS = 10.0  # while the database is down
_checked: dict[str, tuple[float, str]] = {}  # store id → (when asked, roster key served)
_down: set[str] = set()


def _store_id() -> str:
    url = os.environ.get(DATABASE_ENV, "").strip()
    return "db:" + hashlib.sha1(url.encode()).hexdigest()[:10] if url else f"file:{roster_path()}"


@st.cache_resource(show_spinner=False)
def _store(store_id: str) -> RosterStore:
    return store_from_env()  # one per store: a database store holds its connection pool


def roster_store() -> RosterStore:
    """The roster's store: PostgreSQL with ZONE_ATLAS_DATABASE_URL, else the roster file."""
    return _store(_store_id())


@st.cache_resource(max_entries=4, show_spinner=False)
def _roster_data(key: str) -> tuple[roster_io.LoadedRoster, pd.DataFrame]:
    snap = roster_store().snapshot()
    return roster_io.validate_roster(snap.roster), roster_io.typed_batches(snap.batches)


def roster_key() -> str:
    """The key of the roster this server shows now: store id and version (changes with every save, on any
    server). Raises RosterError for an unusable roster file, StoreUnavailable when the database has never been
    read by this server and cannot be reached."""
    sid, now = _store_id(), time.monotonic()
    last = _checked.get(sid)
    wait = RETRY_SECONDS if sid in _down else POLL_SECONDS
    if last is not None and now - last[0] < wait:
        return last[1]
    try:
        key = f"{sid}#{roster_store().version()}"
        _roster_data(key)  # read once per version, before anything is keyed by it
        _down.discard(sid)
    except StoreUnavailable:
        _down.add(sid)
        if last is None:
            raise
        key = last[1]  # keep showing the last roster read
    _checked[sid] = (now, key)
    return key


def uses_database() -> bool:
    """True when the roster lives in PostgreSQL (ZONE_ATLAS_DATABASE_URL)."""
    return _store_id().startswith("db:")


def store_unavailable() -> bool:
    """True while the database could not be reached at the last check (pages show the last roster read)."""
    return _store_id() in _down


def loaded_roster() -> roster_io.LoadedRoster:
    """Valid rows plus the rows left out with reasons; a file-level error is raised as RosterError."""
    return _roster_data(roster_key())[0]


def batches() -> pd.DataFrame:
    """Batches with official sizes: saved with the roster (batches.csv beside it, or the database), else the
    bundled ones."""
    return _roster_data(roster_key())[1]


@st.cache_resource(show_spinner=False)
def theme_catalogue():
    return theme_io.load_themes()


@st.cache_resource(max_entries=4, show_spinner=False)
def _zone_layer(key: str) -> gpd.GeoDataFrame:
    boundary_cache_ready()
    return zone_layer(_roster_data(key)[0].zones)


def base_zone_layer() -> gpd.GeoDataFrame:
    """The roster resolved and joined to boundaries (read-only)."""
    return _zone_layer(roster_key())


@st.cache_resource(max_entries=4, show_spinner=False)
def _theme_tags(key: str) -> pd.DataFrame:
    return theme_io.theme_tags(with_results(_roster_data(key)[0].zones), theme_catalogue())


def base_theme_tags() -> pd.DataFrame:
    return _theme_tags(roster_key())


@st.cache_resource(show_spinner=False)
def layer(name: str) -> gpd.GeoDataFrame:
    boundary_cache_ready()
    return boundaries.load_layer(name)


@st.cache_resource(show_spinner=False)
def boundary_meta() -> dict:
    boundary_cache_ready()
    return boundaries.cache_meta()


# --- the zones this session sees: the roster plus any roster imported into this session (not saved) -------

SESSION_IMPORT = "imported_zones"  # GeoDataFrame of zones joined by the import page for this session


def session_zones() -> gpd.GeoDataFrame:
    base = base_zone_layer()
    extra = st.session_state.get(SESSION_IMPORT)
    if extra is None or len(extra) == 0:
        return base
    extra = extra[~extra["zone_id"].isin(base["zone_id"])]
    return gpd.GeoDataFrame(pd.concat([base, extra], ignore_index=True), crs=base.crs)


def session_key() -> str:
    """A short hashable token that changes when this session's zone set changes (keys caches)."""
    extra = st.session_state.get(SESSION_IMPORT)
    if extra is None or len(extra) == 0:
        return roster_key()
    return roster_key() + "|import-" + str(pd.util.hash_pandas_object(extra[["zone_id", "adcode"]].astype(str)).sum())


def session_tags(zones: pd.DataFrame) -> pd.DataFrame:
    """Theme tags with evidence for every zone in this session (imported zones tagged on the fly)."""
    base = base_theme_tags()
    extra_ids = set(zones["zone_id"]) - set(loaded_roster().zones["zone_id"])
    if not extra_ids:
        return base
    extra = theme_io.theme_tags(zones[zones["zone_id"].isin(extra_ids)], theme_catalogue())
    return pd.concat([base, extra], ignore_index=True)


# --- figures and images (keyed by the session's zone-set token, session_key) ------------------------------


@st.cache_data(max_entries=8, show_spinner=False)
def compare_figures(session: str) -> pd.DataFrame:
    """Province figures for the comparison page (all 34 provincial-level units)."""
    from geo.stats.compare import province_figures

    zones = session_zones()
    return province_figures(zones, session_tags(zones), theme_catalogue(), boundaries.units_table(), batches())


@st.cache_data(max_entries=64, show_spinner=False)
def compare_chart_png(kind: str, measure: str, session: str) -> bytes:
    """A comparison chart as PNG (≈1 s to draw, so kept per zone set and measure)."""
    from geo.printmap import captions, charts
    from geo.stats.compare import theme_matrix

    zones = session_zones()
    figures = compare_figures(session)
    source = captions.source_line(zones)
    catalogue = theme_catalogue()
    if kind == "map":
        fig = charts.choropleth(figures, measure, source, catalogue)
    elif kind == "bar":
        fig = charts.bar_chart(figures, measure, source, catalogue)
    else:
        hidden = int((~figures.no_data & (figures["zones"] == 0)).sum())
        fig = charts.theme_heatmap(theme_matrix(figures, catalogue), source, hidden)
    return charts.figure_png(fig)


@st.cache_data(max_entries=32, show_spinner=False)
def map_snapshot_png(zone_ids: tuple[str, ...], province: str | None, color_mode: str, title: str,
                     session: str, focus: tuple[str, ...] = (), size: str = "a4") -> bytes:
    """The current map view as a print PNG (300 dpi) with legend, source and 审图号 line: `size` "a4" (A4
    landscape width) or "half" (a 12 cm page whose type stays ≥ 6 pt when shrunk to a half-page column in Word;
    geo.printmap.page)."""
    from datetime import date

    from geo.printmap.captions import approval_line, source_line
    from geo.printmap.render import snapshot_bytes
    from geo.stats.counts import count_label
    from geo.styling import zone_styles

    zones = session_zones()
    view = zones[zones.zone_id.isin(zone_ids)]
    styles, legend = zone_styles(view, session_tags(zones), theme_catalogue(), color_mode, focus)
    return snapshot_bytes(
        view, "png", title=title, province=province,
        highlight_colors={z: s.color for z, s in styles.items()},
        legend=[(count_label(e.label, e.count), e.color, e.hatch) for e in legend],
        source_line=source_line(view if len(view) else zones), approval_line=approval_line(), date=date.today(),
        size=size,
    )


@st.cache_data(max_entries=16, show_spinner=False)
def briefing_deck(zone_filter, province: str | None, color_mode: str, session: str):
    """The briefing deck for a filter (a hashable loaders.selection.ZoneFilter) and province view: ≈ 0.2 s to
    build for 31 zones, kept per view so a slide change does not rebuild it."""
    from geo.deck.slides import build_deck, scope_line, select_zones
    from geo.printmap.captions import approval_line, source_line
    from loaders.programmes import batch_name

    zones = session_zones()
    tags = session_tags(zones)
    catalogue = theme_catalogue()
    theme_names = {th.key: th.name for th in catalogue.themes}
    provinces = layer("province")
    names = dict(zip(provinces.adcode, provinces.name, strict=True))
    shown = select_zones(zones, tags, zone_filter, province, theme_names)
    counts = compare.completeness(shown, batches())  # known/official size of each batch in the deck
    counts = counts[counts.known > 0]
    batch_counts = tuple(zip(counts.programme, counts.batch.map(batch_name), counts.sentence.str.split("：").str[-1],
                             strict=True))
    source = "；".join(x for x in (source_line(shown if len(shown) else zones), approval_line()) if x)
    return build_deck(shown, tags, catalogue, province_names=names, province=province, color_mode=color_mode,
                      focus=zone_filter.themes, scope=scope_line(zone_filter, province, theme_names, names),
                      source=source, batch_counts=batch_counts)


@st.cache_data(max_entries=128, show_spinner=False)
def briefing_map_png(province: str | None, zone_ids: tuple[str, ...], colours: tuple[str, ...],
                     hatches: tuple[tuple[str, str], ...], session: str, labels: tuple[str, ...] = (),
                     shape: str = "wide") -> bytes:
    """A slide's map (geo.deck.slides.MapSpec fields) in one of geo.deck.slide_map.SHAPES (≈ 0.2–1 s to draw,
    ≈ 150–200 KB), kept so paging back is instant."""
    from geo.deck.slide_map import slide_map_png
    from geo.deck.slides import MapSpec

    return slide_map_png(session_zones(), MapSpec(province, zone_ids, colours, hatches, labels), shape=shape)


def reload_roster() -> None:
    """After a save on this server: ask the store for its version on the next call instead of within
    POLL_SECONDS. Caches derived from the roster are keyed by that version (roster_key, session_key),
    so they are rebuilt for the new roster only; the old entries age out (max_entries)."""
    _checked.pop(_store_id(), None)
