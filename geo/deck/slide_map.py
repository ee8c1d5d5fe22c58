"""A briefing slide's map as a PNG sized for a projected screen, drawn by geo.printmap.render (same base map and inset).

The snapshot is drawn on a small page (6 in wide) so its map type comes out large relative to the map, then cropped
to the map frame: the slide carries its own title, legend (HTML, at slide type size) and source line.
"""

from __future__ import annotations

import io
from datetime import date

import geopandas as gpd
import numpy as np
from matplotlib.collections import PathCollection
from matplotlib.colors import to_rgba
from matplotlib.transforms import Bbox

from geo.deck.slides import CONTEXT_COLOR, MapSpec
from geo.printmap.render import render_map

WIDTH_IN = 6.0  # page width handed to the snapshot: type at 7–8.5 pt reads at ≈ 13–19 css px on a 1280 px screen
# Badge type: ≥ 20 css px when the map is drawn ≈ 0.6 × its PNG width (1280×720: ≈ 700 of 1160 px).
LABEL_PT = 12.5
DPI = 200  # ≈ 1160 × 700 px after the crop: sharp at 1920×1080 without upscaling, ≈ 180 KB


def slide_map_png(zones: gpd.GeoDataFrame, spec: MapSpec, *, width_in: float = WIDTH_IN, dpi: int = DPI) -> bytes:
    """The map of `spec` (zones looked up by id in `zones`), as PNG bytes of the map frame only."""
    view = zones.set_index("zone_id", drop=False).loc[list(spec.zone_ids)] if spec.zone_ids else zones.iloc[:0]
    fig = render_map(
        view, title="", province=spec.province, highlight_colors=dict(zip(spec.zone_ids, spec.colours, strict=True)),
        legend=[("", colour, hatch) for colour, hatch in spec.hatches], source_line="", date=date.today(),
        dpi=dpi, width_in=width_in, key=False, label_pt=LABEL_PT,
        labels=dict(zip(spec.zone_ids, spec.labels, strict=True)) if spec.labels else {},
    )
    main = next(ax for ax in fig.axes if ax.get_label() == "main")
    if main.get_legend() is not None:
        main.get_legend().remove()  # the slide shows the legend beside the map, at slide type size
    _emphasise_markers(main)
    box = main.get_position()  # figure fraction; the 南海诸岛 inset lies inside it
    w, h = fig.get_size_inches()
    crop = Bbox.from_extents(box.x0 * w, box.y0 * h, box.x1 * w, box.y1 * h)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, bbox_inches=crop, facecolor="white",
                metadata={"Software": "Zone Atlas"})
    return buffer.getvalue()


MARKER_SIZE = 70  # points² for the zones a slide is about (the print map's 16 suits paper, not a far wall)


def _emphasise_markers(ax) -> None:
    """Bigger markers for the slide's subject zones; zones shown only for context keep the small grey dot."""
    context = np.array(to_rgba(CONTEXT_COLOR))
    for coll in ax.collections:
        if not isinstance(coll, PathCollection) or coll.get_zorder() != 6 or not len(coll.get_offsets()):
            continue  # zone markers are the one scatter at zorder 6 (geo.printmap.render._draw_zones)
        faces = coll.get_facecolors()
        subject = ~np.all(np.isclose(faces, context, atol=0.01), axis=1)
        size = MARKER_SIZE if subject.sum() <= 12 else MARKER_SIZE / 2  # a national overview: 31 dots, less overlap
        coll.set_sizes(np.where(subject, size, 16.0))
        coll.set_linewidths(np.where(subject, 1.2, 0.6))
