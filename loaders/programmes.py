"""Programmes as data (data/programmes.yaml): each programme's name, level, authority and colour, how a zone of it is
drawn (national filled, provincial outlined), and which programme an imported 级别/项目 cell names."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from loaders.text import normalise_text, to_simplified

PROGRAMMES_PATH = Path(__file__).resolve().parent.parent / "data" / "programmes.yaml"
LEVELS = ("national", "provincial")


class ProgrammeError(ValueError):
    """data/programmes.yaml is malformed; the message names the entry."""


@dataclass(frozen=True)
class Programme:
    key: str
    name: str  # the programme's full name, as the documents write it
    short: str  # legend/filter label
    level: str  # national | provincial
    authority: str
    color: str  # #RRGGBB
    names: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class ProgrammeStyle:
    """How a zone of a programme is drawn. National: filled; provincial: a dashed outline and no fill, so the two
    differ in shape as well as colour (grayscale print, colour-vision deficiencies)."""

    color: str
    fill: bool
    fill_opacity: float
    dash: str  # SVG dash array ("" = solid), also used by the print map as a matplotlib linestyle
    weight: float
    legend: str


def _key(text: str) -> str:
    s = to_simplified(normalise_text(text or "")).lower()
    return re.sub(r"[\s()（）]", "", s)


@lru_cache(maxsize=4)
def load_programmes(path: Path | str = PROGRAMMES_PATH) -> tuple[Programme, ...]:
    """Every programme in file order. Raises ProgrammeError for a malformed file (bad key, level or colour)."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ProgrammeError(f"{path}: 无法读取项目文件（{exc}）") from exc
    out, seen = [], set()
    for i, entry in enumerate(data.get("programmes") or [], start=1):
        key = str(entry.get("key") or "")
        where = f"{path.name} 第{i}项（{key}）"
        if not re.fullmatch(r"[a-z][a-z0-9_]*", key) or key in seen:
            raise ProgrammeError(f"{where}：key 应为唯一的小写英文标识")
        if entry.get("level") not in LEVELS:
            raise ProgrammeError(f"{where}：level 应为 {'/'.join(LEVELS)}")
        if not re.fullmatch(r"#[0-9A-Fa-f]{6}", str(entry.get("color") or "")):
            raise ProgrammeError(f"{where}：color 应为 #RRGGBB")
        if not entry.get("name") or not entry.get("authority"):
            raise ProgrammeError(f"{where}：name 和 authority 不能为空")
        seen.add(key)
        out.append(Programme(key, str(entry["name"]), str(entry.get("short") or entry["name"]), entry["level"],
                             str(entry["authority"]), str(entry["color"]),
                             tuple(str(n) for n in entry.get("names") or ()), str(entry.get("note") or "")))
    return tuple(out)


def programme_keys() -> tuple[str, ...]:
    return tuple(p.key for p in load_programmes())


def programme(key: str) -> Programme | None:
    return next((p for p in load_programmes() if p.key == key), None)


def programme_label(key: str) -> str:
    """The short label of a programme (全国（城市社区）, 省级（甘肃）); the key itself when unknown."""
    p = programme(key)
    return p.short if p else key


def level_of(key: str) -> str | None:
    """national / provincial for a programme key (None when unknown)."""
    p = programme(key)
    return p.level if p else None


def programme_style(key: str) -> ProgrammeStyle:
    """The drawing style of a programme's zones (unknown keys are drawn like the generic provincial programme)."""
    p = programme(key) or programme("provincial")
    if p.level == "national":
        return ProgrammeStyle(p.color, True, 0.55, "", 1.0, p.short)
    return ProgrammeStyle(p.color, False, 0.12, "6 4", 2.5, p.short)


def batch_name(batch: str) -> str:
    """A batch as shown: 2019 → 2019年批次; a named batch (第一批, 甘肃首批, 批次不详) as it is."""
    s = str(batch)
    return f"{s}年批次" if re.fullmatch(r"\d{4}", s) else s


def programme_of(cell: str, authority: str = "") -> str | None:
    """The programme an imported cell names: a key, a name or alias from programmes.yaml (全国社区治理和服务创新
    实验区, 省级 …). A generic provincial word with an authority that has its own programme (甘肃省民政厅) gives
    that programme. None when the cell names no known programme."""
    k = _key(cell)
    if not k:
        return None
    found = None
    for p in load_programmes():
        if k == p.key or k in {_key(n) for n in (p.name, *p.names)}:
            found = p.key
            break
    if found == "provincial" and authority:
        own = [p.key for p in load_programmes() if p.level == "provincial" and _key(p.authority) == _key(authority)]
        found = own[0] if own else found
    return found


def programme_table(zones):
    """Every programme with its authority, level and the number of designations on the roster (0 for a programme
    whose list is not entered yet). Columns: key, name, authority, level, designations, note."""
    import pandas as pd

    counts = zones["programme"].value_counts() if len(zones) else pd.Series(dtype=int)
    return pd.DataFrame([{"key": p.key, "name": p.name, "authority": p.authority, "level": p.level,
                          "designations": int(counts.get(p.key, 0)), "note": p.note} for p in load_programmes()])
