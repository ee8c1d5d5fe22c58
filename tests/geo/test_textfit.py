"""Chinese line breaking for print maps (geo.printmap.textfit.wrap_to_width): no line starts with closing
punctuation, whatever width the footer happens to have. Real map font, real footer text of the 浙江省 map."""

from __future__ import annotations

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from geo.printmap.textfit import NO_LINE_START, text_width_pt, wrap_to_width

# the 半版 浙江省 map's footer line (a reviewer saw it broken as "…的单位" / "），图上未显示…")
FOOTER = ("另有 3 个实验区没有可绘制的县级边界（街道、镇、园区，或未能对应的单位），图上未显示：浙江省宁波市鄞州区百丈街道、"
          "浙江省宁波市北仑区新碶街道、浙江省宁波市宁海县力洋镇")


def test_no_line_starts_with_closing_punctuation_at_any_width():
    fig = Figure(figsize=(4.72, 5), dpi=100)
    FigureCanvasAgg(fig)
    for width in range(150, 400, 2):
        lines = wrap_to_width(fig, FOOTER, 9, width)
        assert "".join(lines).replace(" ", "") == FOOTER.replace(" ", ""), width  # nothing lost or repeated
        assert not [ln for ln in lines[1:] if ln[:1] in NO_LINE_START], (width, lines)
        assert all(text_width_pt(fig, ln, 9) <= width + 0.5 for ln in lines), width
