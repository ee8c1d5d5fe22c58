"""Resolve a zone as named in its document to today's administrative unit(s), and say how and why."""

from __future__ import annotations

import csv
from dataclasses import asdict, dataclass, field
from functools import lru_cache

import pandas as pd
from rapidfuzz import fuzz, process

from loaders.gazetteer import DATA_DIR, current_units, division_table, province_short_names, trace_forward
from loaders.text import normalise_name

RESOLVED, AMBIGUOUS, UNRESOLVED = "resolved", "ambiguous", "unresolved"
# Methods, in the words the check command and the UI use.
EXACT = "exact"  # province (+ prefecture) + name, one unit, unchanged since the designation year
UNIQUE_IN_PROVINCE = "unique_in_province"  # no prefecture given, name unique inside the province
HISTORICAL = "historical"  # named as in the designation year; today's code differs
PREFECTURE = "prefecture"  # a whole prefecture-level unit (衢州市)
NOT_COUNTY_LEVEL = "not_county_level"  # a 街道, 镇, development or functional zone: no polygon of its own
UNKNOWN = "unknown"
EMPTY = "empty"

_BELOW_COUNTY = ("街道", "镇", "乡", "社区", "村", "开发区", "高新区", "新区管委会", "管委会", "园区", "功能区", "示范区", "片区")


@dataclass
class Candidate:
    adcode: str
    name: str  # full path, e.g. 江苏省南京市鼓楼区
    level: str
    score: float | None = None


@dataclass
class Resolution:
    """The outcome for one roster row. `adcodes` are today's units to draw; never empty when resolved."""

    input: str
    status: str
    method: str
    level: str | None = None
    adcodes: tuple[str, ...] = ()
    province: str | None = None
    prefecture: str | None = None
    county: str | None = None
    designated_codes: tuple[str, ...] = ()  # codes in the designation year's MCA table
    notes: list[str] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["adcodes"] = list(self.adcodes)
        d["designated_codes"] = list(self.designated_codes)
        return d


@lru_cache(maxsize=1)
def _division_notes() -> dict[str, str]:
    with open(DATA_DIR / "division_notes.csv", encoding="utf-8") as fh:
        return {row["code"]: row["note"] for row in csv.DictReader(fh)}


def _full_name(adcode: str) -> str:
    units = current_units()
    row = units[units.adcode == adcode].iloc[0]
    parts = [row.province]
    if row.level != "province" and row.prefecture and row.prefecture != row.province:
        parts.append(row.prefecture)
    if row.level == "county" and row["name"] != row.prefecture:
        parts.append(row["name"])
    return "".join(parts)


def _candidate(adcode: str, level: str, score: float | None = None) -> Candidate:
    return Candidate(adcode=adcode, name=_full_name(adcode), level=level, score=score)


def split_unit_name(text: str) -> tuple[str | None, str | None, str | None]:
    """Split 实验单位 like 江苏省南京市雨花台区 into (province, prefecture, rest).

    Prefecture names are matched against today's units and the names of past years (襄樊市, 江干区's 杭州市 …), so a
    document written in its own year still splits. Nothing is guessed: an unknown prefix stays in `rest`.
    """
    name = normalise_name(text)
    provinces = province_short_names()
    province = None
    for written in sorted(provinces, key=len, reverse=True):
        if name.startswith(written):
            rest = name[len(written) :]
            if written != provinces[written] and rest.startswith(("市", "省")):
                continue  # 吉林市… is a city, not 吉林省
            province, name = provinces[written], rest
            break
    if province is None:
        return None, None, name or None
    prefecture_names = _prefecture_names(province)
    for pref in sorted(prefecture_names, key=len, reverse=True):
        if name.startswith(pref) and pref != province:
            rest = name[len(pref) :]
            return province, pref, rest or None
    return province, None, name or None


@lru_cache(maxsize=64)
def _prefecture_names(province: str) -> tuple[str, ...]:
    units = current_units()
    today = units[(units.province == province) & (units.level == "prefecture")]["name"].tolist()
    pcode = units[(units.level == "province") & (units.name == province)]["adcode"].iloc[0]
    past = []
    for year in (2005, 2010, 2015, 2019, 2022):
        t = division_table(year)
        past += t[(t.level == "prefecture") & t.code.str.startswith(pcode[:2])]["name"].tolist()
    return tuple(dict.fromkeys(n for n in today + past if n))


def _historical_matches(year: int, province: str, prefecture: str | None, name: str, level: str) -> list[str]:
    units = current_units()
    pcode = units[(units.level == "province") & (units.name == province)]["adcode"].iloc[0][:2]
    t = division_table(year)
    t = t[(t.level == level) & t.code.str.startswith(pcode) & (t.name == name)]
    if prefecture and level == "county":
        pref_rows = division_table(year)
        pref_codes = pref_rows[(pref_rows.level == "prefecture") & (pref_rows.name == prefecture)].code.str[:4]
        if len(pref_codes):
            t = t[t.code.str[:4].isin(set(pref_codes))]
    return t.code.tolist()


def _suggestions(name: str, province: str | None, level: str = "county", limit: int = 5) -> list[Candidate]:
    units = current_units()
    pool = units[units.level == level]
    if province:
        pool = pool[pool.province == province]
    choices = dict(zip(pool.adcode, pool["name"], strict=True))
    hits = process.extract(name, choices, scorer=fuzz.WRatio, limit=limit, score_cutoff=50)
    return [_candidate(code, level, round(score, 1)) for _name, score, code in hits]


def resolve_unit(
    province: str | None = None,
    prefecture: str | None = None,
    county: str | None = None,
    *,
    unit_name: str | None = None,
    year: int = 2022,
) -> Resolution:
    """Resolve one zone. Give province/prefecture/county, or a single `unit_name` string to split.

    `year` is the designation year: names are first looked up as they were then (MCA table of that year), and the
    code is followed through later renames, merges and splits to today's units.
    """
    province, prefecture, county = (normalise_name(v) or None for v in (province, prefecture, county))
    raw = unit_name if unit_name is not None else "".join(v for v in (province, prefecture, county) if v)
    if unit_name is not None:
        p, c, rest = split_unit_name(unit_name)
        province, prefecture, county = province or p, prefecture or c, rest
    elif province and (prefecture or county):
        p, c, rest = split_unit_name("".join(v for v in (province, prefecture, county) if v))
        province = p or province
        if p is not None:
            prefecture, county = c, rest
    elif county and not province:
        p, c, rest = split_unit_name(county)
        if p is not None:
            province, prefecture, county = p, c or prefecture, rest
    res = Resolution(input=normalise_name(raw), status=UNRESOLVED, method=UNKNOWN, province=province,
                     prefecture=prefecture, county=county)
    if not res.input:
        res.method = EMPTY
        res.notes.append("实验单位名称为空")
        return res
    if province is not None and province not in set(province_short_names().values()):
        full = province_short_names().get(province)
        if full is None:  # a typo or a stray value in the 省份 column: never guess, look the name up nationwide
            res.notes.append(f"“{province}”不是省级行政区名称，按全国范围查找")
        res.province = province = full
    if province is None:
        provinces = province_short_names()
        if any(res.input.startswith(p) for p in provinces):
            pass
        return _resolve_without_province(res, year)
    if county is None and prefecture is not None:
        return _resolve_prefecture(res, year)
    if county is None:
        res.notes.append("只有省级名称：实验区应为县级或地级单位")
        return res
    if county.endswith(_BELOW_COUNTY) and not _is_county_name(county, province):
        res.method = NOT_COUNTY_LEVEL
        res.notes.append(f"“{county}”不是县级行政区（街道、乡镇或功能区），不对应县级边界；保留此行，未连接到地图多边形")
        return res
    return _resolve_county(res, year)


def _is_county_name(name: str, province: str | None) -> bool:
    units = current_units()
    pool = units[(units.level == "county") & (units["name"] == name)]
    return bool(len(pool if province is None else pool[pool.province == province]))


def _resolve_prefecture(res: Resolution, year: int) -> Resolution:
    units = current_units()
    pool = units[(units.level == "prefecture") & (units.province == res.province) & (units["name"] == res.prefecture)]
    past = _historical_matches(year, res.province, None, res.prefecture, "prefecture")
    res.designated_codes = tuple(past)
    if len(past) == 1:
        today, events = trace_forward(past[0], year)
        if events or today[0] not in set(pool.adcode):
            return _finish_historical(res, past[0], today, events, level="prefecture")
    if len(pool) == 1:
        res.status, res.method, res.level, res.adcodes = RESOLVED, PREFECTURE, "prefecture", (pool.adcode.iloc[0],)
        res.notes.append("整个地级市为实验单位")
        return res
    res.candidates = _suggestions(res.prefecture, res.province, level="prefecture")
    res.notes.append(f"在{res.province}找不到地级单位“{res.prefecture}”")
    return res


def _resolve_county(res: Resolution, year: int) -> Resolution:
    units = current_units()
    pool = units[(units.level == "county") & (units.province == res.province) & (units["name"] == res.county)]
    if res.prefecture:
        pool = pool[pool.prefecture == res.prefecture]
    past = _historical_matches(year, res.province, res.prefecture, res.county, "county")
    res.designated_codes = tuple(past)
    if len(past) > 1 or (len(past) == 0 and len(pool) > 1):
        codes = past if len(past) > 1 else pool.adcode.tolist()
        res.status, res.method = AMBIGUOUS, AMBIGUOUS
        res.candidates = [_candidate(trace_forward(c, year)[0][0], "county") for c in codes]
        res.notes.append(f"{res.province}有{len(codes)}个“{res.county}”，请补充所属地级市")
        return res
    if len(past) == 1:
        today, events = trace_forward(past[0], year)
        if events or today[0] not in set(pool.adcode):
            return _finish_historical(res, past[0], today, events, level="county")
    if len(pool) == 1:
        res.status, res.level, res.adcodes = RESOLVED, "county", (pool.adcode.iloc[0],)
        res.method = EXACT if res.prefecture or pool.prefecture.iloc[0] == res.province else UNIQUE_IN_PROVINCE
        row = pool.iloc[0]
        if not res.prefecture and row.prefecture and row.prefecture != res.province:
            res.notes.append(f"文件未写地级市；{res.county}在{res.province}唯一，属{row.prefecture}")
        res.prefecture = res.prefecture or row.prefecture
        if not past:
            res.notes.append(f"{year}年区划代码表中没有此名称，按今日名称匹配")
        return res
    res.candidates = _suggestions(res.county, res.province)
    where = res.province + (res.prefecture or "")
    res.notes.append(f"在{where}找不到县级单位“{res.county}”" + ("；最接近的名称见候选" if res.candidates else ""))
    return res


def _finish_historical(res: Resolution, code: str, today: tuple[str, ...], events, level: str) -> Resolution:
    units = current_units()
    known = set(units[units.level == level].adcode) | set(units[units.level == "county"].adcode)
    missing = [c for c in today if c not in known]
    for ev in events:
        verb = {"code_change": "代码变更", "merge": "撤销并入", "split": "拆分为"}[ev.kind]
        targets = "、".join(f"{_full_name(c) if c in known else ''}（{c}）" for c in ev.new_codes)
        res.notes.append(f"{ev.year}年 {ev.old_code} {verb} {targets}")
    if code in _division_notes():
        res.notes.append(_division_notes()[code])
    if missing:
        res.notes.append(f"后继代码 {'、'.join(missing)} 不在边界数据中")
        res.method = UNKNOWN
        return res
    res.status, res.method, res.level, res.adcodes = RESOLVED, HISTORICAL, level, today
    row = units[units.adcode == today[0]].iloc[0]
    res.prefecture = res.prefecture or (row.prefecture if level == "county" else None)
    return res


def _resolve_without_province(res: Resolution, year: int) -> Resolution:
    """No province recognised: accept only a name that is unique in the whole country."""
    units = current_units()
    name = res.county or res.input
    pool = units[(units.level == "county") & (units["name"] == name)]
    if len(pool) > 1:
        res.status, res.method = AMBIGUOUS, AMBIGUOUS
        res.candidates = [_candidate(c, "county") for c in pool.adcode]
        res.notes.append(f"全国有{len(pool)}个“{name}”，请补充省份和地级市")
        return res
    if len(pool) == 1:
        row = pool.iloc[0]
        res.status, res.method, res.level, res.adcodes = RESOLVED, "unique_in_country", "county", (row.adcode,)
        res.province, res.prefecture, res.county = row.province, row.prefecture, name
        res.notes.append(f"未写省份；“{name}”在全国唯一，属{row.province}{row.prefecture or ''}")
        return res
    res.candidates = _suggestions(name, None)
    res.notes.append(f"找不到“{name}”：未识别省份，且全国没有此县级名称")
    return res


def resolve_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Resolve every row of a roster frame (columns province/prefecture/county/unit_name/approved_on optional).

    Returns one row per input row, in order, with the resolution fields added; nothing is dropped.
    """
    out = []
    for rec in df.to_dict("records"):
        year = _year_of(rec.get("approved_on"))
        if rec.get("county") or rec.get("prefecture"):
            r = resolve_unit(rec.get("province"), rec.get("prefecture"), rec.get("county"), year=year)
        else:
            r = resolve_unit(unit_name=rec.get("unit_name") or rec.get("province") or "", year=year)
        out.append(r)
    res = pd.DataFrame(
        {
            "resolution": [r.status for r in out],
            "method": [r.method for r in out],
            "level": [r.level for r in out],
            "adcodes": [r.adcodes for r in out],
            "adcode": [r.adcodes[0] if r.adcodes else None for r in out],
            "designated_codes": [tuple(r.designated_codes) for r in out],
            "province_resolved": [r.province for r in out],
            "prefecture_resolved": [r.prefecture for r in out],
            "county_resolved": [r.county for r in out],
            "resolution_notes": [list(r.notes) for r in out],
            "candidates": [[asdict(c) for c in r.candidates] for r in out],
        },
        index=df.index,
    )
    return pd.concat([df, res], axis=1)


def _year_of(value) -> int:
    try:
        return int(str(value)[:4])
    except (TypeError, ValueError):
        return 2022
