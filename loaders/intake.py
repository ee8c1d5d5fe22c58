"""From an uploaded table or pasted document to reviewed roster rows: every input row is accounted for as
joined, ambiguous, unresolved, not county-level or rejected — the counts always add up to the rows read."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd

from loaders.document import parse_document
from loaders.gazetteer import current_units
from loaders.resolver import AMBIGUOUS, NOT_COUNTY_LEVEL, RESOLVED, resolve_frame, split_unit_name
from loaders.tabular import IntakeError, RawTable, parse_date, read_table
from loaders.text import normalise_name, normalise_text

OUTCOMES = ("joined", "ambiguous", "unresolved", "not_county_level", "rejected")
INPUT_COLUMNS = ["row", "source_line", "province", "prefecture", "county", "unit_name", "theme", "content",
                 "approved_on", "batch", "doc_number", "status", "programme", "authority", "zone_id",
                 "period_years", "status_as_of", "designation"]
# Words officials use in a 状态/级别 column → the roster's values (loaders.roster.STATUSES / PROGRAMMES).
STATUS_WORDS = {"申报中": "申报", "已申报": "申报", "待批": "申报", "实验期": "实验中", "进行中": "实验中",
                "在实验": "实验中", "创建中": "实验中", "延长": "延期", "延期中": "延期", "已延期": "延期",
                "结项": "结项验收", "已结项": "结项验收", "验收": "结项验收", "已验收": "结项验收",
                "通过验收": "结项验收", "已授牌": "授牌", "命名": "授牌", "已命名": "授牌"}
PROGRAMME_WORDS = {"全国": "national", "国家级": "national", "全国实验区": "national", "national": "national",
                   "省级": "provincial", "省级实验区": "provincial", "provincial": "provincial"}


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

    def preview(self) -> pd.DataFrame:
        """One line per input row for people: what it said, what became of it, candidates and why."""
        rows = self.rows
        return pd.DataFrame({
            "row": rows.row.astype(int),
            "source_line": rows.source_line,
            "input": [input_label(r) for r in rows.itertuples(index=False)],
            "outcome": rows.outcome,
            "adcode": rows.adcode.fillna(""),
            "resolved": [resolved_label(r) for r in rows.itertuples(index=False)],
            "programme": rows.programme,
            "batch": rows.batch,
            "candidates": ["、".join(f"{c['name']} {c['adcode']}" for c in cands) for cands in rows.candidates],
            "reason": rows.reason,
        })

    def needs_decision(self) -> pd.DataFrame:
        """Rows the resolver could not join by itself (whatever the person has chosen for them since)."""
        return self.rows[self.rows.resolver_outcome.isin(("ambiguous", "unresolved", "not_county_level"))]


def document_facts(text: str) -> dict:
    """What a pasted document says about its batch: 文号, date, authority, official size, period."""
    doc = parse_document(text)
    return {"doc_number": doc.doc_number or "", "approved_on": doc.issued_on or "", "authority": doc.authority or "",
            "official_size": doc.official_size, "period_years": doc.period_years}


def rows_from_document(text: str) -> tuple[pd.DataFrame, dict]:
    """Rows and document facts (文号, date, authority, official size) from pasted document text such as seed 000."""
    doc = parse_document(text)
    rows = pd.DataFrame({
        "row": [r.row for r in doc.rows],
        "source_line": [f"{r.source_lines[0]}–{r.source_lines[1]}" for r in doc.rows],
        "unit_name": [r.unit_name for r in doc.rows],
        "theme": [r.theme for r in doc.rows],
        "content": [r.content for r in doc.rows],
    })
    return rows, document_facts(text)


def rows_from_paste(text: str) -> tuple[pd.DataFrame | RawTable, dict]:
    """Pasted text: a document with a numbered attachment table, or cells copied from a spreadsheet (tab- or
    comma-separated with a header row). Raises IntakeError when it is neither."""
    rows, facts = rows_from_document(text)
    if not rows.empty:
        return rows, facts
    try:
        return read_table(text.encode("utf-8"), "paste.tsv"), facts
    except IntakeError as exc:
        raise IntakeError("没有找到附件表格的行（需要“序号 实验单位 实验主题 实验内容”形式的表格，"
                          f"或从表格软件复制的带表头的单元格）：{exc}") from exc


def province_of_authority(authority: str) -> str:
    """吉林省民政厅 → 吉林省; 民政部 or a city's bureau → ''."""
    province, _, _ = split_unit_name(normalise_name(authority or ""))
    return province or ""


_RESOLVER_INPUTS = ["province", "prefecture", "county", "unit_name", "approved_on"]


@lru_cache(maxsize=20_000)
def _resolve_one(key: tuple[str, ...]) -> dict:
    return resolve_frame(pd.DataFrame([dict(zip(_RESOLVER_INPUTS, key, strict=True))])).iloc[0].to_dict()


def _resolve_rows(rows: pd.DataFrame) -> pd.DataFrame:
    """resolve_frame, remembered per distinct input: the page re-runs intake on every click, and the resolver
    takes ≈40 ms a row."""
    keys = list(rows[_RESOLVER_INPUTS].itertuples(index=False, name=None))
    found = pd.DataFrame([copy.deepcopy(_resolve_one(k)) for k in keys], index=rows.index)
    return pd.concat([rows, found.drop(columns=_RESOLVER_INPUTS)], axis=1)


def _outcome(resolution: str, method: str) -> str:
    if resolution == RESOLVED:
        return "joined"
    if resolution == AMBIGUOUS:
        return "ambiguous"
    return "not_county_level" if method == NOT_COUNTY_LEVEL else "unresolved"


def _clean_inputs(rows: pd.DataFrame, defaults: dict) -> pd.DataFrame:
    for col in INPUT_COLUMNS:
        if col not in rows:
            rows[col] = ""
    rows = rows[INPUT_COLUMNS].astype(str).replace({"nan": "", "None": "", "<NA>": ""})
    for col in ("province", "prefecture", "county", "unit_name", "status", "programme"):
        rows[col] = rows[col].map(normalise_name)
    for col in ("theme", "content", "batch", "doc_number", "authority", "zone_id", "approved_on", "status_as_of",
                "period_years", "designation"):
        rows[col] = rows[col].map(normalise_text)
    for col in ("approved_on", "status_as_of"):  # 2019年3月25日, 43549 (Excel serial), 2019.3.25 → ISO
        rows[col] = rows[col].map(lambda v: parse_date(v) or v)
    rows["status"] = rows["status"].map(lambda s: STATUS_WORDS.get(s, s))
    rows["programme"] = rows["programme"].map(lambda p: PROGRAMME_WORDS.get(p.lower(), p))
    rows["period_years"] = rows["period_years"].str.replace(r"\s*年$", "", regex=True)
    for col, value in defaults.items():
        if col in rows and value not in (None, ""):
            value = normalise_text(value)
            rows.loc[rows[col] == "", col] = parse_date(value) or value if col == "approved_on" else value
    # A provincial list often omits the province (长春市朝阳区): with the province known, split the name so the
    # resolver sees province + prefecture + county.
    bare = (rows.province != "") & (rows.prefecture == "") & (rows.county == "") & (rows.unit_name != "")
    for i in rows.index[bare]:
        p, pref, rest = split_unit_name(rows.at[i, "unit_name"])
        if p is None:
            p, pref, rest = split_unit_name(rows.at[i, "province"] + rows.at[i, "unit_name"])
        if p and p == rows.at[i, "province"] and (pref or rest):
            rows.loc[i, ["prefecture", "county"]] = [pref or "", rest or ""]
    return rows


def _parent_counties(rec) -> list[dict]:
    """For a 街道/开发区 row: the county-level unit whose name its own name starts with (朝阳区南湖街道 → 朝阳区)."""
    name = rec.county_resolved or rec.county or rec.unit_name or ""
    units = current_units()
    pool = units[(units.level == "county") & (units.province == (rec.province_resolved or rec.province))]
    if rec.prefecture_resolved or rec.prefecture:
        pool = pool[pool.prefecture == (rec.prefecture_resolved or rec.prefecture)]
    hits = pool[pool["name"].map(lambda n: bool(n) and name.startswith(n) and name != n).astype(bool)]
    return [{"adcode": a, "name": f"{p}{f if f != p else ''}{n}", "level": "county", "score": None}
            for a, p, f, n in zip(hits.adcode, hits.province, hits.prefecture, hits["name"], strict=True)]


def _apply_choice(out: pd.DataFrame, i, chosen: str, units: pd.DataFrame) -> None:
    if chosen not in units.index or units.at[chosen, "level"] not in ("county", "prefecture"):
        out.at[i, "reason"] = f"指定的区划代码 {chosen} 不是县级或地级单位"
        return
    u = units.loc[chosen]  # a county-level city directly under a province (仙桃市) is taken as county-level
    county = u.level == "county"
    out.at[i, "adcodes"] = (chosen,)
    out.loc[i, ["adcode", "level", "province_resolved", "prefecture_resolved", "county_resolved",
                "outcome", "resolution", "method", "reason"]] = [
        chosen, u.level, u.province, u.prefecture if county else u["name"], u["name"] if county else None,
        "joined", RESOLVED, "user_choice", ""]
    out.at[i, "resolution_notes"] = list(out.at[i, "resolution_notes"]) + [f"由导入人员指定为 {chosen}"]


def intake(source: RawTable | pd.DataFrame, defaults: dict | None = None, corrections: dict | None = None,
           source_name: str = "") -> IntakeReport:
    """Resolve every row. `defaults` fill empty fields (province, batch, 文号, date …); `corrections` map a row
    number to an adcode the person picked (for ambiguous/unknown/not county-level rows) and win over the resolver."""
    defaults = defaults or {}
    corrections = {int(k): str(v).strip() for k, v in (corrections or {}).items() if str(v or "").strip()}
    raw = source.rows.copy() if isinstance(source, RawTable) else source.copy()
    notes = list(source.notes) if isinstance(source, RawTable) else []
    rows = _clean_inputs(raw.reset_index(drop=True), defaults)
    n = len(rows)
    resolved = _resolve_rows(rows) if n else resolve_frame(rows)
    out = resolved.assign(outcome=[_outcome(r, m) for r, m in zip(resolved.resolution, resolved.method, strict=True)],
                          reason="")
    out["resolver_outcome"] = out["outcome"]
    for i in out.index[out.outcome == "not_county_level"]:
        out.at[i, "candidates"] = _parent_counties(out.loc[i])
    units = current_units().drop_duplicates("adcode").set_index("adcode")
    empty = (rows[["province", "prefecture", "county", "unit_name"]] == "").all(axis=1)
    seen: dict[tuple, int] = {}
    for i in out.index:
        row_no = int(out.at[i, "row"]) if str(out.at[i, "row"]).isdigit() else i + 1
        if empty[i]:
            out.loc[i, ["outcome", "reason"]] = ["rejected", "空行：没有单位名称"]
            continue
        if row_no in corrections:
            _apply_choice(out, i, corrections[row_no], units)
        # A duplicate is the same unit in the same batch and programme; the same unit in two batches is legitimate.
        where = out.at[i, "adcode"] if out.at[i, "outcome"] == "joined" else "|".join(
            rows.loc[i, ["province", "prefecture", "county", "unit_name"]])
        key = (rows.at[i, "programme"], rows.at[i, "batch"], where)
        if key in seen:
            out.loc[i, ["outcome", "reason"]] = ["rejected", f"与第{seen[key]}行重复（同一单位、同一批次）"]
            continue
        seen[key] = row_no
        if out.at[i, "outcome"] != "joined" and not out.at[i, "reason"]:
            out.at[i, "reason"] = "；".join(out.at[i, "resolution_notes"])
    report = IntakeReport(out.reset_index(drop=True), n, notes, source_name)
    if sum(report.counts.values()) != report.rows_read:  # never silently lose a row
        raise AssertionError("every input row must be accounted for")
    return report


def input_label(rec) -> str:
    """The row as the file wrote it: its unit name, or province + prefecture + county."""
    joined = "".join(x for x in (rec.province, rec.prefecture, rec.county) if x)
    return rec.unit_name if rec.unit_name and len(rec.unit_name) >= len(joined) else (joined or rec.unit_name)


def resolved_label(rec) -> str:
    """江苏省南京市鼓楼区 for what the row was joined to ('' when it was not)."""
    if rec.outcome != "joined":
        return ""
    parts: list[str] = []
    for x in (rec.province_resolved, rec.prefecture_resolved, rec.county_resolved):
        if isinstance(x, str) and x and (not parts or x != parts[-1]):
            parts.append(x)
    return "".join(parts)
