"""Provincial figures for the comparison page: zones, batches, county coverage and themes for all 34 provinces.

Counting rules (what a reader of the table should know):
- A zone belongs to the province of its resolved unit (`province_adcode`); a zone the resolver could not place
  falls back to the province named in the document; zones with neither are returned by `unplaced_zones`.
- **County units** are the county-level units the boundary package lists for the province (level == 'county').
- **Covered county units**: a county-level zone covers its own unit(s); a whole-prefecture zone (浙江省衢州市)
  covers every county-level unit of that prefecture, because the whole city is the experimental area; a
  province-level zone covers the whole province. A unit covered twice (a district inside a prefecture zone) is
  counted once, so coverage never exceeds 100 %.
- **Coverage** = covered county units / county units × 100 (per cent).
- **Zones per 100 county units** = zones / county units × 100 (every zone counts once, whatever its size).
- **Zones count designations**: a place designated twice (an earlier batch and 2019; national and provincial)
  counts twice in `zones`, once in `places`; `national`/`provincial` count designations by programme level and
  `programme:<key>` by programme (data/programmes.yaml).
- 台湾省 has no data in any source document and the boundary package does not divide it, so its figures are
  <NA> and it is flagged `no_data` (shown as 资料暂缺), never drawn as a zero.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from geo.stats.counts import theme_counts
from loaders.history import place_key
from loaders.i18n import text
from loaders.programmes import LEVELS, batch_name, level_of, programme_keys, programme_label
from loaders.roster import statuses_today
from loaders.text import normalise_name

NO_DATA_PROVINCES = ("710000",)  # 台湾省
BASE_MEASURES = ("zones", "coverage", "per_100_counties")
LEVEL_MEASURES = ("places", "national", "provincial")  # places (a place designated twice counts once); by level
THEME_PREFIX = "theme:"
BATCH_PREFIX = "batch:"
PROGRAMME_PREFIX = "programme:"


def theme_measure(key: str) -> str:
    return THEME_PREFIX + key


def measure_label(measure: str, catalogue=None) -> str:
    """Chinese name of a measure (a base measure or `theme:<key>`), for pickers, axes and legends."""
    if measure.startswith(THEME_PREFIX):
        key = measure[len(THEME_PREFIX):]
        names = {th.key: th.name for th in catalogue.themes} if catalogue is not None else {}
        return text("compare.measure.theme", theme=names.get(key, key))
    return text(f"compare.measure.{measure}")


def column_labels(figures: pd.DataFrame, catalogue=None) -> dict[str, str]:
    """Chinese column headings for the figures table (and its CSV/Excel export)."""
    names = {th.key: th.name for th in catalogue.themes} if catalogue is not None else {}
    out = {}
    for col in figures.columns:
        if col.startswith(BATCH_PREFIX):
            out[col] = text("compare.columns.batch_column", batch=batch_name(col[len(BATCH_PREFIX):]))
        elif col.startswith(PROGRAMME_PREFIX):
            out[col] = programme_label(col[len(PROGRAMME_PREFIX):])
        elif col.startswith(THEME_PREFIX):
            out[col] = names.get(col[len(THEME_PREFIX):], col[len(THEME_PREFIX):])
        else:
            out[col] = text(f"compare.columns.{col}")
    return out


def _province_lookup(provinces: pd.DataFrame) -> dict[str, str]:
    """Full and short province names (北京市, 北京, 广西) → adcode."""
    out: dict[str, str] = {}
    for code, name in zip(provinces.adcode, provinces.name, strict=True):
        out[name] = code
        for suffix in ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "省", "市"):
            if name.endswith(suffix) and len(name) > len(suffix) + 1:
                out[name[: -len(suffix)]] = code
                break
    return out


def zone_provinces(zones: pd.DataFrame, provinces: pd.DataFrame) -> pd.Series:
    """Province adcode of every zone (index aligned with `zones`); None where even the document gives none."""
    lookup = _province_lookup(provinces)
    known = set(provinces.adcode)
    resolved = zones["province_adcode"] if "province_adcode" in zones else pd.Series(None, index=zones.index)
    out = []
    for code, named in zip(resolved.tolist(), zones["province"].tolist(), strict=True):
        if isinstance(code, str) and code in known:
            out.append(code)
        else:
            out.append(lookup.get(normalise_name(named)) if isinstance(named, str) else None)
    return pd.Series(out, index=zones.index, dtype=object)


def unplaced_zones(zones: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """Zones that could not be counted in any province (shown to the user, never silently dropped)."""
    provinces = units[units.level == "province"]
    return zones[zone_provinces(zones, provinces).isna()]


def covered_county_units(zones: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """(zone_id, county_adcode, province_adcode) for every county-level unit a zone covers (rule in module doc)."""
    counties = units[units.level == "county"]
    by_prefecture = counties.groupby("prefecture_adcode")["adcode"].apply(list).to_dict()
    by_province = counties.groupby("province_adcode")["adcode"].apply(list).to_dict()
    county_codes = set(counties.adcode)
    rows = []
    levels = zones["level"] if "level" in zones else pd.Series(None, index=zones.index)
    adcodes = zones["adcodes"] if "adcodes" in zones else pd.Series(None, index=zones.index)
    for zone_id, level, codes in zip(zones["zone_id"], levels, adcodes, strict=True):
        codes = tuple(codes) if isinstance(codes, (list, tuple)) else ()
        for code in codes:
            if level == "county" and code in county_codes:
                covered = [code]
            elif level == "prefecture":
                covered = by_prefecture.get(code, [])
            elif level == "province":
                covered = by_province.get(code, [])
            else:
                covered = []
            rows += [(zone_id, c, c[:2] + "0000") for c in covered]
    out = pd.DataFrame(rows, columns=["zone_id", "county_adcode", "province_adcode"], dtype=object)
    return out.drop_duplicates(["zone_id", "county_adcode"])


def _batch_list(zones: pd.DataFrame, batches: pd.DataFrame) -> list[str]:
    listed = list(dict.fromkeys(batches["batch"].tolist())) if batches is not None else []
    extra = sorted(set(zones["batch"]) - set(listed))
    return listed + extra


def province_figures(zones: pd.DataFrame, tags: pd.DataFrame, catalogue, units: pd.DataFrame,
                     batches: pd.DataFrame) -> pd.DataFrame:
    """One row per provincial-level unit (all 34, zero-zone ones included), in adcode order.

    `zones` is a zone layer (geo.zones.zone_layer) or a roster frame with level/adcodes/province_adcode;
    `tags` is loaders.themes.theme_tags output; `units` is geo.boundaries.cache.units_table(); `batches` is
    loaders.roster.load_batches(). Columns: adcode, name, no_data, note, zones, national, provincial,
    batch:<b> …, county_units, covered_counties, coverage (%), per_100_counties, theme:<key> ….
    """
    provinces = units[units.level == "province"].sort_values("adcode")
    codes = provinces.adcode.tolist()
    placed = zones.assign(_prov=zone_provinces(zones, provinces))
    placed = placed[placed["_prov"].notna()]
    index = pd.Index(codes, name="adcode")

    def count(frame: pd.DataFrame) -> pd.Series:
        return frame.groupby("_prov").size().reindex(index, fill_value=0).astype("Int64")

    out = pd.DataFrame({"adcode": codes, "name": provinces.name.tolist()}, index=index)
    out["zones"] = count(placed)
    out["places"] = (placed.assign(_place=[place_key(r) for r in placed.itertuples(index=False)])
                     .drop_duplicates(["_prov", "_place"]).groupby("_prov").size()
                     .reindex(index, fill_value=0).astype("Int64"))
    for level in LEVELS:  # national / provincial, over all programmes of that level
        out[level] = count(placed[placed.programme.map(level_of) == level])
    for key in programme_keys():
        out[PROGRAMME_PREFIX + key] = count(placed[placed.programme == key])
    for batch in _batch_list(zones, batches):
        out[BATCH_PREFIX + batch] = count(placed[placed.batch == batch])
    counties = units[units.level == "county"]
    out["county_units"] = counties.groupby("province_adcode").size().reindex(index, fill_value=0).astype("Int64")
    covered = covered_county_units(placed, units)
    out["covered_counties"] = (
        covered.drop_duplicates("county_adcode").groupby("province_adcode").size()
        .reindex(index, fill_value=0).astype("Int64")
    )
    has_units = out["county_units"] > 0
    out["coverage"] = (100 * out["covered_counties"] / out["county_units"]).where(has_units).round(1).astype("Float64")
    out["per_100_counties"] = (100 * out["zones"] / out["county_units"]).where(has_units).round(2).astype("Float64")
    per_province = {code: theme_counts(tags, ids) for code, ids in placed.groupby("_prov").zone_id}
    for th in catalogue.themes:
        out[THEME_PREFIX + th.key] = pd.Series(
            [per_province.get(code, {}).get(th.key, 0) for code in codes], index=index, dtype="Int64")
    no_data = out.adcode.isin(NO_DATA_PROVINCES) & (out["zones"] == 0)
    numeric = [c for c in out.columns if c not in ("adcode", "name")]
    out.loc[no_data, numeric] = pd.NA
    out.insert(2, "no_data", no_data.astype(bool))
    out.insert(3, "note", [text("compare.no_data") if flag else "" for flag in no_data])
    return out.reset_index(drop=True)


# The compare page shows its table one group of columns at a time, so that each fits the page at 1280 px
# (42 columns side by side are 4,500 px wide); the CSV/Excel download keeps every column in one table.
TABLE_VIEWS = ("overview", "programmes", "batches", "themes")
_OVERVIEW = ("name", "zones", "places", "national", "provincial", "county_units", "covered_counties", "coverage",
             "per_100_counties", "note")


def figures_view(figures: pd.DataFrame, view: str, catalogue=None) -> tuple[pd.DataFrame, dict[str, str]]:
    """One of TABLE_VIEWS of province_figures output, for the screen: (table with Chinese short headers,
    {header: the full column label} for the headers that are shortened).

    overview: the counts and coverage; programmes / batches: a column per programme or batch that has zones;
    themes: one row per province and theme it has zones for (province, theme, zones carrying it), most first —
    a province × 17-theme grid does not fit, and the heatmap above draws it. Provinces without data are left out
    of the programme, batch and theme views (their row says 资料暂缺 in the overview)."""
    labels = column_labels(figures, catalogue)
    rows = figures[~figures.no_data]
    if view == "overview":
        shown = figures[list(_OVERVIEW)]
        short = {c: text(f"compare.short_columns.{c}") for c in _OVERVIEW}
        return shown.rename(columns=short), {short[c]: labels[c] for c in _OVERVIEW if short[c] != labels[c]}
    if view in ("programmes", "batches"):
        prefix = PROGRAMME_PREFIX if view == "programmes" else BATCH_PREFIX
        cols = [c for c in figures.columns if c.startswith(prefix) and rows[c].fillna(0).sum() > 0]
        short = {c: _short_programme(labels[c]) for c in cols} if view == "programmes" else {c: labels[c] for c in cols}
        shown = rows[["name", *cols]].rename(columns={"name": labels["name"], **short})
        return shown, {short[c]: labels[c] for c in cols if short[c] != labels[c]}
    if view == "themes":
        names = {th.key: th.name for th in catalogue.themes} if catalogue is not None else {}
        theme_cols = [c for c in figures.columns if c.startswith(THEME_PREFIX)]
        long = rows[["name", *theme_cols]].assign(_order=range(len(rows))).melt(
            id_vars=["name", "_order"], value_vars=theme_cols, var_name="theme", value_name="zones")
        long = long[long["zones"].fillna(0) > 0]
        long = long.assign(theme=long.theme.str[len(THEME_PREFIX):].map(lambda k: names.get(k, k)))
        long = long.sort_values(["_order", "zones"], ascending=[True, False], kind="stable")[["name", "theme", "zones"]]
        return long.rename(columns={"name": labels["name"], "theme": text("compare.columns.theme_name"),
                                    "zones": text("compare.columns.theme_zones")}).reset_index(drop=True), {}
    raise ValueError(f"unknown view {view!r}: one of {TABLE_VIEWS}")


def _short_programme(label: str) -> str:
    """全国实验区（城市社区） → 全国·城市社区: a programme's level and kind, short enough for a column header."""
    m = re.fullmatch(r"(全国|省级)实验区（(.+)）", label)
    return f"{m.group(1)}·{m.group(2)}" if m else label


def theme_matrix(figures: pd.DataFrame, catalogue, *, only_with_zones: bool = True) -> pd.DataFrame:
    """Province × theme counts (zones tagged with each theme), indexed by province name, theme names as columns."""
    rows = figures[~figures.no_data]
    if only_with_zones:
        rows = rows[rows["zones"] > 0]
    cols = {THEME_PREFIX + th.key: th.name for th in catalogue.themes}
    matrix = rows.set_index("name")[list(cols)].rename(columns=cols).astype("int64")
    matrix.index.name = "province"
    return matrix


def completeness(zones: pd.DataFrame, batches: pd.DataFrame) -> pd.DataFrame:
    """Per batch: zones on the roster vs the number the document names, and a sentence saying so.

    Columns: batch, programme, known, official_size, complete (True/False/<NA> when the size is unknown), sentence.
    """
    rows = []
    for rec in batches.itertuples(index=False):
        mine = zones[(zones.batch == rec.batch) & (zones.programme == rec.programme)]
        known = len(mine)
        size = rec.official_size
        words = {"batch": batch_name(rec.batch), "programme": programme_label(rec.programme), "known": known}
        if pd.isna(size):
            complete, sentence = pd.NA, text("compare.completeness.unknown", **words)
        elif known >= int(size):
            complete, sentence = True, text("compare.completeness.complete", total=int(size), **words)
        else:
            complete, sentence = False, text("compare.completeness.incomplete", total=int(size), **words)
        rows.append((rec.batch, rec.programme, known, size, complete, sentence))
    out = pd.DataFrame(rows, columns=["batch", "programme", "known", "official_size", "complete", "sentence"])
    out["official_size"] = out["official_size"].astype("Int64")
    out["complete"] = out["complete"].astype("boolean")
    return out


def batch_overview(zones: pd.DataFrame, batches: pd.DataFrame) -> pd.DataFrame:
    """batches.csv as shown to people: batch and programme names, the date as written (2011年—2012年), and the
    zones on the roster beside the official size. Columns: batch, programme, authority, doc_number, approved_on,
    known, official_size (<NA> when unknown), label, source."""
    from loaders.partial_dates import format_partial_date

    known = completeness(zones, batches)[["batch", "programme", "known"]]
    out = batches.merge(known, on=["batch", "programme"], how="left", validate="one_to_one")
    out = out.assign(batch=out.batch.map(batch_name), programme=out.programme.map(programme_label),
                     approved_on=out.approved_on.map(format_partial_date), source=out.source.map(size_basis))
    return out[["batch", "programme", "authority", "doc_number", "approved_on", "known", "official_size", "label",
                "source"]]


def size_basis(source: str) -> str:
    """What an official size rests on, from batches.csv's `source`: the importer writes "导入 <file>.csv；总数依据：…";
    the file name is ours, not the reader's (national-batch1.csv), so only what follows 总数依据： is kept
    ("" when the source is only the imported file)."""
    if not isinstance(source, str):
        return ""
    if re.fullmatch(r"导入 [\w.-]+\.csv(；.*)?", source):
        _, _, basis = source.partition("总数依据：")
        return basis
    return source


def completeness_line(table: pd.DataFrame) -> str:
    """All batches' completeness sentences on one line (what goes wherever batch counts are shown)."""
    return "；".join(table["sentence"])


@dataclass(frozen=True)
class ProvinceProfile:
    """One province in the side-by-side comparison."""

    adcode: str
    name: str
    zones: pd.DataFrame  # zone_id, unit_name, level, programme, batch, approved_on, status, themes
    themes: pd.DataFrame  # theme_key, theme_name, zones — most frequent first, ties in catalogue order
    timeline: pd.DataFrame  # approved_on, batch, doc_number, zones — oldest first


def compare_provinces(codes, zones: pd.DataFrame, tags: pd.DataFrame,
                      provinces: pd.DataFrame | None = None) -> list[ProvinceProfile]:
    """Profiles of 2–4 provinces (adcodes) side by side: their zones, themes and approval timeline."""
    codes = list(dict.fromkeys(codes))
    if not 2 <= len(codes) <= 4:
        raise ValueError(f"compare 2–4 provinces, got {len(codes)}")
    if provinces is None:
        from geo.boundaries.cache import units_table

        units = units_table()
        provinces = units[units.level == "province"]
    names = dict(zip(provinces.adcode, provinces.name, strict=True))
    unknown = [c for c in codes if c not in names]
    if unknown:
        raise ValueError(f"unknown province adcodes: {unknown}")
    where = zone_provinces(zones, provinces)
    theme_by_zone = (
        tags.drop_duplicates(["zone_id", "theme_key"]).groupby("zone_id")["theme_name"].agg("、".join).to_dict()
    )
    theme_names = dict(zip(tags.theme_key, tags.theme_name, strict=True))
    profiles = []
    for code in codes:
        mine = zones[where == code].sort_values(["approved_on", "zone_id"])
        level = mine["level"] if "level" in mine else pd.Series("", index=mine.index)
        table = pd.DataFrame({
            "zone_id": mine.zone_id.tolist(),
            "unit_name": mine.unit_name.tolist(),
            "level": [_words("common.level", v) for v in level.fillna("")],
            # the programme by name (全国（城市社区）, 省级（甘肃）): common.programme knows only the two levels, and
            # the export once showed provincial_gs, provincial_hb for the provincial programmes
            "programme": [programme_label(v) for v in mine.programme],
            "batch": mine.batch.tolist(),
            "approved_on": mine.approved_on.tolist(),
            "status": statuses_today(mine).tolist() if len(mine) else [],
            "themes": [theme_by_zone.get(z, "") for z in mine.zone_id],
        })
        counts = theme_counts(tags, mine.zone_id)
        themes = pd.DataFrame(
            [(k, theme_names.get(k, k), n) for k, n in counts.items()], columns=["theme_key", "theme_name", "zones"],
        ).sort_values("zones", ascending=False, kind="stable").reset_index(drop=True)
        timeline = (
            mine.groupby(["approved_on", "batch", "doc_number"]).size().rename("zones").reset_index()
            .sort_values("approved_on").reset_index(drop=True)
        )
        profiles.append(ProvinceProfile(code, names[code], table, themes, timeline))
    return profiles


def _words(area: str, code: str) -> str:
    """An internal code (county, national) in the words a user reads (县级, 全国实验区); unknown values as they are."""
    try:
        return text(f"{area}.{code}")
    except KeyError:
        return str(code)


def comparison_table(profiles: list[ProvinceProfile]) -> pd.DataFrame:
    """The compared provinces' zones in one table (province first), for the CSV/Excel download."""
    frames = [p.zones.assign(province=p.name)[["province", *p.zones.columns]] for p in profiles]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["province"])
