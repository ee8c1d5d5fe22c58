"""Zone colours and legends shared by the interactive map and the PNG snapshots (colour by theme or by batch)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from geo.folium_map import DEFAULT_ZONE_COLOR, ZoneStyle
from loaders.i18n import text

# Okabe–Ito: distinguishable with the common colour-vision deficiencies; order kept stable across batches.
BATCH_PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
OTHER_COLOR = "#9e9e9e"


@dataclass(frozen=True)
class LegendEntry:
    label: str
    color: str
    hatch: str = ""
    count: int = 0
    mark: str = ""  # the number on the interactive map's zone badges, so a group reads without colour


def styles_by_theme(zones: pd.DataFrame, tags: pd.DataFrame, catalogue) -> tuple[dict[str, ZoneStyle], list[LegendEntry]]:
    """Each zone coloured by its first headline theme (catalogue order); zones with none share one grey."""
    from loaders.themes import primary_theme  # local: keeps geo importable where themes are not needed

    by_key = {th.key: th for th in catalogue.themes}
    # Headline themes are numbered in catalogue order: the same number whatever the filter, in every view.
    marks = {th.key: str(i) for i, th in enumerate((t for t in catalogue.themes if t.headline), start=1)}
    styles: dict[str, ZoneStyle] = {}
    counts: dict[str, int] = {}
    for zone_id in zones["zone_id"]:
        key = primary_theme(zone_id, tags, catalogue)
        if key is None:
            styles[zone_id] = ZoneStyle(OTHER_COLOR, text("common.legend_other"))
            counts["__other__"] = counts.get("__other__", 0) + 1
            continue
        th = by_key[key]
        styles[zone_id] = ZoneStyle(th.color, th.name, marks.get(key, ""))
        counts[key] = counts.get(key, 0) + 1
    legend = [LegendEntry(th.name, th.color, th.hatch, counts[th.key], marks.get(th.key, ""))
              for th in catalogue.themes if th.key in counts]
    if "__other__" in counts:
        legend.append(LegendEntry(text("common.legend_other"), OTHER_COLOR, "", counts["__other__"]))
    return styles, legend


def _batch_mark(batch, index: int) -> str:
    """A batch's badge mark: the year's last two digits (2019 → 19), else its position."""
    s = str(batch)
    return s[-2:] if len(s) == 4 and s.isdigit() else str(index + 1)


def styles_by_batch(zones: pd.DataFrame) -> tuple[dict[str, ZoneStyle], list[LegendEntry]]:
    batches = sorted(set(zones["batch"]))
    colors = {b: BATCH_PALETTE[i % len(BATCH_PALETTE)] for i, b in enumerate(batches)}
    marks = {b: _batch_mark(b, i) for i, b in enumerate(batches)}
    styles = {}
    for rec in zones[["zone_id", "batch", "programme"]].itertuples(index=False):
        styles[rec.zone_id] = ZoneStyle(colors[rec.batch], text("common.batch_label", batch=rec.batch), marks[rec.batch])
    counts = zones.groupby("batch").size().to_dict()
    legend = [LegendEntry(text("common.batch_label", batch=b), colors[b], "", int(counts[b]), marks[b])
              for b in batches]
    return styles, legend


def single_colour(zones: pd.DataFrame) -> dict[str, ZoneStyle]:
    return {z: ZoneStyle(DEFAULT_ZONE_COLOR, "") for z in zones["zone_id"]}
