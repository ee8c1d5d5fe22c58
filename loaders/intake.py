"""From an uploaded table or pasted document to reviewed roster rows: every input row is accounted for as
joined, ambiguous, unresolved, not county-level or rejected — the counts always add up to the rows read."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from loaders.document import parse_document
from loaders.gazetteer import current_units
from loaders.resolver import AMBIGUOUS, NOT_COUNTY_LEVEL, RESOLVED, resolve_frame
from loaders.roster import ROSTER_COLUMNS
from loaders.tabular import RawTable
from loaders.text import normalise_name, normalise_text

OUTCOMES = ("joined", "ambiguous", "unresolved", "not_county_level", "rejected")
INPUT_COLUMNS = ["row", "source_line", "province", "prefecture", "county", "unit_name", "theme", "content",
                 "approved_on", "batch", "doc_number", "status", "programme", "authority", "zone_id"]


@dataclass
class IntakeReport:
    rows: pd.DataFrame  # one per input row: inputs + outcome + reason + resolution columns
    rows_read: int
    notes: list[str] = field(default_factory=list)
    source: str = ""

    @property
    def counts(self) -> dict[str, int]:
        c = self.rows["outcome"].value_counts().to_dict()
        return {k: int(c.get(k, 0)) for k in OUTCOMES}


def rows_from_document(text: str) -> tuple[pd.DataFrame, dict]:
    """Rows and document facts (文号, date, authority) from pasted document text such as seed 000."""
    doc = parse_document(text)
    rows = pd.DataFrame({
        "row": [r.row for r in doc.rows],
        "source_line": [f"{r.source_lines[0]}–{r.source_lines[1]}" for r in doc.rows],
        "unit_name": [r.unit_name for r in doc.rows],
        "theme": [r.theme for r in doc.rows],
        "content": [r.content for r in doc.rows],
    })
    facts = {"doc_number": doc.doc_number or "", "approved_on": doc.issued_on or "", "authority": doc.authority or ""}
    return rows, facts


def _outcome(resolution: str, method: str) -> str:
    if resolution == RESOLVED:
        return "joined"
    if resolution == AMBIGUOUS:
        return "ambiguous"
    return "not_county_level" if method == NOT_COUNTY_LEVEL else "unresolved"


def intake(source: RawTable | pd.DataFrame, defaults: dict | None = None, corrections: dict | None = None,
           source_name: str = "") -> IntakeReport:
    """Resolve every row. `defaults` fill empty fields (batch, 文号, date …); `corrections` map a row number to
    an adcode the user picked (for ambiguous/unknown rows) and win over the resolver."""
    defaults = defaults or {}
    corrections = corrections or {}
    rows = source.rows.copy() if isinstance(source, RawTable) else source.copy()
    notes = list(source.notes) if isinstance(source, RawTable) else []
    for col in INPUT_COLUMNS:
        if col not in rows:
            rows[col] = ""
    rows = rows[INPUT_COLUMNS].astype(str).replace({"nan": "", "None": ""})
    for col, value in defaults.items():
        if col in rows and value:
            rows.loc[rows[col].str.strip() == "", col] = str(value)
    for col in ("province", "prefecture", "county", "unit_name"):
        rows[col] = rows[col].map(normalise_name)
    for col in ("theme", "content"):
        rows[col] = rows[col].map(normalise_text)
    n = len(rows)
    resolved = resolve_frame(rows)
    out = resolved.assign(outcome=[_outcome(r, m) for r, m in zip(resolved.resolution, resolved.method, strict=True)],
                          reason="")
    units = current_units().set_index("adcode")
    empty = (rows[["province", "prefecture", "county", "unit_name"]] == "").all(axis=1)
    key = rows[["province", "prefecture", "county", "unit_name", "batch"]].agg("|".join, axis=1)
    first_row = {}
    for i in out.index:
        row_no = int(out.at[i, "row"])
        if empty[i]:
            out.loc[i, ["outcome", "reason"]] = ["rejected", "空行：没有单位名称"]
            continue
        if key[i] in first_row:
            out.loc[i, ["outcome", "reason"]] = ["rejected", f"与第{first_row[key[i]]}行重复（同一单位、同一批次）"]
            continue
        first_row[key[i]] = row_no
        chosen = str(corrections.get(row_no, "") or "")
        if chosen:
            if chosen in units.index and units.at[chosen, "level"] in ("county", "prefecture"):
                u = units.loc[chosen]
                out.at[i, "adcodes"] = (chosen,)
                out.loc[i, ["adcode", "level", "province_resolved", "prefecture_resolved", "county_resolved",
                            "outcome", "resolution", "method"]] = [
                    chosen, u.level, u.province, u.prefecture if u.level == "county" else u["name"],
                    u["name"] if u.level == "county" else None, "joined", RESOLVED, "user_choice"]
                out.at[i, "resolution_notes"] = list(out.at[i, "resolution_notes"]) + [f"由导入人员指定为 {chosen}"]
            else:
                out.at[i, "reason"] = f"指定的区划代码 {chosen} 不是县级或地级单位"
        if out.at[i, "outcome"] != "joined" and not out.at[i, "reason"]:
            out.at[i, "reason"] = "；".join(out.at[i, "resolution_notes"])
    report = IntakeReport(out.reset_index(drop=True), n, notes, source_name)
    assert sum(report.counts.values()) == report.rows_read, "every input row must be accounted for"
    return report


def _new_ids(ok: pd.DataFrame, defaults: dict, existing: set[str]) -> list[str]:
    """Stable ids in the roster's format (XX-YYYY-NNN) that collide with nothing already in the roster."""
    prefix = str(defaults.get("id_prefix") or ("CN" if defaults.get("programme", "national") == "national" else "PV"))
    taken, ids, n = set(existing), [], 100
    for given, approved in zip(ok.zone_id, ok.approved_on, strict=True):
        if given:
            ids.append(given)
            continue
        year = (approved or str(defaults.get("approved_on") or ""))[:4]
        year = year if year.isdigit() else "0000"
        n += 1
        while f"{prefix}-{year}-{n:03d}" in taken:
            n += 1
        ids.append(f"{prefix}-{year}-{n:03d}")
        taken.add(ids[-1])
    return ids


def to_roster(report: IntakeReport, defaults: dict, existing_ids: set[str] | frozenset = frozenset()) -> pd.DataFrame:
    """Roster rows (ROSTER_COLUMNS) for the joined rows, with generated zone ids where the file had none."""
    ok = report.rows[report.rows.outcome == "joined"]
    out = pd.DataFrame({
        "zone_id": _new_ids(ok, defaults, set(existing_ids)),
        "programme": ok.programme.where(ok.programme != "", defaults.get("programme", "national")),
        "authority": ok.authority,
        "batch": ok.batch,
        "doc_number": ok.doc_number,
        "approved_on": ok.approved_on,
        "period_years": str(defaults.get("period_years", 2)),
        "province": ok.province.where(ok.province != "", ok.province_resolved.fillna("")),
        "prefecture": ok.prefecture,
        "county": ok.county,
        "unit_name": [u or "".join(x for x in (p, f, c) if x) for u, p, f, c in
                      zip(ok.unit_name, ok.province, ok.prefecture, ok.county, strict=True)],
        "theme": ok.theme,
        "content": ok.content,
        "status": ok.status.where(ok.status != "", defaults.get("status", "实验中")),
        "status_as_of": ok.approved_on,
        "designation": "新确认",
        "source": [f"{report.source} 第{r}行" for r in ok.row],
    })
    return out[ROSTER_COLUMNS].reset_index(drop=True)
