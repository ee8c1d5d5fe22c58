"""CSV/Excel downloads that a spreadsheet can open safely: text starting with = + - @ (or tab/CR) is never a formula."""

from __future__ import annotations

import io

import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def neutralise_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """A copy where every text cell that a spreadsheet would evaluate is prefixed with an apostrophe."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralise_cell)
    out.columns = [neutralise_cell(str(c)) for c in out.columns]
    return out


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """UTF-8 with BOM so Excel opens Chinese text correctly. Rows end in CRLF, which also makes the csv writer
    quote any cell holding a CR: Excel ends a row at a bare CR, so an unquoted "x\r=1+1" would become a new row
    starting with a live formula."""
    return neutralise_formulas(df).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def to_excel_bytes(df: pd.DataFrame, sheet_name: str = "data") -> bytes:
    """xlsx with every text cell written as a string (never parsed as a formula or URL)."""
    buf = io.BytesIO()
    safe = neutralise_formulas(df)
    with pd.ExcelWriter(
        buf, engine="xlsxwriter",
        engine_kwargs={"options": {"strings_to_formulas": False, "strings_to_urls": False}},
    ) as writer:
        safe.to_excel(writer, sheet_name=sheet_name[:31], index=False)
    return buf.getvalue()
