"""Where each zone's facts come from and how sure we are: the source register (data/sources.csv), matched to a
roster row by its web address, its 文号 or its import line; and the list of sources with their confidence."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

SOURCES_PATH = Path(__file__).resolve().parent.parent / "data" / "sources.csv"
SOURCE_COLUMNS = ["key", "title", "confidence", "covers"]


def load_sources(path: Path | str = SOURCES_PATH) -> pd.DataFrame:
    """The source register: key (a web address, a 文号, or `file 第N行`), title in Chinese, confidence
    (high/medium/low as in loaders.roster.CONFIDENCE) and what it covers."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = set(SOURCE_COLUMNS) - set(df.columns)
    if missing:
        raise ValueError(f"{Path(path).name} 缺少列：{'、'.join(sorted(missing))}")
    return df[SOURCE_COLUMNS]


def source_key(zone, register: pd.DataFrame) -> str | None:
    """The register key a roster row's facts come from: its web address, else its 文号, else its import line
    (`national-batch2-fragments.csv 第2行`); None when the register has none of them."""
    keys = set(register.key)
    for value in (getattr(zone, "source_url", ""), getattr(zone, "doc_number", ""), getattr(zone, "source", "")):
        if isinstance(value, str) and value in keys:
            return value
    return None


def source_of(zone, register: pd.DataFrame | None = None) -> dict:
    """{"title", "confidence", "covers", "key"} for a roster row; the row's own source text when the register lacks
    it (its confidence then as the row gives it)."""
    register = load_sources() if register is None else register
    key = source_key(zone, register)
    if key is None:
        return {"key": "", "title": str(getattr(zone, "source", "")), "covers": "",
                "confidence": str(getattr(zone, "confidence", "") or "")}
    rec = register[register.key == key].iloc[0]
    return {"key": key, "title": rec.title, "covers": rec.covers,
            "confidence": str(getattr(zone, "confidence", "") or rec.confidence)}


def source_table(zones: pd.DataFrame, register: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every registered source with its confidence and the number of roster rows resting on it (a source behind
    published results only, such as the 2021 notice, shows 0 rows). Columns: title, confidence, covers, rows, key."""
    register = load_sources() if register is None else register
    used = pd.Series([source_key(r, register) for r in zones.itertuples(index=False)], dtype=object)
    counts = used.value_counts()
    out = register.assign(rows=register.key.map(counts).fillna(0).astype(int))
    return out[["title", "confidence", "covers", "rows", "key"]].reset_index(drop=True)


def confidence_counts(zones: pd.DataFrame) -> dict[str, int]:
    """Rows per confidence level (high/medium/low; rows without one are not counted)."""
    col = zones["confidence"] if "confidence" in zones else pd.Series(dtype=str)
    return {k: int((col == k).sum()) for k in ("high", "medium", "low")}
