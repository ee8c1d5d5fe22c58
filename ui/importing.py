"""Widgets of the import page that need more than one line: column mapping, the batch form, per-row choices.

Widget keys carry a short token of the input (file bytes or pasted text), so choices made for one file never
leak onto the rows of the next one.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from loaders.document import OFFICIAL_SIZE
from loaders.intake import IntakeReport, input_label, province_of_authority, rows_from_paste
from loaders.programmes import programme_of
from loaders.roster import PROGRAMMES, STATUSES
from loaders.tabular import (
    FIELDS,
    MAX_BYTES,
    NO_HEADER,
    Grid,
    HeaderNotFound,
    IntakeError,
    RawTable,
    decode_csv,
    detect_header,
    map_header,
    read_grid,
    table_from_grid,
)
from loaders.text import to_simplified
from ui.text import md_escape, t

MANUAL = "__manual__"
MAX_DECISIONS = 200
_FORM_KEYS = ("imp_prog", "imp_auth", "imp_prov", "imp_batch", "imp_doc", "imp_date", "imp_period", "imp_status",
              "imp_size")


def input_token(*parts: bytes | str) -> str:
    h = hashlib.sha1()
    for p in parts:
        h.update(p.encode("utf-8") if isinstance(p, str) else p)
    return h.hexdigest()[:10]


def column_mapping(grid: Grid, detected_at: int | None, detected: dict[int, str] | None, token: str,
                   expanded: bool) -> tuple[int, dict[int, str]]:
    """The header row and column → field mapping, as detected or as the person set them."""
    with st.expander(t("import.mapping_title"), expanded=expanded):
        st.caption(t("import.mapping_help"))
        start = detected_at if detected_at is not None else grid.guess_header_row()
        header_row = st.number_input(t("import.mapping_header_row"), 1, max(len(grid.cells), 1), start + 1,
                                     key=f"imp_hdr_{token}")
        at = int(header_row) - 1
        header = grid.cells[at] + [""] * (grid.width() - len(grid.cells[at]))
        auto = detected if (detected is not None and at == detected_at) else map_header(header)
        samples = grid.cells[at + 1: at + 4]
        options = ["", *FIELDS]
        mapping: dict[int, str] = {}
        cols = st.columns(3)
        for i, head in enumerate(header[:40]):
            sample = next((r[i] for r in samples if i < len(r) and r[i]), "")
            choice = cols[i % 3].selectbox(
                t("import.mapping_column", n=i + 1, header=head or "—"), options,
                index=options.index(auto.get(i, "")), key=f"imp_col_{token}_{at}_{i}",
                format_func=lambda f: t(f"import.fields.{f}") if f else t("import.mapping_unused"),
                help=t("import.mapping_sample", sample=sample[:60]) if sample else None,
            )
            if choice:
                mapping[i] = choice
    return at, mapping


def uploaded_roster(upload) -> tuple[RawTable | pd.DataFrame, dict, str, str]:
    """(rows, document facts, document text, input token) from an uploaded file: a .txt is read as a pasted
    document; a table gets the column-mapping expander (open when its header was not recognised)."""
    if upload.size > MAX_BYTES:  # checked before the bytes are parsed
        raise IntakeError(t("import.read.too_large", mb=f"{upload.size / 1e6:.1f}", limit=f"{MAX_BYTES / 1e6:.0f}"))
    data = upload.getvalue()
    token = input_token(upload.name, data)
    if upload.name.lower().endswith(".txt"):
        text = decode_csv(data)[0]
        raw, facts = rows_from_paste(text)
        return raw, facts, text, token
    chosen = st.session_state.get(_sheet_key(token))
    try:
        grid = read_grid(data, upload.name, sheet=chosen)
    except IntakeError:
        if chosen:  # the sheet picked cannot be read (empty, too long …): keep the picker so another can be chosen
            sheet_picker(read_grid(data, upload.name), token)
        raise
    sheet_picker(grid, token)
    try:
        found_at, found = detect_header(grid)
        problem = None
    except HeaderNotFound as exc:
        found_at, found, problem = None, None, str(exc)
    if found_at == NO_HEADER:  # one column of unit names and no header row: nothing to map
        return table_from_grid(grid), {}, "", token
    if problem:
        st.warning(md_escape(t("import.header_not_found", error=problem)))
    header_at, mapping = column_mapping(grid, found_at, found, token, expanded=problem is not None)
    return table_from_grid(grid, header_at, mapping), {}, "", token


def _sheet_key(token: str) -> str:
    return f"imp_sheet_{token}"


def sheet_picker(grid: Grid, token: str) -> None:
    """A choice of sheet for a workbook with more than one; it starts on the sheet read automatically, and the
    choice is read back from session state on the next run (before the grid is read)."""
    if len(grid.sheets) < 2:
        return
    names = [s.name for s in grid.sheets]
    hidden = {s.name for s in grid.sheets if s.state != "visible"}
    st.selectbox(t("import.sheet_pick"), names, index=names.index(grid.sheet) if grid.sheet in names else 0,
                 key=_sheet_key(token), help=t("import.sheet_pick_help"),
                 format_func=lambda n: t("import.sheet_hidden", name=n) if n in hidden else n)


@dataclass
class BatchForm:
    defaults: dict  # programme, authority, province, batch, doc_number, approved_on, period_years, status
    official_size: int | None
    size_source: str


def _reset_form(facts: dict, rows: int, token: str) -> None:
    """New input: fill the batch form from what the document says (keyed widgets ignore later defaults)."""
    if st.session_state.get("imp_form_token") == token and "imp_prog" in st.session_state:
        return  # same input, and the form's widgets still hold what the person typed
    authority = facts.get("authority") or ""
    province = province_of_authority(authority)
    # a province with a programme of its own (data/programmes.yaml: 甘肃省民政厅 → provincial_gs) gets that one
    programme = (programme_of("provincial", authority) or "provincial") if province else "national"
    year = (facts.get("approved_on") or "")[:4]
    for key in _FORM_KEYS:
        st.session_state.pop(key, None)
    st.session_state.update(
        imp_form_token=token, imp_prog=programme, imp_auth=authority, imp_prov=province,
        imp_batch=f"{province}{year}" if province and year else year, imp_doc=facts.get("doc_number") or "",
        imp_date=facts.get("approved_on") or "", imp_period=int(facts.get("period_years") or 2),
        imp_status=STATUSES[1], imp_size=facts.get("official_size"),
    )


def batch_form(facts: dict, rows: int, token: str, text: str = "") -> BatchForm:
    _reset_form(facts, rows, token)
    with st.expander(t("import.defaults"), expanded=True):
        c1, c2, c3, c4 = st.columns(4)
        programme = c1.selectbox(t("import.programme"), list(PROGRAMMES), format_func=PROGRAMMES.get, key="imp_prog")
        authority = c2.text_input(t("import.authority"), key="imp_auth", max_chars=40)
        province = c3.text_input(t("import.province"), key="imp_prov", max_chars=20)
        batch = c4.text_input(t("import.batch"), key="imp_batch", max_chars=20, help=t("import.batch_help"))
        c5, c6, c7, c8, c9 = st.columns(5)
        doc_number = c5.text_input(t("import.doc_number"), key="imp_doc", max_chars=40)
        approved_on = c6.text_input(t("import.approved_on"), key="imp_date", max_chars=10)
        period = c7.number_input(t("import.period_years"), 1, 10, key="imp_period")
        status = c8.selectbox(t("import.status"), STATUSES, key="imp_status")
        size = c9.number_input(t("import.official_size"), min_value=1, max_value=100_000, value=None, step=1,
                               key="imp_size", help=t("import.official_size_help"))
        found = OFFICIAL_SIZE.search(to_simplified(text)) if text else None
        if found:
            st.caption(t("import.official_size_found", phrase=found.group(0)))
            size_source = f"文件中“{found.group(0)}”" if size == facts.get("official_size") else "导入时人工填写"
        else:
            st.caption(t("import.official_size_rows", n=rows))
            size_source = "导入时人工填写" if size else ""
    defaults = {"programme": programme, "authority": authority, "province": province, "batch": batch,
                "doc_number": doc_number, "approved_on": approved_on, "period_years": int(period), "status": status}
    return BatchForm(defaults, int(size) if size else None, size_source)


def _pick_key(token: str, row: int) -> str:
    return f"imp_pick_{token}_{row}"


def _code_key(token: str, row: int) -> str:
    return f"imp_code_{token}_{row}"


def corrections_from_state(token: str) -> dict[int, str]:
    """Row → adcode the person chose (read before intake runs; the widgets are drawn after it)."""
    out = {}
    prefix = f"imp_pick_{token}_"
    for key, value in st.session_state.items():
        if not (isinstance(key, str) and key.startswith(prefix)) or not value:
            continue
        row = int(key[len(prefix):])
        code = st.session_state.get(_code_key(token, row), "") if value == MANUAL else value
        if str(code).strip():
            out[row] = str(code).strip()
    return out


def row_choices(report: IntakeReport, token: str) -> None:
    """A choice for every row the resolver could not join: candidates, suggestions, or a typed code."""
    st.subheader(t("import.decisions"))
    pending = report.needs_decision()
    if pending.empty:
        st.caption(t("import.decisions_none"))
        return
    st.caption(t("import.decisions_help"))
    if len(pending) > MAX_DECISIONS:
        st.warning(t("import.decisions_too_many", n=len(pending), shown=MAX_DECISIONS))
    for rec in pending.head(MAX_DECISIONS).itertuples(index=False):
        row = int(rec.row)
        cands = {c["adcode"]: c for c in rec.candidates}

        def label(code, cands=cands, not_county=rec.resolver_outcome == "not_county_level"):
            if code == "":
                return t("import.keep_not_county") if not_county else t("import.choose")
            if code == MANUAL:
                return t("import.manual")
            c = cands[code]
            if not_county:
                return t("import.parent_county", name=c["name"], adcode=code)
            if c.get("score") is not None:
                return t("import.candidate_scored", name=c["name"], adcode=code, score=c["score"])
            return t("import.candidate", name=c["name"], adcode=code)

        c1, c2 = st.columns([3, 1])
        choice = c1.selectbox(
            t("import.decision_label", row=row, input=input_label(rec),
              outcome=t(f"import.outcome.{rec.resolver_outcome}")),
            ["", *cands, MANUAL], format_func=label, key=_pick_key(token, row), help=rec.reason or None,
        )
        if choice == MANUAL:
            c2.text_input(t("import.manual_code", row=row), key=_code_key(token, row), max_chars=6)
