"""Zone numbers on a print map and the keyed list beside it, so a reader can tell which zone is which.

Numbers run by province (adcode order) then zone id, so one province's zones sit together in the list. Each
number is a badge placed by geo.printmap.labels next to its marker; zones too close to separate (two in
Shanghai, three in Chengdu, the Yangtze delta) get their badge further out with a leader line to the marker.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from datetime import date

import pandas as pd
from matplotlib.figure import Figure

from geo.printmap.fonts import sized
from loaders.i18n import text
from loaders.roster import statuses_today

# Badge offsets (points) tried in order: close rings first, then further out; past LEADER_FROM a leader is drawn.
RING_DISTANCES = (9, 15, 22, 30, 40, 52, 66)
RING_ANGLES = 16
LEADER_FROM = 0  # every badge has its leader: two zones on one spot (成都) still point to their own dot
KEY_WIDTH = 0.23  # figure fraction taken by the keyed list (and the 南海诸岛 inset below it) right of the map
KEY_PT = 7.5  # list type at A4; 2 columns at KEY_PT_DENSE past one column's rows
KEY_PT_DENSE = 6.5


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


def draw_key(fig: Figure, zones: pd.DataFrame, numbers: Mapping[str, int], box: tuple[float, float, float, float],
             day: date) -> None:
    """The keyed list in `box` (figure fractions x, y, w, h): "12  浙江省杭州市江干区", then a status tally as of
    `day` (loaders.roster.statuses_today, the words every page uses). Past two columns' rows the rest is counted."""
    x, y, w, h = box
    rows = sorted(((numbers[z], n) for z, n in zip(zones["zone_id"], zones["unit_name"], strict=True)
                   if z in numbers))
    fig_h_pt = fig.get_figheight() * 72
    fig.text(x, y + h, text("snapshot.key_title"), ha="left", va="top", fontproperties=sized(9), color="#1b1b1b")
    top = y + h - 16 / fig_h_pt
    statuses = Counter(statuses_today(zones, day)) if len(zones) else Counter()
    tally = text("snapshot.key_status", date=day.isoformat(),
                 items="；".join(f"{s} {n}" for s, n in statuses.items()))
    bottom = y + 30 / fig_h_pt
    size = KEY_PT
    per_col = int((top - bottom) * fig_h_pt / (size * 1.45))
    columns = 1
    if len(rows) > per_col:
        size, columns = KEY_PT_DENSE, 2
        per_col = int((top - bottom) * fig_h_pt / (size * 1.45))
    room = per_col * columns
    shown = rows if len(rows) <= room else rows[:room - 1]
    per_col = min(per_col, -(-len(shown) // columns))  # balanced columns
    col_w = w / columns
    for c in range(columns):
        chunk = shown[c * per_col:(c + 1) * per_col]
        if not chunk:
            continue
        lines = "\n".join(f"{n:>2}  {name}" for n, name in chunk)
        fig.text(x + c * col_w, top, lines, ha="left", va="top", fontproperties=sized(size), color="#1b1b1b",
                 linespacing=1.45, wrap=False)
    if len(shown) < len(rows):
        fig.text(x + (columns - 1) * col_w, bottom + 4 / fig_h_pt,
                 text("snapshot.key_more", n=len(rows) - len(shown)), ha="left", va="bottom",
                 fontproperties=sized(size), color="#555555")
    fig.text(x, y, tally, ha="left", va="bottom", fontproperties=sized(6.5), color="#444444", wrap=True)
