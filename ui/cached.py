"""The one place Streamlit caches live: thin wrappers over loaders/ and geo/, keyed by hashable arguments.

Shared geometry is cached as a resource and treated as read-only; callers copy before changing anything.
"""

from __future__ import annotations

import os

import geopandas as gpd
import pandas as pd
import streamlit as st

from geo import boundaries
from geo.zones import zone_layer
from loaders import roster as roster_io
from loaders import themes as theme_io


@st.cache_resource(show_spinner=False)
def boundary_cache_ready() -> str:
    """Make sure the boundary cache exists (built once, ≈30 s, with a visible progress bar)."""
    ok, why = boundaries.cache_status()
    if ok:
        return "ok"
    bar = st.progress(0.0, text=why)
    boundaries.ensure_cache(lambda frac, msg: bar.progress(min(max(frac, 0.0), 1.0), text=msg))
    bar.empty()
    return "built"


def roster_path() -> str:
    """The roster file: the bundled one, or the agency's own via ZONE_ATLAS_ROSTER."""
    return os.environ.get("ZONE_ATLAS_ROSTER") or str(roster_io.ROSTER_PATH)


@st.cache_resource(show_spinner=False)
def _loaded_roster(path: str) -> roster_io.LoadedRoster:
    return roster_io.load_roster(path)


def loaded_roster() -> roster_io.LoadedRoster:
    """Valid rows plus the rows left out with reasons; a file-level error is raised as RosterError."""
    return _loaded_roster(roster_path())


@st.cache_resource(show_spinner=False)
def batches() -> pd.DataFrame:
    return roster_io.load_batches()


@st.cache_resource(show_spinner=False)
def theme_catalogue():
    return theme_io.load_themes()


@st.cache_resource(show_spinner=False)
def _zone_layer(path: str) -> gpd.GeoDataFrame:
    boundary_cache_ready()
    return zone_layer(_loaded_roster(path).zones)


def base_zone_layer() -> gpd.GeoDataFrame:
    """The roster resolved and joined to boundaries (read-only)."""
    return _zone_layer(roster_path())


@st.cache_resource(show_spinner=False)
def _theme_tags(path: str) -> pd.DataFrame:
    return theme_io.theme_tags(_loaded_roster(path).zones, theme_catalogue())


def base_theme_tags() -> pd.DataFrame:
    return _theme_tags(roster_path())


@st.cache_resource(show_spinner=False)
def layer(name: str) -> gpd.GeoDataFrame:
    boundary_cache_ready()
    return boundaries.load_layer(name)


@st.cache_resource(show_spinner=False)
def boundary_meta() -> dict:
    boundary_cache_ready()
    return boundaries.cache_meta()
