"""Shared filter widgets (sidebar) that return plain values; initial values come from the URL once per session."""

from __future__ import annotations

import streamlit as st

from loaders.programmes import batch_name, programme_label
from loaders.selection import FilterOptions, ZoneFilter
from ui.state import COLOR_MODES, ViewState
from ui.text import t

_KEYS = ("f_query", "f_themes", "f_mode", "f_batches", "f_programmes", "f_statuses", "f_year", "f_color")
ALL_YEARS = 0  # the year picker's "today" choice (every zone on the roster)


def seed_from_view(view: ViewState) -> None:
    """Put the URL's view into the filter widgets (the page calls this when ui.state.arrived_with_new_view;
    between those the widgets own their values)."""
    f = view.filter
    st.session_state.update(
        f_query=f.query,
        f_themes=list(f.themes),
        f_mode=f.theme_mode,
        f_batches=list(f.batches),
        f_programmes=list(f.programmes),
        f_statuses=list(f.statuses),
        f_year=f.year or ALL_YEARS,
        f_color=view.color,
    )


def clear_filters() -> None:
    for key in _KEYS:
        st.session_state.pop(key, None)
    st.session_state.update(f_query="", f_themes=[], f_mode="any", f_batches=[], f_programmes=[], f_statuses=[],
                            f_year=ALL_YEARS)


def filter_values(options: FilterOptions) -> tuple[ZoneFilter, str]:
    """The ZoneFilter and colour mode that filter_sidebar's widgets will return this run, read from session state
    before they are drawn (seed_from_view put the URL's values there; the widgets keep them after), so that a
    page can draw its map first. Values a widget would refuse are not filtered out here: the widget raises."""
    state = st.session_state

    def chosen(key: str) -> tuple[str, ...]:
        return tuple(state.get(key) or ())

    f = ZoneFilter(
        query=state.get("f_query") or "",
        themes=chosen("f_themes"),
        theme_mode=state.get("f_mode") or "any",
        batches=chosen("f_batches"),
        programmes=chosen("f_programmes"),
        statuses=chosen("f_statuses"),
        year=state.get("f_year") or None,
    )
    return f, state.get("f_color") or COLOR_MODES[0]


def filter_sidebar(options: FilterOptions, theme_names: dict[str, str]) -> tuple[ZoneFilter, str]:
    """Draw the filters; return the ZoneFilter and the colour mode."""
    with st.sidebar:
        st.subheader(t("map.filters"))
        query = st.text_input(t("map.search"), key="f_query", placeholder=t("map.search_hint"), max_chars=60)
        themes = st.multiselect(
            t("map.themes"), options.themes, key="f_themes", placeholder=t("map.choose"), format_func=lambda k: theme_names.get(k, k)
        )
        mode = st.radio(
            t("map.theme_mode"), ("any", "all"), key="f_mode", horizontal=True,
            format_func=lambda m: t(f"map.mode_{m}"), disabled=len(themes) < 2,
        )
        year = st.selectbox(
            t("map.year"), (ALL_YEARS, *reversed(options.years)), key="f_year", help=t("map.year_help"),
            format_func=lambda y: t("map.year_all") if y == ALL_YEARS else t("map.year_as_of", year=y),
        )
        programmes = st.multiselect(
            t("map.programmes"), options.programmes, key="f_programmes", placeholder=t("map.choose"),
            format_func=programme_label,
        )
        batches = st.multiselect(t("map.batches"), options.batches, key="f_batches", placeholder=t("map.choose"),
                                 format_func=batch_name)
        statuses = st.multiselect(t("map.statuses"), options.statuses, key="f_statuses", placeholder=t("map.choose"))
        color = st.radio(
            t("map.color_by"), COLOR_MODES, key="f_color", horizontal=True, format_func=lambda c: t(f"map.color_{c}")
        )
        st.button(t("map.clear"), on_click=clear_filters, width="stretch")
    f = ZoneFilter(
        query=query or "",
        themes=tuple(themes),
        theme_mode=mode,
        batches=tuple(batches),
        programmes=tuple(programmes),
        statuses=tuple(statuses),
        year=year or None,
    )
    return f, color
