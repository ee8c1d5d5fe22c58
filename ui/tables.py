"""Data grids that fit the page: pixel widths for st.dataframe columns so a table shows every column at 1280 px.

Streamlit sizes a grid's columns to their content, so a table with long cells (URLs, notes) or many columns runs
past the page and scrolls sideways, hiding columns a reader never finds (issue 16). `fitted_config` gives each column
the width its header and typical cell need, and when the sum is more than the page has, narrows the widest columns
to a common cap (their long cells end in "…"; the full text is in the CSV/Excel download beside every table).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

# The main column's width at 1280×800 with the sidebar open: a width="stretch" grid measures 818 px there
# (tests/browser/test_tables_fit.py), 2 px of which are its border.
PAGE_WIDTH = 816
WIDE_PX = 14  # a CJK character (and full-width punctuation) in the grid's 14 px font
NARROW_PX = 8  # a digit, Latin letter or ASCII punctuation
PAD_PX = 20  # cell padding, and room for the header's sort arrow
MIN_PX = 48


COLUMN_GAP = 16  # px between st.columns (gap="small")
BORDER_INSET = 34  # px a st.container(border=True) takes from its content: 1 rem padding and 1 px border a side


def page_share(n: int, inset: int = BORDER_INSET) -> int:
    """The width in px a grid has in one of `n` side-by-side st.columns at 1280 px (inside a bordered container)."""
    return (PAGE_WIDTH - COLUMN_GAP * (n - 1)) // n - inset


def text_px(value: object) -> int:
    """Estimated width in px of `value` as the grid draws it (no padding)."""
    return sum(WIDE_PX if ord(ch) >= 0x2E80 else NARROW_PX for ch in str(value))


def needed_px(frame: pd.DataFrame, column: str, label: str) -> int:
    """The width a column needs: its header, or the 90th percentile of its cells (a few very long ones are cut)."""
    cells = frame[column].dropna().map(text_px)
    typical = int(cells.quantile(0.9)) if len(cells) else 0
    return max(text_px(label), typical) + PAD_PX


def fitted_widths(needs: Mapping[str, int], budget: int = PAGE_WIDTH) -> dict[str, int]:
    """Column → width in px, summing to at most `budget` where possible: columns that need less than a common cap
    keep what they need, the others get the cap (the largest one that fits). Never below MIN_PX."""
    if sum(needs.values()) <= budget:
        return dict(needs)
    low, high = MIN_PX, max(needs.values())
    while low < high:  # the largest cap whose total fits
        cap = (low + high + 1) // 2
        if sum(min(n, cap) for n in needs.values()) <= budget:
            low = cap
        else:
            high = cap - 1
    return {c: max(MIN_PX, min(n, low)) for c, n in needs.items()}


def columns_that_fit(frame: pd.DataFrame, columns: list[str], budget: int = PAGE_WIDTH) -> list[str]:
    """The first of `columns` (most wanted first) and each next one while all of them still get what they need
    within `budget` px: a narrow table keeps its most telling columns whole instead of cutting all of them."""
    kept: list[str] = []
    for c in columns:
        if kept and sum(needed_px(frame, k, k) + 1 for k in [*kept, c]) > budget:
            break
        kept.append(c)
    return kept


def fitted_config(frame: pd.DataFrame, config: Mapping[str, dict | None] | None = None,
                  budget: int = PAGE_WIDTH) -> dict[str, dict | None]:
    """st.dataframe's column_config for `frame` with every shown column's width set so the table fits `budget` px;
    `config` entries (st.column_config objects, or None to hide a column) are kept and get the width added."""
    config = dict(config or {})
    shown = [c for c in frame.columns if not (str(c) in config and config[str(c)] is None)]
    needs = {str(c): needed_px(frame, c, (config.get(str(c)) or {}).get("label") or str(c)) for c in shown}
    widths = fitted_widths(needs, budget - len(needs))  # the grid draws each column 1 px wider (its rule)
    out: dict[str, dict | None] = {c: v for c, v in config.items() if v is None}
    for c, width in widths.items():
        out[c] = {**(config.get(c) or {}), "width": width}
    return out


def fitted_dataframe(frame: pd.DataFrame, config: Mapping[str, dict | None] | None = None,
                     budget: int = PAGE_WIDTH, **options):
    """st.dataframe(frame) without its index, as wide as the page, every column sized by fitted_config."""
    import streamlit as st

    options = {"hide_index": True, "width": "stretch", **options}
    return st.dataframe(frame, column_config=fitted_config(frame, config, budget), **options)
