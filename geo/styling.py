"""Zone colours and legends shared by the interactive map and the PNG snapshots (colour by theme or by batch)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from loaders.i18n import text
from loaders.programmes import batch_name, level_of, programme_keys, programme_label, programme_style

# Okabe–Ito: distinguishable with the common colour-vision deficiencies; order kept stable across batches.
BATCH_PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
OTHER_COLOR = "#9e9e9e"
DEFAULT_ZONE_COLOR = "#b3261e"  # one zone colour when nothing is grouped (the print maps' ACCENT)


@dataclass(frozen=True)
class ZoneStyle:
    """Colour of one zone, the legend entry it belongs to, and the short mark (number) shown on its badge."""

    color: str
    group: str
    mark: str = ""


@dataclass(frozen=True)
class LegendEntry:
    label: str
    color: str
    hatch: str = ""  # a theme's hatch; "outline" / "fill" for the programme-level shape entries
    count: int = 0
    mark: str = ""  # the number on the interactive map's zone badges, so a group reads without colour
    key: str = ""  # the theme key of a theme entry (its count is geo.stats.counts.theme_counts), else empty


def styles_by_theme(zones: pd.DataFrame, tags: pd.DataFrame, catalogue,
                    focus: tuple[str, ...] = ()) -> tuple[dict[str, ZoneStyle], list[LegendEntry]]:
    """Each zone coloured by its first headline theme (catalogue order); zones with none share one grey.

    With `focus` (the theme keys of a theme filter) a zone takes the colour of the first focus theme it carries
    and the legend lists exactly those themes: a filtered view's legend is the filter. Legend counts are
    geo.stats.counts.theme_counts — zones *carrying* the theme, the figure every page shows — so they can add up to
    more than the zones in view; the colour shows one theme per zone.
    """
    from geo.stats.counts import theme_counts
    from loaders.themes import primary_theme  # local: keeps geo importable where themes are not needed

    by_key = {th.key: th for th in catalogue.themes}
    wanted = [th.key for th in catalogue.themes if th.key in set(focus)]
    # Headline themes are numbered in catalogue order: the same number whatever the filter, in every view.
    marks = {th.key: str(i) for i, th in enumerate((t for t in catalogue.themes if t.headline), start=1)}
    carried = tags[tags.zone_id.isin(set(zones["zone_id"]))]
    zone_keys = carried.groupby("zone_id").theme_key.agg(set).to_dict() if len(carried) else {}
    styles: dict[str, ZoneStyle] = {}
    drawn: set[str] = set()
    other = 0
    for zone_id in zones["zone_id"]:
        if wanted:
            key = next((k for k in wanted if k in zone_keys.get(zone_id, ())), None)
        else:
            key = primary_theme(zone_id, carried, catalogue)
        if key is None:
            styles[zone_id] = ZoneStyle(OTHER_COLOR, text("common.no_headline_theme"))
            other += 1
            continue
        th = by_key[key]
        styles[zone_id] = ZoneStyle(th.color, th.name, marks.get(key, ""))
        drawn.add(key)
    counts = theme_counts(carried, zones["zone_id"])
    listed = wanted or [th.key for th in catalogue.themes if th.key in drawn]
    legend = [LegendEntry(by_key[k].name, by_key[k].color, by_key[k].hatch, counts.get(k, 0), marks.get(k, ""), k)
              for k in listed]
    if other:
        legend.append(LegendEntry(text("common.no_headline_theme"), OTHER_COLOR, "", other))
    return styles, legend


def _batch_mark(batch, index: int) -> str:
    """A batch's badge mark: the year's last two digits (2019 → 19), else its position."""
    s = str(batch)
    return s[-2:] if len(s) == 4 and s.isdigit() else str(index + 1)


def styles_by_programme(zones: pd.DataFrame) -> tuple[dict[str, ZoneStyle], list[LegendEntry]]:
    """Each zone in its programme's colour (data/programmes.yaml), programmes in file order, numbered 1…"""
    keys = [k for k in programme_keys() if k in set(zones["programme"])]
    marks = {k: str(i) for i, k in enumerate(keys, start=1)}
    styles = {rec.zone_id: ZoneStyle(programme_style(rec.programme).color, programme_label(rec.programme),
                                     marks.get(rec.programme, ""))
              for rec in zones[["zone_id", "programme"]].itertuples(index=False)}
    counts = zones.groupby("programme").size().to_dict()
    legend = [LegendEntry(programme_label(k), programme_style(k).color, "" if programme_style(k).fill else "outline",
                          int(counts[k]), marks[k]) for k in keys]
    return styles, legend


def shape_legend(zones: pd.DataFrame) -> list[LegendEntry]:
    """The legend entries that say what filled and outlined zones are (national / provincial), with counts of
    designations; empty when only one level is in view and it is national (nothing to tell apart)."""
    levels = zones["programme"].map(level_of) if len(zones) else pd.Series(dtype=str)
    n_nat, n_prov = int((levels == "national").sum()), int((levels == "provincial").sum())
    if not n_prov:
        return []
    return [LegendEntry(text("common.legend_national"), "#666666", "fill", n_nat),
            LegendEntry(text("common.legend_provincial"), "#666666", "outline", n_prov)]


def zone_styles(zones: pd.DataFrame, tags: pd.DataFrame, catalogue, color_mode: str,
                focus: tuple[str, ...] = ()) -> tuple[dict[str, ZoneStyle], list[LegendEntry]]:
    """Styles and legend for a colour mode (theme / batch / programme), with the national/provincial shape entries
    appended — what every map of zones shows. `focus`: a theme filter's keys (its legend is that filter)."""
    if color_mode == "batch":
        styles, legend = styles_by_batch(zones)
    elif color_mode == "programme":
        styles, legend = styles_by_programme(zones)
    else:
        styles, legend = styles_by_theme(zones, tags, catalogue, focus)
    return styles, legend + shape_legend(zones)


def styles_by_batch(zones: pd.DataFrame) -> tuple[dict[str, ZoneStyle], list[LegendEntry]]:
    batches = sorted(set(zones["batch"]))
    colors = {b: BATCH_PALETTE[i % len(BATCH_PALETTE)] for i, b in enumerate(batches)}
    marks = {b: _batch_mark(b, i) for i, b in enumerate(batches)}
    styles = {}
    for rec in zones[["zone_id", "batch", "programme"]].itertuples(index=False):
        styles[rec.zone_id] = ZoneStyle(colors[rec.batch], batch_name(rec.batch), marks[rec.batch])
    counts = zones.groupby("batch").size().to_dict()
    legend = [LegendEntry(batch_name(b), colors[b], "", int(counts[b]), marks[b])
              for b in batches]
    return styles, legend
