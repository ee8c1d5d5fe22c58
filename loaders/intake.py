"""From an uploaded table or pasted document to reviewed roster rows: every input row is accounted for as
joined, ambiguous, unresolved, not county-level or rejected — the counts always add up to the rows read."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd

from loaders.document import parse_document
from loaders.gazetteer import current_units, level_of_code, successors
from loaders.names import strip_list_number
from loaders.resolver import (
    AMBIGUOUS,
    NOT_COUNTY_LEVEL,
    RESOLVED,
    province_named_in,
    resolve_frame,
    resolve_unit,
    year_of,
)
from loaders.tabular import (
    HeaderNotFound,
    IntakeError,
    RawTable,
    decode_csv,
    map_header,
    parse_date,
    read_table,
)
from loaders.text import normalise_name, normalise_text

OUTCOMES = ("joined", "ambiguous", "unresolved", "not_county_level", "rejected")
INPUT_COLUMNS = ["row", "source_line", "province", "prefecture", "county", "unit_name", "theme", "content",
                 "approved_on", "batch", "doc_number", "status", "programme", "authority", "zone_id",
                 "period_years", "status_as_of", "designation", "confidence", "source_url", "source_note",
                 "input_cells", "year"]
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
            "designated": ["、".join(c or ()) if o == "joined" else "" for c, o in
                           zip(rows.designated_adcodes, rows.outcome, strict=True)],
            "adcode": rows.adcode.fillna(""),
            "resolved": [resolved_label(r) for r in rows.itertuples(index=False)],
            "method": [m if o == "joined" else "" for m, o in zip(rows.method, rows.outcome, strict=True)],
            "programme": rows.programme,
            "batch": rows.batch,
            "candidates": ["、".join(f"{c['name']} {c['adcode']}" for c in cands) for cands in rows.candidates],
            # how a joined row was matched (简称, 繁体, 历史名称 …) or why a row was not
            "reason": [r or ("；".join(n) if o == "joined" else "") for r, n, o in
                       zip(rows.reason, rows.resolution_notes, rows.outcome, strict=True)],
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
    """Pasted text: a document with a numbered attachment table (seed 000), a list with one unit per line
    (1．上海市长宁区 / 2、… / (3) … / 一、… / ① … or just 沛县), or cells copied from a spreadsheet (tab- or
    comma-separated with a header row). Raises IntakeError when it is none of these."""
    rows, facts = rows_from_document(text)
    if not rows.empty:
        return rows, facts
    try:
        return read_table(text.encode("utf-8"), "paste.tsv"), facts
    except IntakeError as exc:
        listed = rows_from_list(text)
        if listed is not None:
            return listed, facts
        raise IntakeError("没有找到附件表格的行（需要“序号 实验单位 实验主题 实验内容”形式的表格，"
                          f"带表头的表格单元格，或每行一个单位的名单）：{exc}") from exc


def rows_from_file(data: bytes, filename: str, **read_options) -> tuple[pd.DataFrame | RawTable, dict]:
    """Rows and document facts from a file's bytes, the way the import page reads an upload: a .txt is pasted
    text (document, numbered list or copied cells); anything else a table. A text table whose header is not
    recognised is read as a list of units when its lines name units (a one-column roster without header);
    otherwise HeaderNotFound is raised so that a person can say which column is which."""
    if filename.lower().endswith(".txt"):
        text, _ = decode_csv(data)
        return rows_from_paste(text)
    try:
        return read_table(data, filename, **read_options), {}
    except HeaderNotFound:
        if data[:2] == b"PK" or data[:4] == b"\xd0\xcf\x11\xe0":  # a workbook: the person maps its columns
            raise
        listed = rows_from_list(decode_csv(data)[0])
        if listed is None:
            raise
        return listed, {}


def _name_cells(cells: list[str]) -> int:
    """How many leading cells of a headerless line name one unit together (省,市,县 in cells of their own): the
    most that still read as a place; 1 when only the first does (or none does: the first cell is the name)."""
    for k in range(min(len(cells), 4), 1, -1):
        if resolve_unit(unit_name="".join(cells[:k])).status in ("resolved", "ambiguous", "not_county_level"):
            return k
    if len(cells) > 1 and resolve_unit(unit_name=cells[0]).status == "unresolved":
        # 安徽省,毫州市,谯城区: no reading, but the cells are names; keep them together so that the row is reported
        # with the unit it most likely means among its candidates
        names = 0
        while names < min(len(cells), 4) and _NAME_CELL.fullmatch(cells[names]):
            names += 1
        return max(names, 1)
    return 1


_NAME_CELL = re.compile(r"[\u4e00-\u9fff〇]{2,12}")
_CELL_SPLIT = re.compile(r"[\t,，]|\s{2,}| (?=[^\s])")
_UNIT_SUFFIX = re.compile(r"(省|市|区|县|旗|州|盟|镇|乡|街道)$")
_LIST_HEADER = {"实验单位", "单位名称", "名单", "实验区", "序号", "单位"}


def rows_from_list(text: str) -> RawTable | None:
    """One unit per line: numbered lines in any common form, or lines that are only a unit's name (沛县).

    A line counts when it is numbered, or when its first word reads as a place (resolved, ambiguous or below
    county level). Other lines (titles, 附件, dates) are listed in the table's notes, never silently dropped.
    A line may carry more cells after the unit (tab, comma or space separated): they become the theme. Returns
    None when no line names a unit."""
    lines = [(i + 1, ln.strip()) for i, ln in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))]
    records, notes = [], []
    for i, line in lines:
        if not line:
            continue
        body, numbered = strip_list_number(line)
        cells = [c.strip() for c in _CELL_SPLIT.split(body) if c.strip()]
        if cells and cells[0].isdigit():  # 1<tab>上海市长宁区: the number in a cell of its own
            cells, numbered = cells[1:], True
        taken = _name_cells(cells)  # 重庆市,,石柱县 / 广东,佛山南海: the leading cells that together name a unit
        if taken > 1:
            notes.append(f"第{i}行：前 {taken} 个单元格合起来读作一个单位名称")
        unit = "".join(cells[:taken]).strip("，,；;。:： ") if cells else ""
        rest = " ".join(cells[taken:])
        if not unit or unit in _LIST_HEADER or map_header([unit]):  # a header cell (实验单位, 区县 …)
            notes.append(f"第{i}行不是名单行：{line[:40]}")
            continue
        if not numbered:
            r = resolve_unit(unit_name=unit)
            if r.status == "unresolved" and not (len(unit) <= 15 and _UNIT_SUFFIX.search(unit)):
                notes.append(f"第{i}行不是名单行：{line[:40]}")
                continue
        records.append({"unit_name": unit, "theme": rest, "source_line": str(i)})
    if not records:
        return None
    rows = pd.DataFrame(records, columns=["unit_name", "theme", "source_line"])
    rows.insert(0, "row", range(1, len(rows) + 1))
    return RawTable(rows, {"实验单位": "unit_name"}, read_notes=[f"按逐行名单读取：{len(rows)} 行", *notes])


def province_of_authority(authority: str) -> str:
    """吉林省民政厅 → 吉林省; 民政部 or a city's bureau → ''."""
    return province_named_in(normalise_name(authority or "")) or ""


_RESOLVER_INPUTS = ["province", "prefecture", "county", "unit_name", "approved_on", "year"]


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
    # The designation year, also from a date the reader could not read whole (2011–2012, 2014年5月前后).
    raw_dates = rows["approved_on_raw"] if "approved_on_raw" in rows else rows.get("approved_on")
    if raw_dates is not None and "year" not in rows:
        rows = rows.assign(year=[str(year_of(v) or "") for v in raw_dates])
    for col in INPUT_COLUMNS:
        if col not in rows:
            rows[col] = ""
    rows = rows[INPUT_COLUMNS].astype(str).replace({"nan": "", "None": "", "<NA>": ""})
    for col in ("province", "prefecture", "county", "unit_name", "status", "programme"):
        rows[col] = rows[col].map(normalise_name)
    for col in ("theme", "content", "batch", "doc_number", "authority", "zone_id", "approved_on", "status_as_of",
                "period_years", "designation", "confidence", "source_url", "source_note"):
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
    return rows


def _apply_choice(out: pd.DataFrame, i, chosen: str, units: pd.DataFrame) -> None:
    designated = chosen
    if chosen not in units.index:  # a candidate's designated code (江干区 330104): drawn as its successor
        drawn, _ = successors(chosen, 2000)
        chosen = drawn[0] if len(drawn) == 1 else chosen
    level = level_of_code(chosen) if chosen.isdigit() and len(chosen) == 6 else None
    if chosen not in units.index or level not in ("county", "prefecture"):
        out.at[i, "reason"] = f"指定的区划代码 {chosen} 不是县级或地级单位"
        return
    u = units.loc[chosen]  # the level comes from the code: 仙桃市 429004 is county-level
    county = level == "county"
    out.at[i, "adcodes"] = (chosen,)
    out.at[i, "designated_adcodes"] = (designated,)
    out.loc[i, ["adcode", "level", "province_resolved", "prefecture_resolved", "county_resolved",
                "outcome", "resolution", "method", "reason"]] = [
        chosen, level, u.province, u.prefecture if county else u["name"], u["name"] if county else None,
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
