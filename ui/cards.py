"""The zone card: everything the sources say about one zone — its designations, status history with each step's
source, published results, boundary match, theme tags with evidence, and how sure we are of its source."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st

from geo.zones import designated_line, drawn_line
from loaders.history import designations_of, status_history
from loaders.partial_dates import format_partial_date
from loaders.programmes import batch_name, programme, programme_label
from loaders.provenance import source_of
from loaders.roster import period_end_text, status_outdated, status_today
from ui.text import md_escape, md_link, t


def _status(zone: pd.Series) -> str:
    """The recorded status with its date; when the period has ended since, say the roster is silent about it."""
    shown = status_today(zone.status, zone.status_as_of, zone.approved_on, zone.period_years)
    line = (t("map.card.status_as_of", status=shown, date=format_partial_date(zone.status_as_of))
            if shown == zone.status else shown)
    ended = status_outdated(zone.status, zone.status_as_of, zone.approved_on, zone.period_years, date.today())
    return line + t("map.card.status_outdated", end=ended.isoformat()) if ended else line


def _period(zone: pd.Series) -> str:
    if pd.isna(zone.period_years) or str(zone.period_years) == "":
        return t("map.card.period_unknown")
    end = period_end_text(zone.approved_on, zone.period_years)
    return t("map.card.period_years", n=zone.period_years, end=end) if end else \
        t("map.card.period_years_only", n=zone.period_years)


def _document(zone: pd.Series) -> str:
    p = programme(zone.programme)
    authority = zone.authority or (p.authority if p else "")
    return f"{zone.doc_number or t('map.card.unknown')}（{authority}）"


def _lines(rows) -> str:
    return "  \n".join(f"**{md_escape(k)}**：{md_escape(v)}" for k, v in rows)


def _history(zone: pd.Series) -> None:
    """确认 → 实验中 → 结项验收 (and 成果通报), each step with its date and source."""
    steps = status_history(zone)
    st.markdown(f"**{md_escape(t('map.card.history'))}**：" + " → ".join(
        md_escape(t("map.card.history_step", step=s.step, when=s.when_shown)) for s in steps))
    by_source: dict[tuple[str, str], list[str]] = {}  # steps resting on the same source share one line
    for s in steps:
        detail = f"{s.detail}；" if s.detail and s.step != "成果通报" else ""
        by_source.setdefault((detail + s.source, s.url), []).append(f"{s.step}（{s.when_shown}）")
    for (source, url), named in by_source.items():
        st.caption(md_escape(f"{'、'.join(named)} {t('map.card.history_source')}：{source}") + _url(url))
    for s in steps:
        if s.step == "成果通报" and s.detail:
            st.markdown(f"**{md_escape(t('map.card.results'))}**：{md_escape(s.detail)}")
            st.caption(md_escape(s.source) + _url(s.url))


BUNDLED_LISTS = Path(__file__).resolve().parents[1] / "data" / "sources" / "public-lists"


def _own_line(zone: pd.Series, title: str) -> str:
    """The row's 出处 when it adds to the source `title` that 来源与可信度 names: a document's line (民函〔2019〕41号
    附件 第1行) or an upload's own file and line. "" for a row read from one of the bundled public lists
    (`national-batch1.csv 第9行`: our own file, meaningless on the card) and for a source that is that title."""
    words = str(zone.source or "")
    first = words.split(" ", 1)[0]
    if words == title or (first.endswith(".csv") and (BUNDLED_LISTS / first).is_file()):
        return ""
    return words


def _url(url: str) -> str:
    """"；" and the address as a link (ui.text.md_link), or "" when there is none."""
    return "；" + md_link(url) if url else ""


def _designations(zone: pd.Series, zones: pd.DataFrame | None) -> None:
    if zones is None:
        return
    same = designations_of(zone, zones)
    if len(same) < 2:
        return
    st.markdown(f"**{md_escape(t('map.card.designations', n=len(same)))}**")
    for rec in same.itertuples(index=False):
        st.markdown("- " + md_escape(t("map.card.designation_item", programme=programme_label(rec.programme),
                                       batch=batch_name(rec.batch), date=format_partial_date(rec.approved_on),
                                       status=rec.status)))


def _confidence(src: dict) -> None:
    """来源与可信度: `src` is loaders.provenance.source_of's answer for the zone."""
    level = src["confidence"]
    words = t(f"common.confidence.{level}") if level else t("map.card.unknown")
    st.markdown(f"**{md_escape(t('map.card.confidence'))}**")
    st.caption(md_escape(t("map.card.confidence_line", level=words, title=src["title"])))
    if level == "low":
        st.warning(md_escape(t("map.card.low_confidence")))


def zone_card(zone: pd.Series, tags: pd.DataFrame, theme_names: dict[str, str], on_close=None,
              zones: pd.DataFrame | None = None) -> None:
    """Draw the card of `zone` (a zone-layer row). With `zones` (the roster's layer), every other designation of
    the same place is listed too."""
    with st.container(border=True, key="zone_card"):
        # A row that gives the close button its full width (in a 4:1 column it showed as "关…") and the name the
        # rest, wrapping a long name rather than the button (ui/map_page.css: .st-key-card_head).
        with st.container(horizontal=True, vertical_alignment="center", gap="small", key="card_head"):
            st.markdown(f"##### {md_escape(zone.unit_name)}")
            if on_close:
                st.button(t("map.card.close"), on_click=on_close, key="card_close", width="content")
        rows = [
            (t("map.card.programme"), programme_label(zone.programme)),
            (t("map.card.batch"), batch_name(zone.batch)),
            (t("map.card.theme"), zone.theme or t("map.card.theme_unpublished")),
            (t("map.card.document"), _document(zone)),
            (t("map.card.date"), format_partial_date(zone.approved_on)),
            (t("map.card.period"), _period(zone)),
            (t("map.card.status"), _status(zone)),
            (t("map.card.designation"), zone.designation),
            (t("map.card.unit"), "".join(x for x in (zone.province_resolved, zone.prefecture_resolved,
                                                      zone.county_resolved) if isinstance(x, str))),
        ]
        level = f"（{t('common.level.' + zone.level) if zone.level else '—'}）"
        designated = designated_line(zone)  # a unit changed since designation: both codes, plainly
        if designated:
            rows.append((t("map.card.designated_code"), designated))
            rows.append((t("map.card.drawn_today"), drawn_line(zone) + level))
        elif drawn_line(zone):
            rows.append((t("map.card.adcode"), drawn_line(zone) + level))
        st.markdown(_lines(rows))
        if getattr(zone, "method", "") == "not_county_level":
            st.caption(md_escape(t("map.card.not_county_level", parent=zone.parent_adcode or "—")))
        _designations(zone, zones)
        _history(zone)
        if zone.content:
            st.markdown(f"**{md_escape(t('map.card.content'))}**")
            st.markdown(md_escape(zone.content))
        notes = list(zone.resolution_notes or [])
        if notes:
            st.info(md_escape(t("map.card.notes")) + "：" + "；".join(md_escape(n) for n in notes))
        mine = tags[tags.zone_id == zone.zone_id]
        if not mine.empty:
            st.markdown(f"**{md_escape(t('map.card.tags'))}**")
            for rec in mine.itertuples(index=False):
                why = rec.excerpt if isinstance(rec.excerpt, str) and rec.excerpt else (rec.reason or "")
                where = t("map.card.results") + "：" if rec.field == "results" else ""
                st.markdown(f"- **{md_escape(theme_names.get(rec.theme_key, rec.theme_key))}** — "
                            f"{md_escape(t('map.card.why'))}：{md_escape(where + why)}")
        src = source_of(zone)  # reads data/sources.csv: once per card
        _confidence(src)
        own = _own_line(zone, src["title"])
        if own:
            st.caption(f"{md_escape(t('map.card.source'))}：{md_escape(own)}")
