"""The zones this session sees: the bundled roster plus any roster imported into this session (not saved)."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import streamlit as st

from ui import cached

SESSION_IMPORT = "imported_zones"  # GeoDataFrame of zones joined by the import page for this session


def session_zones() -> gpd.GeoDataFrame:
    base = cached.base_zone_layer()
    extra = st.session_state.get(SESSION_IMPORT)
    if extra is None or len(extra) == 0:
        return base
    extra = extra[~extra["zone_id"].isin(base["zone_id"])]
    return gpd.GeoDataFrame(pd.concat([base, extra], ignore_index=True), crs=base.crs)


def session_key() -> str:
    """A short hashable token that changes when this session's zone set changes (keys caches)."""
    extra = st.session_state.get(SESSION_IMPORT)
    if extra is None or len(extra) == 0:
        return cached.roster_key()
    return cached.roster_key() + "|import-" + str(pd.util.hash_pandas_object(extra[["zone_id", "adcode"]].astype(str)).sum())


def session_tags(zones: pd.DataFrame) -> pd.DataFrame:
    """Theme tags with evidence for every zone in this session (imported zones tagged on the fly)."""
    from loaders.themes import theme_tags

    base = cached.base_theme_tags()
    extra_ids = set(zones["zone_id"]) - set(cached.loaded_roster().zones["zone_id"])
    if not extra_ids:
        return base
    extra = theme_tags(zones[zones["zone_id"].isin(extra_ids)], cached.theme_catalogue())
    return pd.concat([base, extra], ignore_index=True)
