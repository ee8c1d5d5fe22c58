"""Experiment themes as data (data/themes.yaml): which zones carry which theme, and the phrase that shows why."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from loaders.text import normalise_text, to_simplified

THEMES_PATH = Path(__file__).resolve().parent.parent / "data" / "themes.yaml"
TAG_COLUMNS = ["zone_id", "theme_key", "theme_name", "field", "phrase", "excerpt", "reason"]
CONTEXT = 12  # characters of context either side of a matched phrase


class ThemeError(ValueError):
    """The themes file is malformed; the message names the file and the entry."""


@dataclass(frozen=True)
class Theme:
    key: str
    name: str
    description: str
    phrases: tuple[str, ...]
    color: str
    hatch: str = ""
    headline: bool = False
    exclude: tuple[str, ...] = ()


@dataclass(frozen=True)
class Override:
    zone_id: str
    theme: str
    action: str  # add | remove
    reason: str


@dataclass(frozen=True)
class ThemeCatalogue:
    themes: tuple[Theme, ...]
    overrides: tuple[Override, ...] = field(default_factory=tuple)

    def by_key(self) -> dict[str, Theme]:
        return {t.key: t for t in self.themes}


def _clean(s: str) -> str:
    return to_simplified(normalise_text(s or ""))


def load_themes(path: Path | str = THEMES_PATH) -> ThemeCatalogue:
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ThemeError(f"{path}: 无法读取主题文件（{exc}）") from exc
    themes, seen = [], set()
    for i, entry in enumerate(data.get("themes") or [], start=1):
        where = f"{path.name} 第{i}个主题"
        if not isinstance(entry, dict):
            raise ThemeError(f"{where}：应为键值对")
        key, name = str(entry.get("key") or ""), str(entry.get("name") or "")
        if not re.fullmatch(r"[a-z][a-z0-9_]*", key):
            raise ThemeError(f"{where}（{name}）：key “{key}” 应为小写英文字母、数字和下划线")
        if key in seen:
            raise ThemeError(f"{where}：key “{key}” 重复")
        seen.add(key)
        phrases = tuple(_clean(str(p)) for p in entry.get("phrases") or [] if str(p).strip())
        if not name or not phrases:
            raise ThemeError(f"{where}（{key}）：name 和 phrases 不能为空")
        color = str(entry.get("color") or "")
        if not re.fullmatch(r"#[0-9A-Fa-f]{6}", color):
            raise ThemeError(f"{where}（{key}）：color “{color}” 应为 #RRGGBB")
        themes.append(Theme(key, name, str(entry.get("description") or ""), phrases, color,
                            str(entry.get("hatch") or ""), bool(entry.get("headline")),
                            tuple(_clean(str(p)) for p in entry.get("exclude") or [])))
    if not themes:
        raise ThemeError(f"{path}: 没有定义任何主题")
    overrides = []
    for i, entry in enumerate(data.get("overrides") or [], start=1):
        where = f"{path.name} overrides 第{i}条"
        if not isinstance(entry, dict):
            raise ThemeError(f"{where}：应为键值对")
        o = Override(str(entry.get("zone_id") or ""), str(entry.get("theme") or ""),
                     str(entry.get("action") or ""), str(entry.get("reason") or ""))
        if o.theme not in seen:
            raise ThemeError(f"{where}：未知主题 “{o.theme}”")
        if o.action not in ("add", "remove") or not o.zone_id or not o.reason:
            raise ThemeError(f"{where}：需要 zone_id、action（add/remove）和 reason")
        overrides.append(o)
    return ThemeCatalogue(tuple(themes), tuple(overrides))


def _excerpt(text: str, start: int, end: int) -> str:
    left = ("…" if start > CONTEXT else "") + text[max(0, start - CONTEXT):start]
    right = text[end:end + CONTEXT] + ("…" if end + CONTEXT < len(text) else "")
    return f"{left}【{text[start:end]}】{right}"


def theme_tags(zones: pd.DataFrame, catalogue: ThemeCatalogue) -> pd.DataFrame:
    """One row per (zone, theme) with the first phrase that matched, where (theme, content, or `results` — the
    published results' words, loaders.history.with_results — when zones carry that column) and an excerpt."""
    rows = []
    zones = zones if "results" in zones else zones.assign(results="")
    for rec in zones[["zone_id", "theme", "content", "results"]].itertuples(index=False):
        texts = {"theme": _clean(rec.theme), "content": _clean(rec.content), "results": _clean(rec.results)}
        removed = {o.theme: o for o in catalogue.overrides if o.zone_id == rec.zone_id and o.action == "remove"}
        added = {o.theme: o for o in catalogue.overrides if o.zone_id == rec.zone_id and o.action == "add"}
        for th in catalogue.themes:
            if th.key in removed:
                continue
            hit = None
            for fld in ("theme", "content", "results"):
                s = texts[fld]
                if any(x in s for x in th.exclude):
                    continue
                found = [(s.find(p), p) for p in th.phrases if p in s]
                if found:
                    pos, phrase = min(found)
                    hit = (fld, phrase, _excerpt(s, pos, pos + len(phrase)), "")
                    break
            if hit is None and th.key in added:
                hit = ("override", "", "", added[th.key].reason)
            if hit:
                rows.append((rec.zone_id, th.key, th.name, *hit))
    return pd.DataFrame(rows, columns=TAG_COLUMNS).astype(str)


def tags_by_zone(tags: pd.DataFrame) -> dict[str, tuple[str, ...]]:
    """zone_id → theme keys in catalogue order (tags are produced in that order)."""
    out: dict[str, list[str]] = {}
    for z, k in zip(tags.zone_id, tags.theme_key, strict=True):
        out.setdefault(z, []).append(k)
    return {z: tuple(ks) for z, ks in out.items()}


def primary_theme(zone_id: str, tags: pd.DataFrame, catalogue: ThemeCatalogue) -> str | None:
    """The first headline theme the zone carries, in catalogue order (used to colour it)."""
    mine = set(tags.theme_key[tags.zone_id == zone_id])
    return next((t.key for t in catalogue.themes if t.headline and t.key in mine), None)


def filter_zone_ids(tags: pd.DataFrame, theme_keys: tuple[str, ...] | list[str], mode: str = "any") -> set[str]:
    """Zones carrying any (or all) of the given themes."""
    keys = set(theme_keys)
    if not keys:
        return set(tags.zone_id)
    per_zone = tags[tags.theme_key.isin(keys)].groupby("zone_id").theme_key.nunique()
    need = len(keys) if mode == "all" else 1
    return set(per_zone[per_zone >= need].index)
