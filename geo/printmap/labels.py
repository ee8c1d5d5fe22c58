"""Place zone names on a static map without letting them overlap each other, the markers or the axes edge."""

from __future__ import annotations

from matplotlib.axes import Axes
from matplotlib.font_manager import FontProperties
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


def place_labels(ax: Axes, points: list[tuple[float, float, str]], font: FontProperties, *,
                 obstacles: list[tuple[float, float]] = (), boxes: list[Bbox] = (), candidates=CANDIDATES, color: str = "#1b1b1b",
                 boxed: bool = True, badge: bool = False, leader_from: float = 20) -> list:
    """Greedy placement, north to south: each label takes the first candidate spot that collides with nothing.

    `obstacles` are data points (zone markers) and `boxes` display-space boxes (labels drawn earlier) to keep
    clear of. Returns the Text artists; if every spot
    collides the least-overlapping one is used, so no label is lost. `badge` draws the label as a numbered disc
    (print maps' zone numbers); a label placed `leader_from` points or more from its point gets a leader line.
    """
    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    r = MARKER_RADIUS_PT * fig.dpi / 72
    frame = ax.get_window_extent(renderer)
    taken: list[Bbox] = list(boxes)
    for x, y in obstacles:
        dx, dy = ax.transData.transform((x, y))
        taken.append(Bbox.from_extents(dx - r, dy - r, dx + r, dy + r))
    placed = []
    for x, y, name in sorted(points, key=lambda p: -p[1]):
        best, best_box, best_cost = None, None, None
        for ox, oy, ha, va in candidates:
            t = _label(ax, name, (x, y), (ox, oy), ha, va, font, color, boxed, badge, leader_from)
            box = label_extent(t, renderer).expanded(1.06, 1.1)
            cost = sum(_overlap(box, other) for other in taken) + _outside(box, frame)
            if best_cost is None or cost < best_cost:
                if best is not None:
                    best.remove()
                best, best_box, best_cost = t, box, cost
            else:
                t.remove()
            if cost == 0:
                break
        taken.append(best_box)
        placed.append(best)
    return placed


def label_extent(t, renderer) -> Bbox:
    """Display box of a label including its halo or badge (a Text's own extent leaves the drawn box out)."""
    box = t.get_window_extent(renderer)
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


def _overlap(a: Bbox, b: Bbox) -> float:
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.y1, b.y1) - max(a.y0, b.y0)
    return w * h if w > 0 and h > 0 else 0.0


def _outside(box: Bbox, frame: Bbox) -> float:
    inside = _overlap(box, frame)
    return (box.width * box.height - inside) * 4  # leaving the map is worse than touching a neighbour label
