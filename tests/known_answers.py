"""Answers read straight from the reviewed files, without the project's loaders, for tests that must not check a
function against itself: the roster (data/roster.csv, transcribed from 民函〔2019〕41号, data/sources/) and the
theme catalogue (data/themes.yaml: a zone carries a theme when a phrase occurs in its 实验主题 or 实验内容, less
the listed overrides)."""

from __future__ import annotations

import csv
from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parents[1] / "data"
with (DATA / "roster.csv").open(encoding="utf-8", newline="") as _f:
    ALL_ROWS = list(csv.DictReader(_f))
# The 31 rows transcribed from 民函〔2019〕41号 (the roster also holds the public lists of other batches since).
ROSTER = [r for r in ALL_ROWS if r["doc_number"] == "民函〔2019〕41号"]
assert len(ROSTER) == 31
with (DATA / "themes.yaml").open(encoding="utf-8") as _f:
    CATALOGUE = yaml.safe_load(_f)

PROVINCES = sorted({r["province"] for r in ROSTER})  # 18 provinces in the 2019 document
# 网格化服务管理, checked by hand in the document: 浙江省杭州市江干区, 湖北省宜都市, 陕西省榆林市榆阳区
GRID = frozenset({"CN-2019-11", "CN-2019-20", "CN-2019-30"})


def theme_members(key: str) -> set[str]:
    """zone_ids carrying theme `key`: its phrases in the theme or content text, minus the removals listed."""
    (theme,) = [th for th in CATALOGUE["themes"] if th["key"] == key]
    members = {r["zone_id"] for r in ROSTER if any(p in r["theme"] or p in r["content"] for p in theme["phrases"])}
    for o in CATALOGUE.get("overrides", []):
        if o["theme"] == key:
            (members.discard if o["action"] == "remove" else members.add)(o["zone_id"])
    return members


def headline_themes() -> list[tuple[str, str, set[str]]]:
    """(key, name, members) of the headline themes that have zones, in the catalogue's order."""
    return [(th["key"], th["name"], theme_members(th["key"])) for th in CATALOGUE["themes"]
            if th.get("headline") and theme_members(th["key"])]
