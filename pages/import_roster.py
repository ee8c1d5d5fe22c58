"""Import page: upload or paste a roster, map its columns, see every row's resolution, choose among candidates,
show on the map for this session, download, or save with the admin token (roster + batches.csv, atomically)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from geo.printmap.captions import export_file_name
from geo.zones import zone_layer
from loaders.intake import document_facts, intake, rows_from_paste
from loaders.roster import PROGRAMMES, RosterError
from loaders.roster_draft import batch_record, to_roster
from loaders.roster_store import StoreUnavailable
from loaders.safe_export import to_csv_bytes, to_excel_bytes
from loaders.tabular import MAX_BYTES, MAX_ROWS, IntakeError
from ui import cached
from ui.admin import admin_refusal, configured_token
from ui.cached import SESSION_IMPORT
from ui.importing import batch_form, corrections_from_state, input_token, row_choices, uploaded_roster
from ui.session import (
    KeptUpload,
    forget_upload,
    kept_upload,
    restore_widget_state,
    save_widget_state,
)
from ui.tables import fitted_dataframe
from ui.text import md_escape, t

restore_widget_state("import")  # the form and choices as left before a visit to another page (ui.session)
st.title(t("import.title"))
st.markdown(md_escape(t("import.intro")))

mode = st.radio(t("import.source"), ("upload", "paste"), horizontal=True, key="imp_mode",
                format_func=lambda m: t(f"import.source_{m}"))
raw, facts, source_name, text, token = None, {}, "", "", ""
try:
    if mode == "upload":
        returning = "imp_file" not in st.session_state  # first run here since another page (or ever)
        upload = st.file_uploader(t("import.upload"), type=["csv", "xlsx", "xls", "txt", "tsv"], key="imp_file",
                                  help=t("import.upload_limit", mb=MAX_BYTES // 1_000_000, rows=MAX_ROWS))
        upload = kept_upload(upload, returning)
        if isinstance(upload, KeptUpload):
            st.caption(md_escape(t("import.kept_upload", name=upload.name)))
            st.button(t("import.forget_upload"), on_click=forget_upload, key="kept_upload_forget")
        if upload is not None:
            source_name = upload.name
            raw, facts, text, token = uploaded_roster(upload)
    else:
        text = st.text_area(t("import.paste"), key="imp_text", height=200, max_chars=500_000)
        if text.strip():
            source_name = "粘贴的文件"
            token = input_token(text)
            raw, facts = rows_from_paste(text)
except IntakeError as exc:
    st.error(md_escape(t("import.error", error=exc)))
    raw = None
if raw is None:
    save_widget_state("import")  # kept across page changes (ui.session)
    st.stop()

table = raw if hasattr(raw, "unmapped") else None
if mode == "upload" and table is not None and table.read_notes:  # what the file is, its encoding, the sheet read
    st.info(md_escape(t("import.read_notes", notes="；".join(table.read_notes))))
form = batch_form(facts or document_facts(""), len(table.rows if table else raw), token, text)
defaults = form.defaults
if table is not None:
    st.caption(md_escape(t("import.columns_found", mapping="、".join(f"{k}→{t('import.fields.' + v)}"
                                                                    for k, v in table.columns.items()))))
    if table.unmapped:
        st.caption(md_escape(t("import.columns_unmapped", columns="、".join(table.unmapped))))
    if table.notes:
        st.caption(md_escape(t("import.notes_found", notes="；".join(table.notes))))
    for w in table.warnings:
        st.warning(md_escape(w))

with st.spinner(t("import.resolving")):  # ≈40 ms a new row; repeated runs are remembered
    report = intake(raw, defaults, corrections_from_state(token), source_name)
existing = cached.base_zone_layer()[["zone_id", "programme", "batch", "adcode", "unit_name"]]
draft = to_roster(report, defaults, existing)
st.info(md_escape(t("import.counts", read=report.rows_read, **report.counts)))
st.caption(md_escape(t("import.draft_summary", rows=len(draft.rows), new=draft.new, updated=len(draft.updates))))
known = draft.batch_known(existing, defaults["batch"], defaults["programme"])
st.caption(md_escape(t("import.completeness", known=known, total=form.official_size) if form.official_size
                     else t("import.completeness_unknown", known=known)))

st.subheader(t("import.preview"))
st.caption(t("import.preview_help"))
preview = report.preview().assign(
    outcome=lambda d: d.outcome.map(lambda o: t(f"import.outcome.{o}")),
    method=lambda d: d.method.map(lambda m: t(f"common.method.{m}") if m else ""),
    programme=lambda d: d.programme.map(lambda p: PROGRAMMES.get(p, p)),
)
fitted_dataframe(preview.rename(columns=lambda c: t(f"import.columns.{c}")), key="imp_preview")
row_choices(report, token)

if draft.problems:
    lines = draft.problem_lines(lambda c: t(f"import.fields.{c}"))[:20]
    st.warning("  \n".join(md_escape(x) for x in [t("import.roster_problems"), *lines]))
c1, c2, c3 = st.columns(3)
if c1.button(t("import.show_on_map"), disabled=draft.rows.empty, width="stretch"):
    st.session_state[SESSION_IMPORT] = zone_layer(draft.rows)
    st.success(t("import.shown_on_map", n=len(draft.rows)))
draft_name = t("import.export.draft")
draft_subject = Path(source_name).stem or None  # the upload's own name (粘贴的文件 for pasted text)
# A download changes nothing on the page: no rerun (on_click="ignore"), so a click right after is not lost in it.
c2.download_button(t("import.download_csv"), to_csv_bytes(draft.rows), export_file_name(draft_name, draft_subject, "csv"),
                   "text/csv", disabled=draft.rows.empty, width="stretch", on_click="ignore")
c3.download_button(t("import.download_xlsx"), to_excel_bytes(draft.rows, draft_name),
                   export_file_name(draft_name, draft_subject, "xlsx"), disabled=draft.rows.empty, width="stretch",
                   on_click="ignore")
if st.session_state.get(SESSION_IMPORT) is not None and st.button(t("import.clear_session")):
    st.session_state.pop(SESSION_IMPORT, None)
    st.rerun()

st.subheader(t("import.save_title"))
if not configured_token():
    st.caption(t("import.save_disabled"))
    save_widget_state("import")
    st.stop()
st.caption(t("import.save_help_database" if cached.uses_database() else "import.save_help"))
with st.form("imp_save"):
    given = st.text_input(t("import.token"), type="password", key="imp_token")
    submitted = st.form_submit_button(t("import.save"))
if submitted:
    refusal = admin_refusal(given)
    if refusal:
        st.error(refusal)
    elif draft.rows.empty:
        st.warning(t("import.nothing_to_save"))
    elif draft.problems:
        st.error(t("import.not_ready"))
    else:
        record = batch_record(defaults, form.official_size, source_name, form.size_source)
        try:
            result = cached.roster_store().save_import(draft.rows, source_file=source_name,
                                                       batch=defaults["batch"], batch_record=record)
        except StoreUnavailable:  # the transaction never committed: nothing was written
            st.error(t("import.save_failed_database"))
        except (RosterError, OSError) as exc:
            st.error(md_escape(t("import.save_failed", error=exc)))
        else:
            cached.reload_roster()
            st.success(md_escape(t("import.saved", rows=result.rows_written, added=result.rows_added,
                                   previous=result.previous)))
save_widget_state("import")
