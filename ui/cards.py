"""The zone card: everything the document says about one zone, its boundary match and its theme tags with evidence."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from geo.zones import designated_line, drawn_line
from loaders.roster import period_end, status_outdated, status_today
from ui.text import md_escape, t


def _iso(day: date | None) -> str:
    return day.isoformat() if day else "—"


def _status(zone: pd.Series) -> str:
    """The recorded status with its date; when the period has ended since, say the roster is silent about it."""
    shown = status_today(zone.status, zone.status_as_of, zone.approved_on, zone.period_years)
    line = t("map.card.status_as_of", status=shown, date=zone.status_as_of) if shown == zone.status else shown
    ended = status_outdated(zone.status, zone.status_as_of, zone.approved_on, zone.period_years, date.today())
    return line + t("map.card.status_outdated", end=ended.isoformat()) if ended else line


def zone_card(zone: pd.Series, tags: pd.DataFrame, theme_names: dict[str, str], on_close=None) -> None:
    with st.container(border=True, key="zone_card"):
        # A row that gives the close button its full width (in a 4:1 column it showed as "关…") and the name the
        # rest, wrapping a long name rather than the button (ui/map_page.css: .st-key-card_head).
        with st.container(horizontal=True, vertical_alignment="center", gap="small", key="card_head"):
            st.markdown(f"##### {md_escape(zone.unit_name)}")
            if on_close:
                st.button(t("map.card.close"), on_click=on_close, key="card_close", width="content")
        rows = [
            (t("map.card.theme"), zone.theme),
            (t("map.card.document"), f"{zone.doc_number}（{zone.authority}）"),
            (t("map.card.date"), zone.approved_on),
            (t("map.card.period"), t("map.card.period_years", n=zone.period_years,
                                     end=_iso(period_end(zone.approved_on, zone.period_years)))),
            (t("map.card.status"), _status(zone)),
            (t("map.card.designation"), zone.designation),
            (t("map.card.programme"), t(f"common.programme.{zone.programme}")),
            (t("map.card.unit"), "".join(x for x in (zone.province_resolved, zone.prefecture_resolved,
                                                      zone.county_resolved) if isinstance(x, str))),
        ]
        level = f"（{t('common.level.' + zone.level) if zone.level else '—'}）"
        designated = designated_line(zone)  # a unit changed since designation: both codes, plainly
        if designated:
            rows.append((t("map.card.designated_code"), designated))
            rows.append((t("map.card.drawn_today"), drawn_line(zone) + level))
        else:
            rows.append((t("map.card.adcode"), (drawn_line(zone) or "—") + level))
        st.markdown("  \n".join(f"**{md_escape(k)}**：{md_escape(v)}" for k, v in rows))
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
                st.markdown(f"- **{md_escape(theme_names.get(rec.theme_key, rec.theme_key))}** — "
                            f"{md_escape(t('map.card.why'))}：{md_escape(why)}")
        st.caption(f"{md_escape(t('map.card.source'))}：{md_escape(zone.source)}")
