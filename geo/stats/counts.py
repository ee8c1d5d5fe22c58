"""The one meaning of a theme count: how many zones *carry* the theme (a zone with three tags counts for three).

Map legend, zone list, compare page, briefing, print maps and exports all count through `theme_counts`, so a
figure an official quotes is the same on every page. A zone's map colour (its first headline theme) is a drawing
choice and is never what a count means.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd


def theme_counts(tags: pd.DataFrame, zone_ids: Iterable[str] | None = None) -> dict[str, int]:
    """theme_key → number of distinct zones in `zone_ids` (all tagged zones when None) carrying that theme.

    `tags` is loaders.themes.theme_tags output (one row per zone and theme; duplicates are counted once). Themes
    no zone carries are absent (read with `.get(key, 0)`). Source of the tags: data/themes.yaml phrases and
    overrides, matched against each zone's 实验主题 and 实验内容.
    """
    rows = tags if zone_ids is None else tags[tags.zone_id.isin(set(zone_ids))]
    per_theme = rows.drop_duplicates(["zone_id", "theme_key"]).groupby("theme_key", sort=False).size()
    return {str(k): int(n) for k, n in per_theme.items()}


def count_label(label: str, count: int | None) -> str:
    """A legend or tally label with its count, the same words in every view: 三社联动（5）."""
    return label if count is None else f"{label}（{count}）"
