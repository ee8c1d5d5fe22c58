"""Leaflet's own control texts in the user's language: the zoom buttons' "Zoom in"/"Zoom out" tooltips."""

from __future__ import annotations

from branca.element import MacroElement
from folium.template import Template

from loaders.i18n import text


class ZoomControlTitles(MacroElement):
    """Replaces the map's zoom control with one whose button titles (tooltip and accessible name) come from
    data/i18n (map.zoom_in / map.zoom_out). Leaflet takes the titles only as L.Control.Zoom options and folium
    passes none (folium.Map's zoom_control is True or a position), so the control is rebuilt at the same position
    through Leaflet's public API: removeControl, L.control.zoom(options)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function (map) {
            if (!map.zoomControl) return;
            const position = map.zoomControl.getPosition();
            map.removeControl(map.zoomControl);
            map.zoomControl = L.control.zoom({position: position, zoomInTitle: {{ this.zoom_in|tojson }},
                                              zoomOutTitle: {{ this.zoom_out|tojson }}}).addTo(map);
        })({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self):
        super().__init__()
        self._name = "ZoomControlTitles"
        self.zoom_in = text("map.zoom_in")
        self.zoom_out = text("map.zoom_out")
