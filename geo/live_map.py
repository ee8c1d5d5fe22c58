"""The dashboard's live map as plain data for its Streamlit component (ui.maps.live_map), plus that component's
script and stylesheet: Leaflet runs in the page itself (components v2, no iframe) and draws the layers prepared
by geo.folium_map / geo.packed_layers with static/atlas/atlas_map.js.

A run hands the component `map_data(...)`: the base (provinces, counties, maritime line, inset, Taiwan note,
bounds, tiles) and the zones (zone layers, province tooltips), each as one JSON text. The component
(static/atlas/live_map.js) builds the map when the base text differs from the one it drew and otherwise only
swaps the zone group — what st_folium's feature_group_to_add did. Everything it loads comes from /app/static.
"""

from __future__ import annotations

import html
from functools import lru_cache

from geo.folium_map import NATIONAL_BOTTOM_ROOM, TAIWAN_NOTE_AT, BaseLayers, ZoneLayers
from geo.offline import LOCAL_ASSETS, LOCAL_PREFIX, STATIC_DIR, stylesheet_text
from geo.packed_layers import ATLAS_CSS, atlas_library, dumps
from loaders.i18n import text

COMPONENT_JS = STATIC_DIR / "atlas" / "live_map.js"
LEAFLET_JS = f"{LOCAL_PREFIX}/{LOCAL_ASSETS['leaflet']}"
LEAFLET_CSS = f"{LOCAL_PREFIX}/{LOCAL_ASSETS['leaflet_css']}"
# What folium's map page set around the map (the iframe's root font size for tooltips and controls).
_MAP_CSS = ".atlas-map.leaflet-container { font-size: 1rem; }"


def base_text(base: BaseLayers, *, tile_url: str | None = None, tile_attribution: str | None = None) -> str:
    """JSON of everything under the zones: the prepared layer texts are pasted, not parsed again."""
    if tile_url and not tile_attribution:
        raise ValueError("a tile server needs an attribution (tile_attribution)")
    head = dumps({
        "bounds": [list(base.bounds[0]), list(base.bounds[1])],
        "padBottomRight": [0, NATIONAL_BOTTOM_ROOM] if base.inset else None,
        "taiwanNote": {"at": list(TAIWAN_NOTE_AT), "text": text("common.taiwan_no_data")} if base.taiwan_note else None,
        # Leaflet writes the attribution as HTML: it comes from the server's environment, and is shown as text.
        "tiles": {"url": tile_url, "attribution": html.escape(tile_attribution)} if tile_url else None,
    })
    return head[:-1] + ', "layers": [' + ", ".join(base.layers) + '], "inset": ' + (base.inset or "null") + "}"


def zones_text(zones: ZoneLayers) -> str:
    """JSON of the zone group: zone layers and the province tooltips that count the zones in view."""
    return '{"layers": [' + ", ".join(zones.layers) + '], "tips": ' + dumps(dict(zones.province_tips)) + "}"


def map_data(base: BaseLayers, zones: ZoneLayers, height: int, *, tile_url: str | None = None,
             tile_attribution: str | None = None) -> dict[str, object]:
    """The component's data for one run (plain JSON-able values)."""
    return {"leaflet": LEAFLET_JS, "height": height,
            "base": base_text(base, tile_url=tile_url, tile_attribution=tile_attribution),
            "zones": zones_text(zones)}


@lru_cache(maxsize=1)
def component_js() -> str:
    """atlas_map.js (defines window.atlas) followed by the component module (its default export)."""
    return atlas_library() + "\n" + COMPONENT_JS.read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def component_css() -> str:
    """Leaflet's stylesheet and ours, pasted (no request before the first paint); url()s point at /app/static."""
    return "\n".join([stylesheet_text(LEAFLET_CSS), stylesheet_text(ATLAS_CSS[1]), _MAP_CSS])
