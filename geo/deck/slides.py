"""The briefing deck, built from the data: which slides there are, their titles, zone lists, tallies and map specs.

Plain frozen dataclasses, no Streamlit: `pages/briefing.py` only renders them, and the map of each slide is drawn
from its `MapSpec` (hashable, so it keys the image cache) by `geo.deck.slide_map`. Order: an overview, one slide per
headline theme that has zones, then each province with zones followed by a spotlight on each of its zones.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from geo.printmap.captions import network_name
from geo.printmap.draw import ACCENT
from geo.stats.counts import theme_counts
from geo.styling import OTHER_COLOR, LegendEntry, styles_by_batch, styles_by_programme, styles_by_theme
from geo.zones import designated_name, successor_summary
from loaders.i18n import text
from loaders.names import short_forms
from loaders.partial_dates import format_partial_date
from loaders.programmes import batch_name, programme_keys, programme_label, programme_style
from loaders.roster import period_end_text, status_today
from loaders.selection import ZoneFilter
from loaders.themes import ThemeCatalogue, primary_theme

KINDS = ("overview", "batches", "theme", "province", "zone")
MAX_ROWS = 5  # zone rows (name + its 实验主题) that fit beside a map at 1280×720 with ≥ 20 px type
CONTEXT_COLOR = "#b8b8b8"  # zones shown for orientation only (not the subject of the slide)


@dataclass(frozen=True)
class MapSpec:
    """What a slide's map shows: a province view (adcode) or the nation, the zones drawn and their colours."""

    province: str | None
    zone_ids: tuple[str, ...]
    colours: tuple[str, ...]  # one per zone id
    hatches: tuple[tuple[str, str], ...] = ()  # (colour, hatch) pairs, as in the legend
    labels: tuple[str, ...] = ()  # one per zone id: the number of its row on the slide ("" = no badge)


@dataclass(frozen=True)
class LegendItem:
    label: str
    colour: str
    hatch: str = ""
    count: int | None = None


@dataclass(frozen=True)
class ZoneItem:
    zone_id: str
    name: str
    detail: str  # the zone's own 实验主题 (or its province on national lists)
    colour: str
    number: str = ""  # its badge on the slide's map


@dataclass(frozen=True)
class Tally:
    label: str
    count: int
    colour: str = ""


@dataclass(frozen=True)
class TallyGroup:
    heading: str
    items: tuple[Tally, ...]
    note: str = ""


@dataclass(frozen=True)
class Slide:
    kind: str  # one of KINDS
    key: str  # stable id: overview, theme:grid, province:330000, zone:CN-2019-11 (+ #2 for continuations)
    title: str
    subtitle: str
    map: MapSpec | None = None
    legend: tuple[LegendItem, ...] = ()
    zones: tuple[ZoneItem, ...] = ()
    more: int = 0  # zones of this slide's subject listed on the following continuation slide(s)
    figures: tuple[tuple[str, str], ...] = ()  # big numbers: (label, value)
    tallies: tuple[TallyGroup, ...] = ()
    quote: str = ""  # a zone's 实验主题
    body: str = ""  # a theme's description or a zone's 实验内容
    facts: tuple[tuple[str, str], ...] = ()  # (label, value)
    tags: tuple[LegendItem, ...] = ()  # a zone's theme tags
    note: str = ""
    subject: tuple[str, ...] = ()  # zone ids this slide is about (for checks and tests)


@dataclass(frozen=True)
class Deck:
    slides: tuple[Slide, ...]
    scope: str  # which zones the deck covers, in words
    source: str  # 资料来源 line for every slide

    def __len__(self) -> int:
        return len(self.slides)

    def index_of(self, key: str) -> int | None:
        return next((i for i, s in enumerate(self.slides) if s.key == key), None)


def scope_line(f: ZoneFilter, province: str | None, theme_names: Mapping[str, str],
               province_names: Mapping[str, str]) -> str:
    """The active filters in words ("全部实验区" when none), so the audience knows what the deck covers."""
    parts = []
    if f.query:
        parts.append(text("briefing.scope_query", query=f.query))
    if f.themes:
        names = "、".join(theme_names.get(k, k) for k in f.themes)
        key = "briefing.scope_themes_all" if f.theme_mode == "all" and len(f.themes) > 1 else "briefing.scope_themes"
        parts.append(text(key, themes=names))
    if f.batches:
        parts.append(text("briefing.scope_batches", batches="、".join(f.batches)))
    if f.programmes:
        parts.append(text("briefing.scope_programmes",
                          programmes="、".join(programme_label(p) for p in f.programmes)))
    if f.statuses:
        parts.append(text("briefing.scope_statuses", statuses="、".join(f.statuses)))
    if getattr(f, "year", None):
        parts.append(text("briefing.scope_year", year=f.year))
    if province:
        parts.append(text("briefing.scope_province", province=province_names.get(province, province)))
    return text("briefing.scope", parts="；".join(parts)) if parts else text("briefing.scope_all")


def build_deck(zones: pd.DataFrame, tags: pd.DataFrame, catalogue: ThemeCatalogue, *,
               province_names: Mapping[str, str], scope: str, source: str, province: str | None = None,
               color_mode: str = "theme", focus: tuple[str, ...] = (),
               batch_counts: Sequence[tuple[str, str, str]] = ()) -> Deck:
    """The slides for `zones` (already filtered the way the map page filters them).

    `province` (adcode) is the province the view is narrowed to: maps then show that province instead of the
    nation. `tags` may cover more zones than `zones`; only the zones given are counted. `focus` is the theme
    filter's keys: maps are then coloured by those themes and legends list only them (geo.styling).
    `batch_counts` — (programme key, batch name, "已录入 10/40 …" sentence) per batch in the deck
    (geo.stats.compare.completeness) — adds the 名单完整度 slide(s) after the overview, so the deck says how complete
    each list is.
    """
    zones = zones.sort_values("zone_id", kind="stable")
    if zones.empty:
        return Deck((), scope, source)
    tags = tags[tags.zone_id.isin(set(zones.zone_id))]
    theme_styles, theme_legend = styles_by_theme(zones, tags, catalogue, focus)
    if color_mode == "batch":
        styles, legend = styles_by_batch(zones)
    elif color_mode == "programme":
        styles, legend = styles_by_programme(zones)
    else:
        styles, legend = theme_styles, theme_legend
    colour = {z: s.color for z, s in styles.items()}
    hatch_of = {th.color: th.hatch for th in catalogue.themes if th.hatch}
    groups = _province_groups(zones, province_names)
    if color_mode == "batch":
        overview_colour, overview_legend = colour, legend
    else:  # one colour: the theme bars beside the map count zones *carrying* a theme, not their map colour
        overview_colour = dict.fromkeys(colour, ACCENT)
        overview_legend = [LegendEntry(text("snapshot.legend_zone"), ACCENT, "", len(zones))]
    slides = [_overview(zones, tags, catalogue, overview_colour, overview_legend, hatch_of, province,
                        province_names, groups, scope)]
    if batch_counts:
        slides += _batch_slides(zones, province, batch_counts)
    for theme in catalogue.themes:
        if theme.headline:
            slides += _theme_slides(zones, tags, theme, province, hatch_of)
    for code, name, members in groups:
        if len(members) > 1:  # a province with one zone: its spotlight is its slide
            slides += _province_slides(code, name, members, colour, legend, hatch_of,
                                       theme_counts(tags, members.zone_id) if color_mode != "batch" else None)
        for rec in members.itertuples(index=False):
            slides.append(_zone_slide(rec, code, name, members, tags, catalogue, hatch_of))
    return Deck(tuple(slides), scope, source)


def _province_groups(zones: pd.DataFrame, province_names: Mapping[str, str]) -> list[tuple[str | None, str, pd.DataFrame]]:
    """(adcode, name, zones) per province in code order; a zone without a resolved code goes by its roster name."""
    by_name = {name: code for code, name in province_names.items()}
    codes = [c if isinstance(c, str) and c else by_name.get(p) for c, p in zip(zones.province_adcode, zones.province,
                                                                               strict=True)]
    keyed = zones.assign(_code=[c or f"~{p}" for c, p in zip(codes, zones.province, strict=True)])
    out = []
    for key, members in sorted(keyed.groupby("_code", sort=False), key=lambda kv: kv[0]):
        code = None if key.startswith("~") else key
        name = province_names.get(code, members.province.iloc[0]) if code else members.province.iloc[0]
        out.append((code, name, members.drop(columns="_code")))
    return out


def _spec(province: str | None, ids: Sequence[str], colours: Sequence[str], hatch_of: Mapping[str, str],
          numbers: Mapping[str, str] | None = None) -> MapSpec:
    used = tuple(sorted({(c, hatch_of[c]) for c in colours if c in hatch_of}))
    labels = tuple((numbers or {}).get(z, "") for z in ids) if numbers else ()
    return MapSpec(province, tuple(ids), tuple(colours), used, labels)


def _legend(entries) -> tuple[LegendItem, ...]:
    return tuple(LegendItem(e.label, e.color, e.hatch, e.count) for e in entries)


def _overview(zones, tags, catalogue, colour, legend, hatch_of, province, province_names, groups, scope) -> Slide:
    ids = tuple(zones.zone_id)
    batches = zones.groupby("batch").size()
    batch_colour = {e.label: e.color for e in legend}
    by_batch = tuple(Tally(label, int(n), batch_colour.get(label, "")) for label, n in
                     ((batch_name(b), n) for b, n in batches.items()))
    per_theme = theme_counts(tags, ids)
    by_theme = [Tally(th.name, per_theme.get(th.key, 0), th.color) for th in catalogue.themes
                if th.headline and per_theme.get(th.key, 0)]
    headless = sum(primary_theme(z, tags, catalogue) is None for z in ids)
    if headless:
        by_theme.append(Tally(text("common.no_headline_theme"), headless, OTHER_COLOR))
    title = (text("briefing.overview.title_province", province=province_names.get(province, province)) if province
             else text("briefing.overview.title", network=network_name(zones.programme)))
    return Slide(
        kind="overview", key="overview", title=title, subtitle=scope,
        # no badges: 90 zones on one national map cannot carry ≥ 20 px labels without covering one another (the
        # Yangtze delta, Chengdu); the overview shows where zones cluster, and every zone is numbered on its
        # province slide and named on its spotlight, which follow.
        map=_spec(province, ids, [colour[z] for z in ids], hatch_of), legend=_legend(legend),
        figures=((text("briefing.overview.zones"), str(len(ids))),
                 (text("briefing.overview.provinces"), str(len(groups))),
                 (text("briefing.overview.batches"), str(len(batches)))),
        # many batches (the public lists: 8) do not fit beside the themes: the 名单完整度 slide lists them
        tallies=(
            *((TallyGroup(text("briefing.overview.by_batch"), by_batch),) if len(batches) <= MAX_ROWS // 2 else ()),
            TallyGroup(text("briefing.overview.by_theme"), tuple(by_theme), text("briefing.overview.theme_note")),
        ),
        subject=ids,
    )


ROW_DETAIL = 20  # characters of a 实验主题 on a list row (one line at 720p); batch 3's 实验任务 run to 80


def row_detail(theme: str) -> str:
    """A zone's 实验主题 as a list row shows it: whole up to ROW_DETAIL characters, else cut with "…" (five rows
    of ≥ 20 px type fit beside the map at 1280×720 only if each detail takes at most two lines)."""
    s = str(theme or "")
    return s if len(s) <= ROW_DETAIL else s[:ROW_DETAIL - 1] + "…"


def on_map(rec) -> bool:
    """Whether a zone has a place on the slide maps (a county-level boundary and its marker); 街道, 镇 and 园区
    have none (geo.zones.zone_layer: joined False, no marker)."""
    return bool(getattr(rec, "joined", True)) and bool(pd.notna(getattr(rec, "marker_lon", 0.0)))


def map_numbers(zones: pd.DataFrame) -> dict[str, str]:
    """zone_id → "1", "2", … in row order for the zones the map can show: a number on a list row always has its
    badge on the map beside it; a zone without a place on the map gets no number (its row says so)."""
    shown = [r.zone_id for r in zones.itertuples(index=False) if on_map(r)]
    return {z: str(i) for i, z in enumerate(shown, start=1)}


def _row_detail(rec, numbers: Mapping[str, str]) -> str:
    if rec.zone_id in numbers:
        return row_detail(rec.theme)
    theme = str(rec.theme or "")
    return row_detail(text("briefing.not_on_map_theme", theme=theme) if theme else text("briefing.not_on_map"))


def _batch_slides(zones, province, batch_counts) -> list[Slide]:
    """名单完整度: each batch in the deck with the zones known against the number its approval names, the map in
    programme colours (national filled, provincial outlined on the slide map's legend)."""
    ids = tuple(zones.zone_id)
    colours = [programme_style(p).color for p in zones.programme]
    items = [ZoneItem(f"batch:{programme}:{batch}", text("common.programme_batch", programme=programme_label(programme), batch=batch), sentence,
                      programme_style(programme).color) for programme, batch, sentence in batch_counts]
    per_programme = zones.groupby("programme").size()
    legend = tuple(LegendItem(programme_label(k), programme_style(k).color, "", int(per_programme[k]))
                   for k in programme_keys() if k in per_programme)
    return _paged(items, Slide(
        kind="batches", key="batches", title=text("briefing.batches.title"),
        subtitle=text("briefing.batches.subtitle", n=len(items)), map=_spec(province, ids, colours, {}),
        legend=legend, body=text("briefing.batches.body"), subject=ids,
    ))


def _theme_slides(zones, tags, theme, province, hatch_of) -> list[Slide]:
    members = set(tags.zone_id[tags.theme_key == theme.key])
    mine = zones[zones.zone_id.isin(members)]
    if mine.empty:
        return []
    ids = tuple(zones.zone_id)
    colours = [theme.color if z in members else CONTEXT_COLOR for z in ids]
    numbers = map_numbers(mine)
    spec = _spec(province, ids, colours, hatch_of, numbers)
    legend = (LegendItem(theme.name, theme.color, theme.hatch, theme_counts(tags, ids).get(theme.key, 0)),)
    if len(ids) > len(mine):
        legend += (LegendItem(text("briefing.theme.others"), CONTEXT_COLOR, "", len(ids) - len(mine)),)
    items = [ZoneItem(r.zone_id, r.unit_name, _row_detail(r, numbers), theme.color, numbers.get(r.zone_id, ""))
             for r in mine.itertuples(index=False)]
    return _paged(items, Slide(
        kind="theme", key=f"theme:{theme.key}", title=theme.name, subtitle=text("briefing.theme.subtitle", n=len(mine)),
        map=spec, legend=legend, body=theme.description,
        subject=tuple(mine.zone_id),
    ))


def _province_slides(code, name, members, colour, legend, hatch_of, counts) -> list[Slide]:
    """`counts` (geo.stats.counts.theme_counts of the province's zones) give theme legend entries the zones carrying the
    theme, as everywhere; batch legends (counts None) count zones by colour, one batch per zone."""
    ids = tuple(members.zone_id)
    shown = {e.color for e in legend}
    present = {colour[z] for z in ids}
    local_legend = tuple(
        LegendItem(e.label, e.color, e.hatch,
                   counts.get(e.key, 0) if counts is not None and e.key else sum(colour[z] == e.color for z in ids))
        for e in legend if e.color in present and e.color in shown)
    numbers = map_numbers(members)
    items = [ZoneItem(r.zone_id, _local_name(r, name), _row_detail(r, numbers), colour[r.zone_id],
                      numbers.get(r.zone_id, "")) for r in members.itertuples(index=False)]
    return _paged(items, Slide(
        kind="province", key=f"province:{code or name}", title=name,
        subtitle=text("briefing.province.subtitle", n=len(ids)),
        map=_spec(code, ids, [colour[z] for z in ids], hatch_of, numbers) if code else None, legend=local_legend,
        subject=ids,
    ))


def _zone_slide(rec, code, province_name, members, tags, catalogue, hatch_of) -> Slide:
    mine = ACCENT  # the strongest colour on a projector; its themes are listed as tags beside the map
    others = [z for z in members.zone_id if z != rec.zone_id]
    ids = (*others, rec.zone_id)  # drawn last: on top of its neighbours
    colours = [CONTEXT_COLOR] * len(others) + [mine]
    legend = (LegendItem(map_name(rec), mine, hatch_of.get(mine, "")),)  # as its badge on the map says
    if others:
        legend += (LegendItem(text("briefing.zone.others"), CONTEXT_COLOR, "", len(others)),)
    by_key = catalogue.by_key()
    zone_tags = tuple(LegendItem(by_key[k].name, by_key[k].color, by_key[k].hatch)
                      for k in tags.theme_key[tags.zone_id == rec.zone_id] if k in by_key)
    facts = (
        (text("briefing.zone.approved_on"), format_partial_date(str(rec.approved_on))),
        (text("briefing.zone.period"), _period(rec)),
        (text("briefing.zone.status"), _status(rec)),
    )
    joined = bool(getattr(rec, "joined", True))
    label = {rec.zone_id: map_name(rec)}  # named on its map: the dot the presenter points at
    return Slide(
        kind="zone", key=f"zone:{rec.zone_id}", title=str(rec.unit_name),
        subtitle=text("briefing.zone.subtitle", province=province_name,
                      batch=batch_name(rec.batch), doc=rec.doc_number),
        map=_spec(code, ids, colours, hatch_of, label) if code else None, legend=legend,
        quote=str(rec.theme), body=str(rec.content), facts=facts, tags=zone_tags,
        note=_zone_note(rec, joined), subject=(rec.zone_id,),
    )


MAP_NAME_CHARS = 6  # a spotlight's map label at ≥ 20 px stays within ≈ a third of a 4:3 map's width


def map_name(rec) -> str:
    """A zone's name on its spotlight map: the designated unit (禅城区), an autonomous county by its short form
    when the full name is long (积石山保安族东乡族撒拉族自治县 → 积石山县, loaders.names.short_forms)."""
    name = designated_name(rec)
    if len(name) <= MAP_NAME_CHARS:
        return name
    kind = next((f for f in short_forms(name, "county") if f[-1] in "县州旗"), None)
    return kind or name


def _period(rec) -> str:
    if pd.isna(rec.period_years):
        return text("map.card.period_unknown")
    end = period_end_text(str(rec.approved_on), rec.period_years)  # partial dates: a range of years
    return text("briefing.zone.period_until", n=rec.period_years, end=end) if end \
        else text("briefing.zone.period_years", n=rec.period_years)


def _status(rec) -> str:
    return status_today(rec.status, rec.status_as_of, rec.approved_on, rec.period_years)


def _zone_note(rec, joined: bool) -> str:
    if not joined:
        return text("briefing.zone.unjoined")
    changed = successor_summary(rec)
    return text("briefing.zone.changed", summary=changed) if changed else ""


def _local_name(rec, province_name: str) -> str:
    """The unit's name without its province (浙江省杭州市江干区 → 杭州市江干区) where the slide names the province."""
    name = str(rec.unit_name)
    return name[len(province_name):] if name.startswith(province_name) and len(name) > len(province_name) else name


def _paged(items: list[ZoneItem], first: Slide) -> list[Slide]:
    """One slide when the zone list fits; otherwise continuation slides with the same map, MAX_ROWS rows each."""
    from dataclasses import replace

    chunks = [items[i:i + MAX_ROWS] for i in range(0, len(items), MAX_ROWS)] or [[]]
    if len(chunks) == 1:
        return [replace(first, zones=tuple(items))]
    out = []
    for i, chunk in enumerate(chunks):
        out.append(replace(
            first, key=first.key if i == 0 else f"{first.key}#{i + 1}",
            title=text("briefing.continued", title=first.title, page=i + 1, pages=len(chunks)),
            zones=tuple(chunk), more=sum(len(c) for c in chunks[i + 1:]),
        ))
    return out


def select_zones(zones: pd.DataFrame, tags: pd.DataFrame, f: ZoneFilter, province: str | None,
                 theme_names: Mapping[str, str]) -> pd.DataFrame:
    """The zones the map page shows for the same filter and province (same loaders functions, same order)."""
    from loaders.selection import apply_filter
    from loaders.themes import filter_zone_ids, tags_by_zone

    members = filter_zone_ids(tags, f.themes, f.theme_mode) if f.themes else None
    tag_names = {z: "、".join(theme_names.get(k, k) for k in keys) for z, keys in tags_by_zone(tags).items()}
    shown = apply_filter(zones, f, members, tag_names)
    return shown if province is None else shown[shown.province_adcode == province]


def slide_from_param(value: str | None, count: int) -> tuple[int, bool]:
    """0-based slide index from a 1-based `?slide=` value; (0, True) when it is malformed, (last, True) when it
    is past the end (a link made for a longer deck opens its last slide), (0, True) for 0."""
    if value is None or value == "":
        return 0, False
    raw = str(value).strip()
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 6 or int(raw) < 1:
        return 0, True
    if int(raw) > count:
        return max(count - 1, 0), True
    return int(raw) - 1, False
