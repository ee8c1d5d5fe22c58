"""Import page: upload or paste a roster, see every row's resolution, correct, show on the map, download, save."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from geo.zones import zone_layer
from loaders.intake import intake, rows_from_document, to_roster
from loaders.roster import PROGRAMMES, STATUSES, RosterError
from loaders.roster_store import save_import
from loaders.safe_export import to_csv_bytes, to_excel_bytes
from loaders.tabular import IntakeError, read_table
from ui import cached
from ui.admin import configured_token, is_admin
from ui.session import SESSION_IMPORT
from ui.text import md_escape, t

st.title(t("import.title"))
st.markdown(md_escape(t("import.intro")))

mode = st.radio(t("import.source"), ("upload", "paste"), horizontal=True, key="imp_mode",
                format_func=lambda m: t(f"import.source_{m}"))
raw, facts, source_name, error = None, {}, "", None
if mode == "upload":
    upload = st.file_uploader(t("import.upload"), type=["csv", "xlsx", "xls", "txt"], key="imp_file")
    if upload is not None:
        source_name = upload.name
        try:
            raw = read_table(upload.getvalue(), upload.name)
        except IntakeError as exc:
            error = str(exc)
else:
    text = st.text_area(t("import.paste"), key="imp_text", height=200, max_chars=500_000)
    if text.strip():
        source_name = "粘贴的文件"
        rows, facts = rows_from_document(text)
        if rows.empty:
            error = "没有找到附件表格的行（需要“序号 实验单位 实验主题 实验内容”形式的表格）"
        else:
            raw = rows

if error:
    st.error(md_escape(t("import.error", error=error)))
if raw is None:
    st.stop()

with st.expander(t("import.defaults"), expanded=True):
    c1, c2, c3 = st.columns(3)
    programme = c1.selectbox(t("import.programme"), list(PROGRAMMES), format_func=PROGRAMMES.get, key="imp_prog")
    authority = c2.text_input(t("import.authority"), facts.get("authority", ""), key="imp_auth", max_chars=40)
    batch = c3.text_input(t("import.batch"), (facts.get("approved_on") or "")[:4], key="imp_batch", max_chars=20)
    c4, c5, c6, c7 = st.columns(4)
    doc_number = c4.text_input(t("import.doc_number"), facts.get("doc_number", ""), key="imp_doc", max_chars=40)
    approved_on = c5.text_input(t("import.approved_on"), facts.get("approved_on", ""), key="imp_date", max_chars=10)
    period = c6.number_input(t("import.period_years"), 1, 10, 2, key="imp_period")
    status = c7.selectbox(t("import.status"), STATUSES, index=1, key="imp_status")
defaults = {"programme": programme, "authority": authority, "batch": batch, "doc_number": doc_number,
            "approved_on": approved_on, "period_years": period, "status": status}

if hasattr(raw, "columns") and hasattr(raw, "unmapped"):
    st.caption(md_escape(t("import.columns_found", mapping="、".join(f"{k}→{v}" for k, v in raw.columns.items()))))
    if raw.unmapped:
        st.caption(md_escape(t("import.columns_unmapped", columns="、".join(raw.unmapped))))
    if raw.notes:
        st.caption(md_escape(t("import.notes_found", notes="；".join(raw.notes))))
    for w in raw.warnings:
        st.warning(md_escape(w))

corrections = st.session_state.setdefault("imp_corrections", {})
report = intake(raw, defaults, corrections, source_name)
counts = report.counts
st.info(md_escape(t("import.counts", read=report.rows_read, **counts)))

st.subheader(t("import.preview"))
st.caption(t("import.preview_help"))
rows = report.rows
preview = pd.DataFrame({
    "row": rows.row.astype(int),
    "source_line": rows.source_line,
    "input": [u or "".join(x for x in (p, f, c) if x) for u, p, f, c in
              zip(rows.unit_name, rows.province, rows.prefecture, rows.county, strict=True)],
    "outcome": rows.outcome.map(lambda o: t(f"import.outcome.{o}")),
    "adcode": rows.adcode.fillna(""),
    "resolved": ["".join(x for x in (p, f, c) if isinstance(x, str)) for p, f, c in
                 zip(rows.province_resolved, rows.prefecture_resolved, rows.county_resolved, strict=True)],
    "candidates": ["、".join(f"{c['name']} {c['adcode']}" for c in cands) for cands in rows.candidates],
    "reason": rows.reason,
    "correction": [str(corrections.get(int(r), "")) for r in rows.row],
})
edited = st.data_editor(
    preview.rename(columns=lambda c: t(f"import.columns.{c}")),
    key="imp_editor", hide_index=True, width="stretch",
    disabled=[t(f"import.columns.{c}") for c in preview.columns if c != "correction"],
)
new_corrections = {
    int(r): str(v).strip()
    for r, v in zip(preview.row, edited[t("import.columns.correction")], strict=True)
    if str(v).strip()
}
if new_corrections != corrections:
    st.session_state.imp_corrections = new_corrections
    st.rerun()

roster_rows = to_roster(report, defaults, set(cached.loaded_roster().zones.zone_id))
c1, c2, c3 = st.columns(3)
if c1.button(t("import.show_on_map"), disabled=roster_rows.empty, width="stretch"):
    st.session_state[SESSION_IMPORT] = zone_layer(roster_rows)
    st.success(t("import.shown_on_map", n=len(roster_rows)))
c2.download_button(t("import.download_csv"), to_csv_bytes(roster_rows), "roster-import.csv", "text/csv",
                   disabled=roster_rows.empty, width="stretch")
c3.download_button(t("import.download_xlsx"), to_excel_bytes(roster_rows, "roster"), "roster-import.xlsx",
                   disabled=roster_rows.empty, width="stretch")
if st.session_state.get(SESSION_IMPORT) is not None and st.button(t("import.clear_session")):
    st.session_state.pop(SESSION_IMPORT, None)
    st.rerun()

st.subheader(t("import.save_title"))
if not configured_token():
    st.caption(t("import.save_disabled"))
else:
    with st.form("imp_save"):
        given = st.text_input(t("import.token"), type="password", key="imp_token")
        submitted = st.form_submit_button(t("import.save"))
    if submitted:
        if not is_admin(given):
            st.error(t("import.bad_token"))
        elif roster_rows.empty:
            st.warning(t("import.nothing_to_save"))
        else:
            try:
                result = save_import(roster_rows, Path(cached.roster_path()), source_file=source_name, batch=batch)
            except (RosterError, OSError) as exc:
                st.error(md_escape(t("import.save_failed", error=exc)))
            else:
                cached.reload_roster()
                st.success(md_escape(t("import.saved", rows=result.rows_written, added=result.rows_added,
                                       previous=result.previous.name if result.previous else "—")))
