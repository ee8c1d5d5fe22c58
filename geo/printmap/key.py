"""Zone numbers on a print map and the keyed list beside or below it, so a reader can tell which zone is which.

Numbers run by province (adcode order) then zone id, so one province's zones sit together in the list. Each
number is a badge placed by geo.printmap.labels next to its marker; zones too close to separate (two in
Shanghai, three in Chengdu, the Yangtze delta) get their badge further out with a leader line to the marker.
The list names every numbered zone: it flows "浙江省 31 杭州市 32 杭州市江干区 …" into as many columns and as
large a type as its box holds (geo.printmap.textfit), never cut short.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import pandas as pd
from matplotlib.figure import Figure

from geo.printmap.fonts import sized
from geo.printmap.textfit import flow, text_width_pt, wrap_to_width
from loaders.i18n import text
from loaders.roster import statuses_today

# Badge offsets (points) tried in order: close rings first, then further out; past LEADER_FROM a leader is drawn.
RING_DISTANCES = (9, 15, 22, 30, 40, 52, 66, 82, 100, 120, 145)
RING_ANGLES = 24
LEADER_FROM = 0  # every badge has its leader: two zones on one spot (成都) still point to their own dot
KEY_WIDTH = 0.23  # figure fraction taken by the keyed list (and the 南海诸岛 inset below it) right of the map
KEY_PT = 7.5  # largest list type; smaller down to KEY_MIN_PT until every zone fits
KEY_MIN_PT = 5.5
LINE_SPACING = 1.4
PROVINCE_COLOR = "#6b6b6b"


def number_candidates() -> tuple[tuple[float, float, str, str], ...]:
    """(dx, dy, ha, va) offsets around a marker for a number badge, nearest first, every direction."""
    out = []
    for r in RING_DISTANCES:
        for i in range(RING_ANGLES):
            a = math.pi / 2 - 2 * math.pi * i / RING_ANGLES  # start above, go clockwise
            out.append((round(r * math.cos(a), 1), round(r * math.sin(a), 1), "center", "center"))
    return tuple(out)


def zone_numbers(zones: pd.DataFrame) -> dict[str, int]:
    """zone_id → 1, 2, … by province adcode, then zone id; zones without a province code come last."""
    order = zones.reset_index(drop=True)
    order = order.assign(_p=order["province_adcode"].fillna("999999")).sort_values(["_p", "zone_id"], kind="stable")
    return {z: i for i, z in enumerate(order["zone_id"], start=1)}


@dataclass(frozen=True)
class KeyEntry:
    """One token of the list: a province heading, or a numbered zone ("32 杭州市江干区", province left out)."""
    label: str
    zone_id: str | None = None


def key_entries(zones: pd.DataFrame, numbers: Mapping[str, int]) -> list[KeyEntry]:
    """The list's tokens in number order, a province heading before each province's first zone."""
    rows = sorted((numbers[r.zone_id], r) for r in zones.itertuples(index=False) if r.zone_id in numbers)
    out: list[KeyEntry] = []
    last = None
    for n, r in rows:
        province = str(r.province or "")
        name = str(r.unit_name)
        if province != last and province:
            out.append(KeyEntry(province))
            last = province
        short = name[len(province):] if province and name.startswith(province) and len(name) > len(province) else name
        out.append(KeyEntry(f"{n} {short}", r.zone_id))
    return out


@dataclass(frozen=True)
class KeyLayout:
    size: float
    columns: int
    height_pt: float  # the list without title and tally


def fit_key(fig: Figure, entries: list[KeyEntry], width_pt: float, height_pt: float | None,
            sizes=None, max_columns: int = 4) -> KeyLayout:
    """The largest type (KEY_PT down to KEY_MIN_PT by 0.25) and fewest columns in which every entry fits
    `width_pt` × `height_pt`; with `height_pt` None, the given size's height in one flow across the width.
    When nothing fits, the smallest type in the tallest-fitting column count (the caller's box is too small)."""
    base = [text_width_pt(fig, e.label, 10.0) for e in entries]
    sizes = sizes or [s / 4 for s in range(int(KEY_PT * 4), int(KEY_MIN_PT * 4) - 1, -1)]
    best = None
    for size in sizes:
        for columns in range(1, max_columns + 1):
            col_w = (width_pt - (columns - 1) * size * 1.5) / columns
            widths = [w * size / 10 for w in base]
            if max(widths, default=0) > col_w:
                continue
            _, h = _flow(entries, widths, col_w, columns, size)
            if height_pt is None or h <= height_pt:
                return KeyLayout(size, columns, h)
            if best is None or h < best.height_pt:
                best = KeyLayout(size, columns, h)
    return best or KeyLayout(sizes[-1], 1, 0.0)


def _flow(entries, widths, col_w, columns, size):
    breaks = {i for i, e in enumerate(entries) if e.zone_id is None and i}  # a province starts a line
    return flow(widths, breaks, col_w, columns, size * LINE_SPACING, size * 0.9)


def draw_key(fig: Figure, zones: pd.DataFrame, numbers: Mapping[str, int], box: tuple[float, float, float, float],
             day: date, *, title_pt: float = 9.0, tally_pt: float = 6.5, sizes=None) -> list:
    """The keyed list in `box` (figure fractions x, y, w, h): a title, every numbered zone (fit_key picks the
    type and columns), and a status tally as of `day` (loaders.roster.statuses_today, the words every page uses)
    at the bottom. Returns the list's Text artists (one per entry; zone entries carry gid "key:<zone_id>")."""
    x, y, w, h = box
    fig_w_pt, fig_h_pt = fig.get_figwidth() * 72, fig.get_figheight() * 72
    width_pt = w * fig_w_pt
    fig.text(x, y + h, text("snapshot.key_title"), ha="left", va="top", fontproperties=sized(title_pt),
             color="#1b1b1b")
    tally_lines = wrap_to_width(fig, _tally(zones, day), tally_pt, width_pt * TALLY_SLACK)
    fig.text(x, y, "\n".join(tally_lines), ha="left", va="bottom", fontproperties=sized(tally_pt), color="#444444",
             linespacing=1.3)
    top_pt = title_pt * 1.9
    room = h * fig_h_pt - top_pt - len(tally_lines) * tally_pt * 1.3 - 6
    entries = key_entries(zones, numbers)
    if not entries:
        return []
    layout = fit_key(fig, entries, width_pt, room, sizes)
    size = layout.size
    col_w = (width_pt - (layout.columns - 1) * size * 1.5) / layout.columns
    widths = [text_width_pt(fig, e.label, size) for e in entries]
    placed, _ = _flow(entries, widths, col_w, layout.columns, size)
    drawn = []
    for p in placed:
        e = entries[p.index]
        px = x + (p.column * (col_w + size * 1.5) + p.x) / fig_w_pt
        py = y + h - (top_pt + p.y) / fig_h_pt
        t = fig.text(px, py, e.label, ha="left", va="top", fontproperties=sized(size),
                     color="#1b1b1b" if e.zone_id else PROVINCE_COLOR, gid=f"key:{e.zone_id}" if e.zone_id else None)
        drawn.append(t)
    return drawn


def key_height_pt(fig: Figure, zones: pd.DataFrame, numbers: Mapping[str, int], width_pt: float, size: float,
                  day: date, title_pt: float, tally_pt: float) -> float:
    """Height (points) draw_key needs at `size` for a box `width_pt` wide: for a page that grows to its key."""
    entries = key_entries(zones, numbers)
    layout = fit_key(fig, entries, width_pt, None, sizes=[size]) if entries else KeyLayout(size, 1, 0.0)
    tally = len(wrap_to_width(fig, _tally(zones, day), tally_pt, width_pt * TALLY_SLACK))
    return title_pt * 1.9 + layout.height_pt + tally * tally_pt * 1.3 + 8


TALLY_SLACK = 0.95  # of the key's width: measured at 10 pt and set at 9, a line measured as just fitting ran off the page


def _tally(zones: pd.DataFrame, day: date) -> str:
    statuses = Counter(statuses_today(zones, day)) if len(zones) else Counter()
    return text("snapshot.key_status", date=day.isoformat(), n=len(zones),
                items="；".join(f"{s} {n}" for s, n in statuses.items()))

