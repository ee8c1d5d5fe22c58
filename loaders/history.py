"""A zone over time and across lists: its status history with each step's date and source, the network as of a
year, published results (data/results.csv), and one place with several designations (徐汇区 in an earlier batch
and in 2019; a county both national and provincial).

Facts: the roster's approved_on / status / status_as_of / source columns, the designation column (结项后新主题续展
is how 民函〔2019〕41号 marks 徐汇区 and 雨花台区: "已通过结项验收的…以新的实验主题开展实验工作"), and data/results.csv
(the 2021 MCA results notice, as far as it was readable: data/sources/results/).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from loaders.partial_dates import date_bounds, format_partial_date, sort_key

RESULTS_PATH = Path(__file__).resolve().parent.parent / "data" / "results.csv"
RESULT_COLUMNS = ["batch", "zone_id", "group", "quote", "published_on", "source", "source_url", "confidence"]
RENEWED = "结项后新主题续展"


@dataclass(frozen=True)
class StatusStep:
    """One step of a zone's history: 确认, 实验中, 结项验收 (or 成果通报), when, and the source saying so."""

    step: str
    when: str  # a partial date as the roster writes it ("" when unknown)
    source: str  # the source in words (data/sources.csv title, the notice's name)
    detail: str = ""
    url: str = ""  # its web address as the data gives it (the page shows it as a link only when it is one)

    @property
    def when_shown(self) -> str:
        return format_partial_date(self.when) if self.when else "日期不详"


def load_results(path: Path | str = RESULTS_PATH) -> pd.DataFrame:
    """Published results: one row per zone named in a results notice (zone_id empty: the notice as a whole for its
    batch), with the grouping it was placed in and the quoted words. Columns: RESULT_COLUMNS."""
    path = Path(path)
    if not path.exists():
        return pd.DataFrame(columns=RESULT_COLUMNS)
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = set(RESULT_COLUMNS) - set(df.columns)
    if missing:
        raise ValueError(f"{path.name} 缺少列：{'、'.join(sorted(missing))}")
    return df[RESULT_COLUMNS]


def with_results(zones: pd.DataFrame, results: pd.DataFrame | None = None) -> pd.DataFrame:
    """`zones` plus a `results` column: the quoted results for the zone ("" where none were published or read), so
    theme tags can be supported by the results' words as well as the approval's (loaders.themes.theme_tags)."""
    results = load_results() if results is None else results
    per_zone = results[results.zone_id != ""].groupby("zone_id").quote.agg("；".join)
    return zones.assign(results=zones.zone_id.map(per_zone).fillna(""))


def _source_of(zone, register: pd.DataFrame | None = None) -> tuple[str, str]:
    """(the row's source in words — data/sources.csv title —, its web address or "")."""
    from loaders.provenance import source_of

    return source_of(zone, register)["title"], str(getattr(zone, "source_url", "") or "")


def status_history(zone, results: pd.DataFrame | None = None) -> list[StatusStep]:
    """The zone's steps, oldest first: an earlier batch's acceptance (zones renewed in 2019), 确认 at the approval
    date, 实验中 over the period, then the recorded later status (结项验收 2015-10 …) and published results — each
    with its date and its source. `zone` is a roster row (Series or namedtuple)."""
    results = load_results() if results is None else results
    steps: list[StatusStep] = []
    approved = str(zone.approved_on)
    if str(getattr(zone, "designation", "")) == RENEWED:
        steps.append(StatusStep("结项验收", f"/{approved}" if date_bounds(approved) and "/" not in approved else "",
                                f"{zone.doc_number}：已通过结项验收，以新的实验主题开展实验工作",
                                "此前批次（批次未载明）"))
    title, url = _source_of(zone)
    steps.append(StatusStep("确认", approved, title, url=url))
    steps.append(StatusStep("实验中", approved, title, url=url))
    status, as_of = str(zone.status), str(getattr(zone, "status_as_of", "") or "")
    if status not in ("实验中", "申报"):
        steps.append(StatusStep(status, as_of, title, url=url))
    mine = results[(results.batch == str(getattr(zone, "batch", ""))) & (results.zone_id.isin(("", zone.zone_id)))]
    for rec in mine.sort_values("zone_id").itertuples(index=False):
        if rec.zone_id:
            steps.append(StatusStep("成果通报", rec.published_on, rec.source, f"{rec.group}：{rec.quote}",
                                    rec.source_url))
    if not (mine.zone_id == zone.zone_id).any() and (mine.zone_id == "").any():
        rec = mine[mine.zone_id == ""].iloc[0]
        steps.append(StatusStep("成果通报", rec.published_on, rec.source, "通知列出本批全部实验区；本区的成果段落未读到",
                                rec.source_url))
    return steps


def zones_active_in(zones: pd.DataFrame, year: int) -> pd.DataFrame:
    """The network as of the end of `year`: zones whose approval is certain by then (a partial date counts by its
    latest day — 2011/2012 is in the network of 2012, not of 2011; /2017-03 from 2017), with `status_in_year`:
    结项验收 when acceptance is recorded by then, else 实验中. Rows whose approval date is unreadable are left out."""
    if zones.empty:
        return zones.assign(status_in_year=pd.Series(dtype=str))
    latest = zones.approved_on.map(lambda v: b.latest.year if (b := date_bounds(str(v))) else None)
    keep = latest.notna() & (latest <= year)
    out = zones[keep.astype(bool)].copy()

    def status(rec) -> str:
        done = date_bounds(str(rec.status_as_of))
        if rec.status in ("结项验收", "授牌") and done and done.latest.year <= year:
            return rec.status
        return "实验中"

    out["status_in_year"] = [status(r) for r in out.itertuples(index=False)]
    return out


def network_years(zones: pd.DataFrame) -> tuple[int, ...]:
    """Years the year picker offers: from the first year a zone is certainly approved to the last."""
    years = [b.latest.year for v in zones.approved_on if (b := date_bounds(str(v)))]
    return tuple(range(min(years), max(years) + 1)) if years else ()


def place_key(zone) -> str:
    """What makes two designations one place: the drawn codes (a county-level unit), or the parent code and the
    name (a 街道 or 园区 drawn without a polygon)."""
    codes = str(getattr(zone, "current_adcodes", "") or "")
    if codes:
        return codes
    return f"{getattr(zone, 'parent_adcode', '')}|{zone.unit_name}"


def designations_of(zone, zones: pd.DataFrame) -> pd.DataFrame:
    """Every designation of the zone's place (itself included), oldest first — 徐汇区's 2019 row; a county on a
    national and a provincial list. Columns as the roster."""
    key = place_key(zone)
    same = zones[[place_key(r) == key for r in zones.itertuples(index=False)]]
    return same.iloc[sorted(range(len(same)), key=lambda i: sort_key(str(same.approved_on.iloc[i])))]


def count_places(zones: pd.DataFrame) -> tuple[int, int]:
    """(places, designations): a place designated twice counts once in the first, twice in the second."""
    if zones.empty:
        return 0, 0
    return len({place_key(r) for r in zones.itertuples(index=False)}), len(zones)
