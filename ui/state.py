"""The view's state in the URL: filters, province, selected zone, colour mode — parsed defensively, written back."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, replace

import streamlit as st

from loaders.selection import FilterOptions, ZoneFilter, sanitise

MAX_PARAM = 300  # characters; a longer value is ignored as malformed
COLOR_MODES = ("theme", "batch", "programme")
VIEW_PARAMS = ("q", "theme", "mode", "batch", "prog", "status", "year", "prov", "zone", "color")
LIST_PARAMS = frozenset({"theme", "batch", "prog", "status"})  # comma-separated lists: repeated keys add up
LAST_VIEW = "_last_view"  # the view this session last wrote (so the briefing page can present it)


@dataclass(frozen=True)
class ViewState:
    filter: ZoneFilter = ZoneFilter()
    province: str | None = None  # adcode of the drilled-into province
    zone: str | None = None  # zone_id of the open card
    color: str = "theme"


def _malformed(value: str) -> bool:
    """Control, format (bidi overrides, NUL), surrogate or private-use characters, or U+FFFD (bytes that were not
    UTF-8): no link the app writes contains them."""
    return "\ufffd" in value or any(unicodedata.category(ch)[0] == "C" for ch in value)


def _split(value: str | None) -> tuple[str, ...]:
    if not value:
        return ()
    return tuple(v.strip() for v in value.split(",") if v.strip())


def _year(value: str, notices: list[str]) -> int | None:
    if not value:
        return None
    if value.isdigit() and len(value) == 4:
        return int(value)
    notices.append("year")
    return None


def read_view(options: FilterOptions, zone_ids: set[str]) -> tuple[ViewState, list[str]]:
    """ViewState from st.query_params; unknown, oversized or malformed values fall back to defaults (reported).
    A repeated list key (theme, batch, prog, status) combines its values; another repeated key with different
    values is reported and falls back to its default."""
    qp = st.query_params
    notices: list[str] = []

    def get(key: str) -> str:
        values = [v for v in qp.get_all(key) if v != ""]
        if key in LIST_PARAMS:  # ?theme=grid&theme=smart is ?theme=grid,smart
            value = ",".join(values)
        elif len(set(values)) > 1:  # ?prov=330000&prov=110000: which one was meant is not known
            notices.append(key)
            return ""
        else:
            value = values[0] if values else ""
        if len(value) > MAX_PARAM or _malformed(value):
            notices.append(key)  # the name, not the value: junk may be huge or reorder the notice (U+202E)
            return ""
        return value

    f = ZoneFilter(
        query=get("q"),
        themes=_split(get("theme")),
        theme_mode=get("mode") or "any",
        batches=_split(get("batch")),
        programmes=_split(get("prog")),
        provinces=(),
        statuses=_split(get("status")),
        year=_year(get("year"), notices),
    )
    f, dropped = sanitise(f, options)
    notices.extend(dropped)
    province = get("prov") or None
    if province and province not in options.provinces:
        notices.append(province)
        province = None
    zone = get("zone") or None
    if zone and zone not in zone_ids:
        notices.append(zone)
        zone = None
    color = get("color") or "theme"
    if color not in COLOR_MODES:
        notices.append(color)
        color = "theme"
    return ViewState(filter=f, province=province, zone=zone, color=color), notices


def view_params(view: ViewState) -> dict[str, str]:
    """The view as query parameters, non-default values only (what a copied link carries)."""
    f = view.filter
    wanted = {
        "q": f.query,
        "theme": ",".join(f.themes),
        "mode": f.theme_mode if f.themes and f.theme_mode != "any" else "",
        "batch": ",".join(f.batches),
        "prog": ",".join(f.programmes),
        "status": ",".join(f.statuses),
        "year": str(f.year) if f.year is not None else "",
        "prov": view.province or "",
        "zone": view.zone or "",
        "color": view.color if view.color != "theme" else "",
    }
    return {k: v for k, v in wanted.items() if v}


def write_view(view: ViewState, *, owner: str | None = None) -> None:
    """Mirror the view into the URL (only non-default values), so a copied link reopens the same view.
    `owner` (a page) remembers what it wrote, so that page can tell its own URL from a link that brought
    another view (see arrived_with_new_view).

    The URL is written in one message, and only when it differs: Streamlit's front end pushes one browser-history
    entry per query-parameter message (1.67, `handlePageInfoChanged`), so setting the keys one by one left a Back
    step for each key (…?theme=grid, …&prov=330000, …&zone=CN-2019-11) and a Back pressed while they arrived
    could land on a half-written view. Parameters that are not the view's (none today) are kept as they were."""
    wanted = view_params(view)
    st.session_state[LAST_VIEW] = view
    if owner:
        st.session_state[f"_written_view.{owner}"] = wanted
    qp = st.query_params
    others = {key: qp.get_all(key) for key in qp if key not in VIEW_PARAMS}
    now = {key: qp.get_all(key) for key in qp if key in VIEW_PARAMS}
    if now != {key: [value] for key, value in wanted.items()}:  # a repeated key (?theme=a&theme=b) differs too
        qp.from_dict({**others, **wanted})


def arrived_with_new_view(url_view: ViewState, owner: str) -> bool:
    """True when `owner` should take its view from the URL: its first run in this session, or a link (the
    briefing's 返回地图, a page_link with query parameters) brought view parameters other than those the page
    last wrote. A visit without view parameters (the sidebar navigation) keeps the session's own view."""
    written = st.session_state.get(f"_written_view.{owner}")
    if written is None:
        return True
    if not any(k in st.query_params for k in VIEW_PARAMS):
        return False
    return view_params(url_view) != written


def last_view() -> ViewState | None:
    """The view this session last showed (on any page that writes its view), or None."""
    return st.session_state.get(LAST_VIEW)


def with_zone(view: ViewState, zone: str | None) -> ViewState:
    return replace(view, zone=zone)
