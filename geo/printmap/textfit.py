"""Text measured before it is drawn: widths in points, CJK wrapping to a width, tokens flowed into columns.

Widths come from the figure's own renderer (the CJK font file of geo.printmap.fonts), measured at one size and
scaled: glyph advance widths are linear in the point size.
"""

from __future__ import annotations

from dataclasses import dataclass

from matplotlib.figure import Figure

from geo.printmap.fonts import sized

MEASURE_PT = 10.0
# Wrap after these when a line must break (Chinese punctuation that ends a clause or a list item).
BREAK_AFTER = "、，；：,;: ）)"
# Never start a line (Chinese line-breaking rule): the character before it moves down with it.
NO_LINE_START = "、，；：。！？）)》」』,;:.!?"


def text_width_pt(fig: Figure, s: str, size: float) -> float:
    """Width in points of `s` set in the map font at `size` points."""
    renderer = fig.canvas.get_renderer()
    w, _, _ = renderer.get_text_width_height_descent(s, sized(MEASURE_PT), ismath=False)
    return w * 72 / fig.dpi * size / MEASURE_PT


def block_height_pt(fig: Figure, lines: list[str], size: float, linespacing: float) -> float:
    """Height in points of `lines` drawn as one text at `size` with `linespacing`, measured by matplotlib's own
    layout (a throw-away text artist), 0 for no lines."""
    if not lines:
        return 0.0
    t = fig.text(0, 0, "\n".join(lines), fontproperties=sized(size), linespacing=linespacing)
    height = t.get_window_extent(fig.canvas.get_renderer()).height
    t.remove()
    return height * 72 / fig.dpi


def wrap_to_width(fig: Figure, s: str, size: float, width_pt: float) -> list[str]:
    """Lines of `s` no wider than `width_pt` at `size`: breaks after punctuation where one lies in the last
    third of the line, else between any two characters (Chinese has no spaces). Existing newlines are kept."""
    out: list[str] = []
    for paragraph in s.split("\n"):
        line = ""
        for ch in paragraph:
            if line and text_width_pt(fig, line + ch, size) > width_pt:
                cut = max(line.rfind(p) for p in BREAK_AFTER)
                if ch in NO_LINE_START and len(line) > 1:
                    cut = len(line) - 2  # the last character goes down with the punctuation
                    while cut > 0 and line[cut + 1] in NO_LINE_START:  # "位）" + "，": 位 goes down too
                        cut -= 1
                if cut >= len(line) * 2 // 3:
                    out.append(line[:cut + 1])
                    line = line[cut + 1:].lstrip()
                else:
                    out.append(line)
                    line = ""
            line += ch
        out.append(line)
    return out


@dataclass(frozen=True)
class Placed:
    """A token at (x, y) in points from the flow box's top-left corner (y grows downward), in its column."""
    index: int
    x: float
    y: float
    column: int


def flow(widths: list[float], breaks_before: set[int], width_pt: float, columns: int, line_pt: float,
         gap_pt: float) -> tuple[list[Placed], float]:
    """Tokens of the given widths laid left to right and wrapped at `width_pt` per column; a token in
    `breaks_before` starts a new line; lines fill column 1, then 2, …, balanced. Returns the placements and the
    height used (points). A token wider than a column gets a line of its own (the caller picks columns wide
    enough)."""
    lines: list[list[tuple[int, float]]] = []
    current: list[tuple[int, float]] = []
    x = 0.0
    for i, w in enumerate(widths):
        if current and (i in breaks_before or x + w > width_pt):
            lines.append(current)
            current, x = [], 0.0
        current.append((i, x))
        x += w + gap_pt
    if current:
        lines.append(current)
    per_column = -(-len(lines) // columns) if lines else 0
    placed = [Placed(i, x, (n % per_column) * line_pt, n // per_column)
              for n, line in enumerate(lines) for i, x in line]
    return placed, per_column * line_pt
