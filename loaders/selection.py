"""Which zones a view shows: the filter values (from widgets or a URL) and applying them to the roster."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pandas as pd

from loaders.text import normalise_text, to_simplified

# today_names: today's names of a unit designated under an older one (geo.zones.today_names: 上城区 finds 江干区)
SEARCH_FIELDS = ("unit_name", "province", "prefecture", "county", "theme", "content", "doc_number", "zone_id",
                 "today_names")
MAX_QUERY = 60  # characters; longer search text is cut (and the caller tells the user)


@dataclass(frozen=True)
class ZoneFilter:
    """Filter values; empty tuples mean "no restriction". Hashable, so it can key caches."""

    query: str = ""
    themes: tuple[str, ...] = ()
    theme_mode: str = "any"  # any | all
    batches: tuple[str, ...] = ()
    programmes: tuple[str, ...] = ()
    provinces: tuple[str, ...] = ()  # province adcodes
    statuses: tuple[str, ...] = ()
    year: int | None = None  # the network as of the end of this year (loaders.history.zones_active_in)

    def is_empty(self) -> bool:
        return self == ZoneFilter(theme_mode=self.theme_mode)


@dataclass
class FilterOptions:
    """The allowed values for each filter, taken from the data (used to validate URLs and build widgets)."""

    themes: tuple[str, ...] = ()
    batches: tuple[str, ...] = ()
    programmes: tuple[str, ...] = ()
    provinces: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    notices: list[str] = field(default_factory=list)


def clean_query(query: str) -> str:
    return to_simplified(normalise_text(query or ""))[:MAX_QUERY].strip()


def sanitise(f: ZoneFilter, options: FilterOptions) -> tuple[ZoneFilter, list[str]]:
    """Drop values that are not options (from a stale or hand-edited link); say which ones were dropped."""
    dropped: list[str] = []

    def keep(values: tuple[str, ...], allowed: tuple[str, ...]) -> tuple[str, ...]:
        good = tuple(dict.fromkeys(v for v in values if v in allowed))
        dropped.extend(v for v in values if v not in allowed)
        return good

    mode = f.theme_mode if f.theme_mode in ("any", "all") else "any"
    if mode != f.theme_mode:
        dropped.append(f.theme_mode)
    year = f.year if f.year in options.years else None
    if f.year is not None and year is None:
        dropped.append(str(f.year))
    query = clean_query(f.query)
    if len(f.query or "") > MAX_QUERY:
        dropped.append(f.query[:20] + "…")
    return (
        replace(
            f,
            query=query,
            themes=keep(f.themes, options.themes),
            theme_mode=mode,
            batches=keep(f.batches, options.batches),
            programmes=keep(f.programmes, options.programmes),
            provinces=keep(f.provinces, options.provinces),
            statuses=keep(f.statuses, options.statuses),
            year=year,
        ),
        dropped,
    )


def search_mask(zones: pd.DataFrame, query: str, theme_names: dict[str, str] | None = None) -> pd.Series:
    """Rows where any text field (or a tagged theme's name) contains the query, after normalisation."""
    q = clean_query(query)
    if not q:
        return pd.Series(True, index=zones.index)
    hay = zones[[c for c in SEARCH_FIELDS if c in zones.columns]].astype(str).agg(" ".join, axis=1)
    if theme_names:
        hay = hay + " " + zones["zone_id"].map(theme_names).fillna("")
    return hay.str.contains(q, regex=False)


def only_match(zones: pd.DataFrame, query: str, theme_names: dict[str, str] | None = None) -> str | None:
    """The zone_id of the one zone `query` finds (as the search box finds: Traditional or Simplified, today's
    names of changed units), or None when it finds none or several."""
    found = zones[search_mask(zones, query, theme_names)] if clean_query(query) else zones.iloc[0:0]
    return str(found.zone_id.iloc[0]) if len(found) == 1 else None


def apply_filter(
    zones: pd.DataFrame,
    f: ZoneFilter,
    theme_members: set[str] | None = None,
    theme_names: dict[str, str] | None = None,
) -> pd.DataFrame:
    """The zones passing every filter. `theme_members` are the zone ids matching f.themes (computed by themes)."""
    mask = search_mask(zones, f.query, theme_names)
    if f.themes and theme_members is not None:
        mask &= zones["zone_id"].isin(theme_members)
    if f.batches:
        mask &= zones["batch"].isin(f.batches)
    if f.programmes:
        mask &= zones["programme"].isin(f.programmes)
    if f.provinces:
        prov = zones["province_adcode"] if "province_adcode" in zones.columns else zones["province"]
        mask &= prov.isin(f.provinces)
    if f.statuses:
        from loaders.roster import statuses_today

        mask &= statuses_today(zones).isin(f.statuses)
    if f.year is not None:
        from loaders.history import zones_active_in

        mask &= zones["zone_id"].isin(set(zones_active_in(zones, f.year).zone_id))
    return zones[mask]


def filter_options(zones: pd.DataFrame, theme_keys: tuple[str, ...], province_codes: tuple[str, ...]) -> FilterOptions:
    """Allowed filter values: themes from the catalogue, provinces from the boundary data, the rest from zones."""
    from loaders.history import network_years
    from loaders.partial_dates import sort_key
    from loaders.programmes import programme_keys
    from loaders.roster import status_choices

    first = {b: min(zones.approved_on[zones.batch == b], key=sort_key) for b in set(zones["batch"])}
    return FilterOptions(
        themes=theme_keys,
        batches=tuple(sorted(first, key=lambda b: (sort_key(first[b]), b))),  # oldest batch first
        programmes=tuple(p for p in programme_keys() if p in set(zones["programme"])),
        provinces=province_codes,
        statuses=status_choices(zones),
        years=network_years(zones),
    )


def zone_table(zones: pd.DataFrame, tag_names: dict[str, str]) -> pd.DataFrame:
    """The zone list as shown and exported: one row per zone, plain text columns, tags joined with 、; the status
    as of today (loaders.roster.status_today) and the programme in words, never a code."""
    from loaders.i18n import text
    from loaders.partial_dates import format_partial_date
    from loaders.programmes import batch_name, programme_label
    from loaders.roster import statuses_today

    out = zones[["zone_id", "unit_name", "province", "theme", "batch", "status", "programme", "doc_number",
                 "approved_on", "content", "adcode"]].copy()
    out["status"] = statuses_today(zones).to_numpy() if len(zones) else out["status"]
    out.insert(4, "tags", [tag_names.get(z, "") for z in out["zone_id"]])
    out["programme"] = out["programme"].map(programme_label)
    out["batch"] = out["batch"].map(batch_name)
    out["approved_on"] = out["approved_on"].map(format_partial_date)
    confidence = zones["confidence"] if "confidence" in zones else pd.Series("", index=zones.index)
    out["confidence"] = confidence.map(lambda c: text(f"common.confidence_short.{c}") if c else "")
    return out.reset_index(drop=True)
