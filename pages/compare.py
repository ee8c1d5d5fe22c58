"""Province comparison page: all 34 provinces by a chosen measure (map, bar, heatmap, table) and 2–4 side by side."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo.boundaries.cache import units_table
from geo.printmap import charts
from geo.printmap.captions import approval_notice, export_file_name
from geo.stats.compare import (
    BASE_MEASURES,
    LEVEL_MEASURES,
    TABLE_VIEWS,
    column_labels,
    compare_provinces,
    comparison_table,
    completeness,
    completeness_line,
    figures_view,
    measure_label,
    theme_measure,
    unplaced_zones,
)
from loaders.partial_dates import format_partial_date
from loaders.programmes import batch_name
from loaders.safe_export import to_csv_bytes, to_excel_bytes
from ui import cached
from ui.cached import session_key, session_tags, session_zones
from ui.tables import columns_that_fit, fitted_dataframe, page_share
from ui.text import md_escape, t


def _chart(kind: str, measure: str, title: str, file_name: str) -> None:
    st.subheader(title)
    png = cached.compare_chart_png(kind, measure, session)
    st.image(png, width="stretch")
    st.download_button(t("compare.download.png"), png, file_name, "image/png", key=f"png_{kind}",
                       on_click="ignore")  # downloads change nothing: no rerun to lose a click that follows
    if kind == "map":  # a map export carries the 审图号, or the page says clearly that none is configured
        configured, words = approval_notice()
        (st.caption if configured else st.warning)(md_escape(words))


zones = session_zones()
tags = session_tags(zones)
catalogue = cached.theme_catalogue()
session = session_key()
figures = cached.compare_figures(session)
batch_line = md_escape(completeness_line(completeness(zones, cached.batches())))

st.title(t("compare.title"))
st.caption(t("compare.intro"))
st.caption(batch_line)
lost = unplaced_zones(zones, units_table())
if not lost.empty:
    st.warning(md_escape(t("compare.unplaced", n=len(lost)) + "、".join(lost.unit_name)))

measures = list(BASE_MEASURES) + list(LEVEL_MEASURES) + [theme_measure(th.key) for th in catalogue.themes]
measure = st.selectbox(t("compare.measure_pick"), measures, key="cmp_measure",
                       format_func=lambda m: measure_label(m, catalogue), help=t("compare.measure_help"))
label = measure_label(measure, catalogue)
_chart("map", measure, t("compare.section.map"), export_file_name(t("compare.export.map"), label, "png"))
_chart("bar", measure, t("compare.section.bar"), export_file_name(t("compare.export.bar"), label, "png"))
st.caption(batch_line)
_chart("heatmap", "themes", t("compare.section.heatmap"), export_file_name(t("compare.export.heatmap"), None, "png"))

st.subheader(t("compare.section.table"))
labels = column_labels(figures, catalogue)
table = figures.drop(columns=["no_data"]).rename(columns=labels)  # the download: every column
view = st.segmented_control(t("compare.table_view"), TABLE_VIEWS, default=TABLE_VIEWS[0], key="cmp_view",
                            format_func=lambda v: t(f"compare.views.{v}")) or TABLE_VIEWS[0]
shown, full_labels = figures_view(figures, view, catalogue)  # on screen: one group of columns, fits 1280 px
config = {short: st.column_config.Column(help=full) for short, full in full_labels.items()}
if t("compare.short_columns.coverage") in shown:
    config[t("compare.short_columns.coverage")] = st.column_config.NumberColumn(
        help=labels["coverage"], format="%.1f%%")
fitted_dataframe(shown, config, key="cmp_table")
st.caption(batch_line)
d1, d2 = st.columns(2)
d1.download_button(t("compare.download.csv"), to_csv_bytes(table), export_file_name(t("compare.export.table"), None, "csv"), "text/csv",
                   key="cmp_csv", on_click="ignore")
d2.download_button(t("compare.download.xlsx"), to_excel_bytes(table, t("compare.export.table")),
                   export_file_name(t("compare.export.table"), None, "xlsx"), key="cmp_xlsx", on_click="ignore")

st.subheader(t("compare.section.side_by_side"))
names = dict(zip(figures.adcode, figures.name, strict=True))
picked = st.multiselect(t("compare.pick_provinces"), list(names), key="cmp_provinces", max_selections=4,
                        placeholder=t("compare.pick_placeholder"),
                        format_func=lambda code: names.get(code, code))
if len(picked) < 2:
    st.info(t("compare.pick_hint"))
else:
    by_code = figures.set_index("adcode")
    profiles = compare_provinces(picked, zones, tags)
    for column, profile in zip(st.columns(len(picked)), profiles, strict=True):
        with column, st.container(border=True, key=f"profile_{profile.adcode}"):
            st.markdown(f"### {md_escape(profile.name)}")
            value = by_code.at[profile.adcode, measure]
            st.metric(label, t("compare.no_data") if pd.isna(value) else charts.format_value(value, measure))
            st.markdown(f"**{md_escape(t('compare.profile.zones', n=len(profile.zones)))}**")
            if profile.zones.empty:
                st.caption(t("compare.profile.none"))
                continue
            st.markdown(f"**{md_escape(t('compare.profile.themes'))}**")
            st.markdown("  \n".join(f"{md_escape(r.theme_name)} × {r.zones}" for r in profile.themes.itertuples())
                        or "—")
            st.markdown(f"**{md_escape(t('compare.profile.timeline'))}**")
            st.markdown("  \n".join(
                md_escape(t("compare.profile.timeline_item", date=format_partial_date(r.approved_on), n=r.zones,
                            batch=batch_name(r.batch), doc=f"，{r.doc_number}" if r.doc_number else ""))
                for r in profile.timeline.itertuples()
            ))
            # four provinces side by side leave a table 158 px: the names whole, the dates and tags only where
            # they fit too (both are listed above: 实验主题, 批复时间)
            view = profile.zones[["unit_name", "approved_on", "themes"]].rename(
                columns=lambda c: t(f"compare.columns.{c}"))
            kept = columns_that_fit(view, list(view.columns), page_share(len(picked)))
            fitted_dataframe(view[kept], budget=page_share(len(picked)), key=f"profile_zones_{profile.adcode}")
    st.caption(batch_line)
    export = comparison_table(profiles).rename(columns=lambda c: t(f"compare.columns.{c}"))
    e1, e2 = st.columns(2)
    e1.download_button(t("compare.download.csv"), to_csv_bytes(export),
                       export_file_name(t("compare.export.side"), "、".join(names[c] for c in picked), "csv"), "text/csv",
                       key="cmp_side_csv", on_click="ignore")
    e2.download_button(t("compare.download.xlsx"), to_excel_bytes(export, t("compare.export.side")),
                       export_file_name(t("compare.export.side"), "、".join(names[c] for c in picked), "xlsx"),
                       key="cmp_side_xlsx", on_click="ignore")
