"""Place names and number badges on a static map without letting them overlap each other, the markers or the edge.

Own code rather than adjustText (measured on the 90-zone national map, same badges and markers: adjustText 1.4.0
left 29 overlapping badge pairs, this placer 0; adjustText moves labels by repulsion and does not promise a free
spot, a greedy search over rings of candidate spots does when one exists). Candidates are scored in numbers (one
measured box per label, shifted), so hundreds of spots per label cost little; only the chosen spot becomes an artist.
"""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.font_manager import FontProperties
from matplotlib.text import Annotation, Text
from matplotlib.transforms import Bbox

# Offsets in points, tried in order: right, left, above, below, then further out (leader line drawn when far).
CANDIDATES = ((5, 0, "left", "center"), (-5, 0, "right", "center"), (0, 6, "center", "bottom"),
              (0, -6, "center", "top"), (6, 7, "left", "bottom"), (-6, 7, "right", "bottom"),
              (6, -7, "left", "top"), (-6, -7, "right", "top"), (14, 12, "left", "bottom"),
              (-14, 12, "right", "bottom"), (14, -12, "left", "top"), (-14, -12, "right", "top"),
              (0, 20, "center", "bottom"), (0, -20, "center", "top"))
# Names that belong at the centre of an area (province names): stay near it, never with a leader.
CENTRED = ((0, 0, "center", "center"), (0, 8, "center", "center"), (0, -8, "center", "center"),
           (12, 0, "center", "center"), (-12, 0, "center", "center"), (10, 8, "center", "center"),
           (-10, -8, "center", "center"))
MARKER_RADIUS_PT = 3.0
GAP_PT = 1.0  # clear space kept between two labels' boxes
LEADER_SAMPLES = 12  # points along a leader tested against other labels (a leader must not run under a badge)


def place_labels(ax: Axes, points: list[tuple[float, float, str]], font: FontProperties, *,
                 obstacles: list[tuple[float, float]] = (), boxes: list[Bbox] = (), candidates=CANDIDATES,
                 color: str = "#1b1b1b", boxed: bool = True, badge: bool = False, leader_from: float = 20,
                 crowded_first: bool = False, skip_colliding: bool = False) -> list:
    """Greedy placement: each label takes the first candidate spot (offsets in points, nearest first) that
    collides with nothing; if every spot collides the least-overlapping one is used, so no label is lost.

    `points` are (x, y, text) in data coordinates of `ax`; `obstacles` are data points (zone markers, a disc of
    MARKER_RADIUS_PT) and `boxes` display-space boxes (labels drawn earlier) to keep clear of. Labels go north to
    south, or with `crowded_first` those with most neighbours first (they need the near spots most). `badge`
    draws the label as a numbered disc; a label placed `leader_from` points or more from its point gets a leader
    line, which is kept from running under another label. With `skip_colliding` a label that finds no free
    spot is left out (context names such as province names; a zone's number is never left out). Returns the
    Text artists drawn (matplotlib Annotations).
    """
    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    pt = fig.dpi / 72
    r = MARKER_RADIUS_PT * pt
    frame = ax.get_window_extent(renderer)
    frame_ext = np.array([frame.x0, frame.y0, frame.x1, frame.y1])
    taken = [np.array(b.extents) for b in boxes]
    labels_taken: list[np.ndarray] = []
    for x, y in obstacles:
        dx, dy = ax.transData.transform((x, y))
        taken.append(np.array([dx - r, dy - r, dx + r, dy + r]))
    offsets = np.array([(ox, oy) for ox, oy, _, _ in candidates], dtype=float) * pt
    aligns = [(ha, va) for _, _, ha, va in candidates]
    anchors = {p: ax.transData.transform(p[:2]) for p in points}
    placed = []
    for x, y, name in _order(points, anchors, pt, crowded_first):
        anchor = anchors[(x, y, name)]
        shapes = _shapes(ax, name, (x, y), aligns, font, color, boxed, badge, renderer)
        cand = np.array([shapes[a] for a in aligns]) + np.tile(anchor + offsets, 2)  # C × (x0, y0, x1, y1)
        cost = _cost(cand, taken, frame_ext, GAP_PT * pt)
        far = np.abs(offsets).sum(axis=1) >= leader_from * pt
        if boxed and labels_taken:
            cost = cost + far * _leader_hits(anchor, cand, np.array(labels_taken))
        order = np.argsort(cost, kind="stable")  # candidates are nearest first: ties keep the nearer spot
        best = int(order[0])
        if skip_colliding and cost[best] > 0:
            continue
        ox, oy = candidates[best][:2]
        ha, va = aligns[best]
        t = _label(ax, name, (x, y), (ox, oy), ha, va, font, color, boxed, badge, leader_from)
        box = np.array(label_extent(t, renderer).extents)
        taken.append(box)
        labels_taken.append(box)
        placed.append(t)
    return placed


def _order(points, anchors, pt: float, crowded_first: bool):
    if not crowded_first or len(points) < 2:
        return sorted(points, key=lambda p: -p[1])
    xy = np.array([anchors[p] for p in points])
    near = (np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1)) < 40 * pt).sum(axis=1)
    return [points[i] for i in sorted(range(len(points)), key=lambda i: (-near[i], -points[i][1]))]


def _shapes(ax, name, xy, aligns, font, color, boxed, badge, renderer) -> dict[tuple[str, str], np.ndarray]:
    """Each alignment's box of this label relative to its anchor (display units), measured once per alignment."""
    out = {}
    for ha, va in dict.fromkeys(aligns):
        t = _label(ax, name, xy, (0, 0), ha, va, None if font is None else font, color, boxed, badge, 1e9)
        box = label_extent(t, renderer)
        ax_x, ax_y = ax.transData.transform(xy)
        out[(ha, va)] = np.array([box.x0 - ax_x, box.y0 - ax_y, box.x1 - ax_x, box.y1 - ax_y])
        t.remove()
    return out


def _cost(cand: np.ndarray, taken: list[np.ndarray], frame: np.ndarray, gap: float) -> np.ndarray:
    """Overlap area of each candidate box with the taken boxes (grown by `gap`), plus 4 × its area off the frame."""
    cost = np.zeros(len(cand))
    if taken:
        t = np.array(taken)
        w = np.minimum(cand[:, None, 2], t[None, :, 2] + gap) - np.maximum(cand[:, None, 0], t[None, :, 0] - gap)
        h = np.minimum(cand[:, None, 3], t[None, :, 3] + gap) - np.maximum(cand[:, None, 1], t[None, :, 1] - gap)
        cost += (np.clip(w, 0, None) * np.clip(h, 0, None)).sum(axis=1)
    area = (cand[:, 2] - cand[:, 0]) * (cand[:, 3] - cand[:, 1])
    w = np.minimum(cand[:, 2], frame[2]) - np.maximum(cand[:, 0], frame[0])
    h = np.minimum(cand[:, 3], frame[3]) - np.maximum(cand[:, 1], frame[1])
    inside = np.clip(w, 0, None) * np.clip(h, 0, None)
    return cost + (area - inside) * 4


def _leader_hits(anchor: np.ndarray, cand: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """For each candidate, a cost when the leader from `anchor` to its box centre runs under a placed label."""
    centres = np.column_stack([(cand[:, 0] + cand[:, 2]) / 2, (cand[:, 1] + cand[:, 3]) / 2])
    s = np.linspace(0.15, 0.85, LEADER_SAMPLES)[None, :, None]
    path = anchor[None, None, :] + (centres[:, None, :] - anchor[None, None, :]) * s  # C × S × 2
    px, py = path[..., 0][..., None], path[..., 1][..., None]
    inside = (px > labels[:, 0]) & (px < labels[:, 2]) & (py > labels[:, 1]) & (py < labels[:, 3])
    area = (cand[:, 2] - cand[:, 0]) * (cand[:, 3] - cand[:, 1])
    return inside.any(axis=2).sum(axis=1) * area  # as bad as sitting on a label once per crossed sample


def label_extent(t, renderer) -> Bbox:
    """Display box of a label including its halo or badge (a Text's own extent leaves the drawn box out), without
    its leader line (an Annotation's own extent takes the leader in)."""
    if isinstance(t, Annotation):
        t.update_positions(renderer)
    box = Text.get_window_extent(t, renderer)
    patch = t.get_bbox_patch()
    if patch is None:
        return box
    t.update_bbox_position_size(renderer)
    return Bbox.union([box, patch.get_window_extent(renderer)])


def _label(ax: Axes, name: str, xy, offset, ha: str, va: str, font: FontProperties, color: str, boxed: bool,
           badge: bool = False, leader_from: float = 20):
    far = boxed and abs(offset[0]) + abs(offset[1]) >= leader_from  # far from its point: a leader keeps it attached
    halo = {"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.75}
    if badge:
        halo = {"boxstyle": "round,pad=0.22,rounding_size=0.6", "facecolor": "white", "edgecolor": "#1b1b1b",
                "linewidth": 0.6}
    return ax.annotate(
        name, xy, xytext=offset, textcoords="offset points", ha=ha, va=va, fontproperties=font, color=color,
        zorder=9 if boxed else 7, bbox=halo if boxed else None,
        annotation_clip=False,
        arrowprops={"arrowstyle": "-", "color": "#333333" if badge else "#555555",
                    "linewidth": 0.6 if badge else 0.5, "shrinkA": 0, "shrinkB": 2}
        if far else None,
    )
