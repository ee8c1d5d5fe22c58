"""Briefing page: the deck for the current filters, full window for a projector; keys, clicker, buttons, ?slide=N."""

from __future__ import annotations

import time
from dataclasses import replace

import streamlit as st

from geo.deck.slide_map import SHAPES
from geo.deck.slides import Deck, MapSpec, slide_from_param
from loaders.selection import filter_options
from ui import briefing, cached
from ui.cached import session_key, session_zones
from ui.state import VIEW_PARAMS, last_view, read_view, write_view
from ui.text import md_escape, t

AUTO_CHOICES = (0, 10, 20, 30, 60)  # seconds per slide; 0 = off

zones = session_zones()
catalogue = cached.theme_catalogue()
theme_names = {th.key: th.name for th in catalogue.themes}
provinces = cached.layer("province")
options = filter_options(zones, tuple(theme_names), tuple(provinces.adcode))

view, notices = read_view(options, set(zones.zone_id))
if not any(k in st.query_params for k in VIEW_PARAMS) and last_view() is not None:
    view = replace(last_view(), zone=None)  # came from the map page: present what it was showing
write_view(replace(view, zone=None))
deck: Deck = cached.briefing_deck(view.filter, view.province, view.color, session_key())

token = (view.filter, view.province, view.color, session_key())
if st.session_state.get("zb_token") != token:  # first visit, or another selection: start where the link says
    index, bad = slide_from_param(st.query_params.get("slide"), len(deck))
    st.session_state.update(zb_token=token, zb_slide=index, zb_changed_at=time.monotonic())
    if bad:
        key = "briefing.notice.past_end" if len(deck) and index == len(deck) - 1 else "briefing.notice.bad_slide"
        st.toast(md_escape(t(key, value=st.query_params.get("slide", "")[:12], slides=len(deck))), duration="long")
    if notices:
        st.toast(md_escape(t("briefing.notice.bad_params", values="、".join(n[:40] for n in notices))),
                 duration="long")
index = min(st.session_state.zb_slide, max(len(deck) - 1, 0))


def go(step: int | None = None, to: int | None = None) -> None:
    """Button callback: move by `step` (stopping at the first and last slide) or jump `to` an index."""
    n = len(deck)
    if not n:
        return
    current = st.session_state.zb_slide
    st.session_state.zb_slide = to if to is not None else min(max(current + step, 0), n - 1)
    st.session_state.zb_changed_at = time.monotonic()


def slide_map(spec: MapSpec | None) -> dict[str, bytes] | None:
    """The slide's map in each shape (wide for 16:9 windows, tall for 4:3 projectors: the browser picks)."""
    if spec is None:
        return None
    return {shape: cached.briefing_map_png(spec.province, spec.zone_ids, spec.colours, spec.hatches, session_key(),
                                           spec.labels, shape) for shape in SHAPES}


st.html(briefing.CSS)
if len(deck):
    st.html(briefing.slide_html(deck, index, slide_map(deck.slides[index].map)))
else:
    st.html(briefing.empty_html(deck.source))
st.query_params["slide"] = str(index + 1)

with st.container(horizontal=True, key=briefing.CONTROLS_KEY, vertical_alignment="center", gap="medium"):
    st.button(t("briefing.controls.prev"), key="zb_prev", on_click=go, kwargs={"step": -1}, disabled=index == 0)
    st.button(t("briefing.controls.next"), key="zb_next", on_click=go, kwargs={"step": 1}, type="primary",
              disabled=index >= len(deck) - 1, help=t("briefing.controls.keys_help"))
    st.markdown(md_escape(t("briefing.controls.auto")))
    st.segmented_control(  # the interval counts from the choice, not from a slide shown minutes before it
        t("briefing.controls.auto"), AUTO_CHOICES, key="zb_auto", default=0, required=True, label_visibility="collapsed",
        on_change=lambda: st.session_state.update(zb_changed_at=time.monotonic()),
        format_func=lambda s: t("briefing.controls.auto_off") if s == 0 else t("briefing.controls.auto_seconds", s=s),
    )
    st.page_link("pages/map.py", label=t("briefing.controls.exit"),
                 query_params={k: v for k, v in st.query_params.to_dict().items() if k != "slide"})

with st.container(key=briefing.HIDDEN_KEY):
    st.button(t("briefing.controls.first"), key="zb_first", on_click=go, kwargs={"to": 0})
    st.button(t("briefing.controls.last"), key="zb_last", on_click=go, kwargs={"to": max(len(deck) - 1, 0)})
    st.html(briefing.KEYS_JS, unsafe_allow_javascript=True)
    seconds = st.session_state.get("zb_auto") or 0
    if seconds and len(deck) > 1:

        @st.fragment(run_every=1.0)
        def auto_advance() -> None:
            if time.monotonic() - st.session_state.zb_changed_at >= seconds:
                go(to=(st.session_state.zb_slide + 1) % len(deck))  # a kiosk loop: after the last, the first
                st.rerun(scope="app")

        auto_advance()

if len(deck) > 1:  # draw the next slide's map now, so the next key press only sends it
    slide_map(deck.slides[(index + 1) % len(deck)].map)
