"""Turn a reviewed intake into roster rows (ROSTER_COLUMNS) and a batches.csv record, ready to show, download
or save: stable ids, programme and lifecycle fields filled, rows already on the roster updated rather than doubled."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from loaders.gazetteer import current_units
from loaders.intake import IntakeReport, input_label
from loaders.programmes import level_of, programme_of
from loaders.roster import BATCH_COLUMNS, PROGRAMMES, ROSTER_COLUMNS, RosterProblem, validate_roster

# ISO 3166-2:CN province codes by the first two digits of the adcode: provincial zone ids read JL-2019-01.
PROVINCE_ID = {"11": "BJ", "12": "TJ", "13": "HE", "14": "SX", "15": "NM", "21": "LN", "22": "JL", "23": "HL",
               "31": "SH", "32": "JS", "33": "ZJ", "34": "AH", "35": "FJ", "36": "JX", "37": "SD", "41": "HA",
               "42": "HB", "43": "HN", "44": "GD", "45": "GX", "46": "HI", "50": "CQ", "51": "SC", "52": "GZ",
               "53": "YN", "54": "XZ", "61": "SN", "62": "GS", "63": "QH", "64": "NX", "65": "XJ", "71": "TW",
               "81": "HK", "82": "MO"}
SAVED_OUTCOMES = ("joined", "not_county_level")  # a 街道/开发区 zone is a real zone: kept, drawn without polygon


@dataclass
class RosterDraft:
    rows: pd.DataFrame  # ROSTER_COLUMNS, one per joined or not county-level input row
    input_rows: list[int]  # the intake row number of each roster row
    updates: list[str] = field(default_factory=list)  # zone ids already on the roster that these rows replace
    problems: list[RosterProblem] = field(default_factory=list)  # schema problems (row = intake row number)

    @property
    def new(self) -> int:
        return len(self.rows) - len(self.updates)

    def batch_known(self, existing: pd.DataFrame | None, batch: str, programme: str) -> int:
        """Zones of this batch on the roster once saved: this import's rows plus the batch's other rows."""
        mine = int(((self.rows.batch == batch) & (self.rows.programme == programme)).sum())
        if existing is None or existing.empty:
            return mine
        others = existing[(existing.batch == batch) & (existing.programme == programme)
                          & ~existing.zone_id.isin(set(self.rows.zone_id))]
        return mine + len(others)

    def problem_lines(self, label=str) -> list[str]:
        """One line per distinct problem, with every row it concerns: 第1、2、5行「实验主题」：必填项为空：….
        `label` names a roster column for people."""
        grouped: dict[tuple, list[int]] = {}
        for p in self.problems:
            grouped.setdefault((p.column, p.message), []).append(p.row)
        return [f"第{'、'.join(str(r) for r in rows[:12])}{' 等' if len(rows) > 12 else ''}行「{label(col)}」：{msg}"
                for (col, msg), rows in grouped.items()]


def id_prefix(programme: str, province: str) -> str:
    if level_of(programme) == "national":
        return "CN"
    units = current_units()
    code = units[(units.level == "province") & (units["name"] == province)].adcode
    return PROVINCE_ID.get(code.iloc[0][:2], "PV") if len(code) else "PV"


def _existing_keys(existing: pd.DataFrame | None) -> dict[tuple, str]:
    """(programme, batch, adcode or unit name) → zone_id for the rows already on the roster."""
    if existing is None or existing.empty:
        return {}
    keys = {}
    for rec in existing.to_dict("records"):
        where = rec.get("adcode") if isinstance(rec.get("adcode"), str) and rec.get("adcode") else rec.get("unit_name")
        keys[(rec.get("programme"), rec.get("batch"), where)] = rec["zone_id"]
    return keys


def _names_for_choice(rec) -> tuple[str, str, str]:
    """Province/prefecture/county written so that the resolver finds the unit the person chose, next time too."""
    if rec.method != "user_choice":
        return rec.province or (rec.province_resolved or ""), rec.prefecture, rec.county
    pref = rec.prefecture_resolved or ""
    if pref == rec.province_resolved:  # municipalities: 北京市石景山区 has no prefecture of its own
        pref = ""
    return rec.province_resolved, pref, rec.county_resolved or ""


def to_roster(report: IntakeReport, defaults: dict, existing: pd.DataFrame | None = None) -> RosterDraft:
    """Roster rows for the joined and not county-level rows. A row whose unit is already on the roster in the same
    programme and batch keeps that row's zone id (saving replaces it); new rows get the next free id."""
    ok = report.rows[report.rows.outcome.isin(SAVED_OUTCOMES)]
    existing_ids = set(existing.zone_id) if existing is not None and "zone_id" in existing else set()
    known = _existing_keys(existing)
    taken = set(existing_ids)
    records, updates = [], []
    for rec in ok.itertuples(index=False):
        authority = rec.authority or str(defaults.get("authority") or "")
        cell = rec.programme or defaults.get("programme") or "national"
        programme = programme_of(cell, authority) or cell  # an unknown programme is reported by validate_roster
        province, prefecture, county = _names_for_choice(rec)
        approved = rec.approved_on or str(defaults.get("approved_on") or "")
        where = rec.adcode if isinstance(rec.adcode, str) and rec.adcode else input_label(rec)
        zone_id = rec.zone_id or known.get((programme, rec.batch, where), "")
        if zone_id and zone_id in existing_ids:
            updates.append(zone_id)
        if not zone_id:
            zone_id = _next_id(id_prefix(programme, province), approved, taken)
        taken.add(zone_id)
        records.append({
            "zone_id": zone_id,
            "programme": programme,
            "authority": authority,
            "batch": rec.batch,
            "doc_number": rec.doc_number,
            "approved_on": approved,
            "period_years": period_years_of(rec.period_years) if rec.period_years else
            str(defaults.get("period_years") or ""),
            "province": province,
            "prefecture": prefecture,
            "county": county,
            "unit_name": rec.unit_name or input_label(rec),
            "designated_adcode": _codes(rec.designated_adcodes)[:6] if rec.outcome == "joined" else "",
            "current_adcodes": _codes(rec.adcodes) if rec.outcome == "joined" else "",
            "parent_adcode": (rec.parent_adcode or "") if rec.outcome == "not_county_level" else "",
            "theme": rec.theme,
            "content": rec.content,
            "status": rec.status or defaults.get("status") or "实验中",
            "status_as_of": rec.status_as_of or approved,
            "designation": rec.designation or "新确认",
            "source": f"{report.source} 第{rec.source_line or rec.row}行".strip(),
            "confidence": (rec.confidence or str(defaults.get("confidence") or "")).lower(),
            "source_url": rec.source_url,
            "source_note": rec.source_note,
        })
    rows = pd.DataFrame(records, columns=ROSTER_COLUMNS).astype(str)
    input_rows = [int(r) for r in ok.row]
    checked = validate_roster(rows)
    problems = [RosterProblem(input_rows[p.row - 1] if p.row else None, p.column, p.message) for p in checked.problems]
    return RosterDraft(rows, input_rows, updates, problems)


def _codes(value) -> str:
    """("330102",) → "330102"; several drawn codes joined with ";" as roster.csv writes them."""
    if isinstance(value, str):
        return value
    return ";".join(value) if isinstance(value, tuple | list) else ""


def period_years_of(text: str) -> str:
    """The experiment period in whole years from what a source writes: 2 / 2年 / 3 years / 两年, or a span of months
    2015-07 to 2018-06 (35 months → 3). A span of bare years (2014 to 2016: two or three years?) is not guessed:
    the text is returned as written, and the schema check reports it."""
    s = str(text or "").strip()
    m = re.fullmatch(r"(\d{1,2})\s*(?:年|years?)?", s)
    if m:
        return m[1]
    words = {"一": "1", "两": "2", "二": "2", "三": "3", "四": "4", "五": "5"}
    m = re.fullmatch(r"([一两二三四五])年", s)
    if m:
        return words[m[1]]
    m = re.fullmatch(r"(\d{4})-(\d{2})\s*(?:to|至|—|–|-|~)\s*(\d{4})-(\d{2})", s)
    if m:
        months = (int(m[3]) - int(m[1])) * 12 + int(m[4]) - int(m[2]) + 1
        if months % 12 in (0, 11, 1):
            return str(round(months / 12))
    return s


def _next_id(prefix: str, year: str, taken: set[str]) -> str:
    found = re.search(r"\d{4}", year or "")  # a partial date's first year: 2011/2012 → 2011, /2017-03 → 2017
    year = found[0] if found else "0000"
    used = [int(z.rsplit("-", 1)[1]) for z in taken if z.startswith(f"{prefix}-{year}-") and z.rsplit("-", 1)[1].isdigit()]
    n = max(used, default=0) + 1
    return f"{prefix}-{year}-{n:02d}"


def batch_record(defaults: dict, official_size: int | None, source_file: str, size_source: str) -> dict:
    """The batches.csv line for this import: programme, authority, 文号, date and the official size if known."""
    batch, doc = str(defaults.get("batch") or ""), str(defaults.get("doc_number") or "")
    label = f"{defaults.get('authority') or PROGRAMMES.get(defaults.get('programme'), '')} {batch}".strip()
    label = str(defaults.get("label") or "") or label + (f"（{doc}）" if doc else "")
    record = {
        "batch": batch,
        "programme": defaults.get("programme") or "national",
        "authority": defaults.get("authority") or "",
        "doc_number": doc,
        "approved_on": defaults.get("batch_approved_on", defaults.get("approved_on")) or "",
        "official_size": "" if official_size in (None, "") else str(int(official_size)),
        "label": label,
        "source": f"导入 {source_file}" + (f"；总数依据：{size_source}" if size_source else ""),
    }
    return {k: record[k] for k in BATCH_COLUMNS}
