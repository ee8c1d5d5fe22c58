/* 实验区地图 (Zone Atlas): draws the layers prepared by geo/packed_layers.py, and the 南海诸岛 inset.
 *
 * Runs inside the streamlit-folium iframe after the vendored Leaflet; needs nothing from the network.
 * A layer spec is plain data (see geo/packed_layers.py): features whose rings are Encoded Polyline strings in
 * GeoJSON order (longitude first), plus how to draw them. Everything this file defines hangs off `atlas`.
 */
(function () {
  "use strict";

  // One ring or line → [[lng, lat], ...]: Google's Encoded Polyline scheme (zig-zag deltas in 5-bit chunks,
  // 0x20 = more chunks follow) written with ALPHABET (see geo/packed_layers.py for why not "chunk + 63").
  // Arithmetic instead of bit operations so that large values cannot overflow 32 bits.
  var ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-~";
  var INDEX = {};
  for (var k = 0; k < ALPHABET.length; k++) INDEX[ALPHABET.charCodeAt(k)] = k;

  function decode(text, factor) {
    var out = [], i = 0, x = 0, y = 0;
    while (i < text.length) {
      for (var axis = 0; axis < 2; axis++) {
        var result = 0, scale = 1, b;
        do {
          b = INDEX[text.charCodeAt(i++)];
          result += (b & 0x1f) * scale;
          scale *= 32;
        } while (b >= 0x20);
        var delta = result % 2 ? -(result + 1) / 2 : result / 2;
        if (axis === 0) x += delta; else y += delta;
      }
      out.push([x / factor, y / factor]);
    }
    return out;
  }

  function geometry(packed, factor) {
    var type = packed[0], c = packed[1];
    var ring = function (t) { return decode(t, factor); };
    var polygon = function (rings) { return rings.map(ring); };
    if (type === "Point") return {type: type, coordinates: c};
    if (type === "Polygon") return {type: type, coordinates: polygon(c)};
    if (type === "MultiPolygon") return {type: type, coordinates: c.map(polygon)};
    if (type === "LineString") return {type: type, coordinates: ring(c)};
    if (type === "MultiLineString") return {type: type, coordinates: c.map(ring)};
    throw new Error("atlas: unknown geometry " + type);
  }

  function pick(props, mapping) {
    var out = {};
    for (var option in mapping) {
      if (props[mapping[option]] !== undefined) out[option] = props[mapping[option]];
    }
    return out;
  }

  // A numbered badge for a zone: the number (theme or batch) reads without colour, in grayscale and print.
  function badge(spec, feature, latlng, interactive) {
    var p = feature.properties, size = spec.markSize[p.selected ? 1 : 0];
    var el = document.createElement("span");
    el.className = "atlas-mark" + (p.selected ? " atlas-mark-selected" : "");
    el.textContent = p.mark || "";
    el.style.background = p.color || "";
    el.style.color = p.ink || "";
    return L.marker(latlng, {
      icon: L.divIcon({html: el, className: "atlas-mark-icon", iconSize: [size, size]}),
      interactive: interactive, keyboard: false, zIndexOffset: p.selected ? 1000 : 0,
    });
  }

  var registry = {};
  // Every click stamps the clicked feature with a new serial number, so the `last_active_drawing` that
  // streamlit-folium reports (toGeoJSON of the clicked layer, read by its click handler, which Leaflet calls
  // after this earlier-registered one) differs each time: clicking the same zone again after closing its
  // card reaches the page. (Asking st_folium for `last_object_clicked_count` would too, but that also reruns
  // the page once whenever the map mounts, as its initial 0 differs from st_folium's default None.)
  var clickSerial = 0;

  function layer(parent, spec) {
    var factor = Math.pow(10, spec.precision);
    var features = spec.features.map(function (f) {
      return {type: "Feature", properties: f.p, geometry: geometry(f.g, factor)};
    });
    var style = function (feature) {
      var p = feature.properties;
      return Object.assign({}, spec.style || {}, pick(p, spec.styleFrom || {}),
                           p.selected ? spec.selected : null, p.dim ? spec.dim : null);
    };
    var interactive = spec.interactive !== false;
    var group = L.geoJSON({type: "FeatureCollection", features: features}, {
      style: style,
      interactive: interactive,
      pointToLayer: function (feature, latlng) {
        if (spec.marker === "mark") return badge(spec, feature, latlng, interactive);
        return L.circleMarker(latlng, Object.assign({radius: 1}, style(feature), {interactive: interactive}));
      },
      onEachFeature: function (feature, item) {
        if (interactive) item.on("click", function () { feature.properties.click = ++clickSerial; });
        if (spec.tooltip && interactive && feature.properties.tip) item.bindTooltip(feature.properties.tip, spec.tooltip);
        if (spec.highlight && interactive && item.setStyle) {
          item.on("mouseover", function () { item.setStyle(spec.highlight); });
          item.on("mouseout", function () { group.resetStyle(item); });
        }
      },
    });
    group.addTo(parent);
    if (spec.layer) registry[spec.layer] = group;
    return group;
  }

  // Replace the tooltip texts of a drawn layer's features, by feature key (e.g. zone counts per province).
  function setTips(name, tips) {
    var group = registry[name];
    if (!group) return;
    group.eachLayer(function (item) {
      var tip = tips[item.feature.properties.key];
      if (tip === undefined) return;
      item.feature.properties.tip = tip;
      if (item.getTooltip()) item.setTooltipContent(tip);
    });
  }

  // A framed, non-interactive second map in a corner of `map` showing `spec.bounds` with a label.
  function inset(map, spec) {
    var control = L.control({position: spec.position || "bottomright"});
    control.onAdd = function () {
      var box = L.DomUtil.create("div", "atlas-inset");
      box.style.position = "relative";
      box.style.width = spec.width + "px";
      box.style.height = spec.height + "px";
      box.setAttribute("role", "img");
      box.setAttribute("aria-label", spec.label);
      L.DomEvent.disableClickPropagation(box);  // a click here is not a click on the province behind it
      L.DomEvent.disableScrollPropagation(box);
      return box;
    };
    control.addTo(map);
    var box = control.getContainer();
    var holder = L.DomUtil.create("div", "atlas-inset-map", box);
    // Sized inline: the stylesheet may still be loading, and Leaflet measures the container right now.
    holder.style.cssText = "position:absolute;left:0;top:0;width:" + spec.width + "px;height:" + spec.height + "px";
    L.DomUtil.create("div", "atlas-inset-label", box).textContent = spec.label;
    var small = L.map(holder, {
      zoomControl: false, attributionControl: false, dragging: false, touchZoom: false, scrollWheelZoom: false,
      doubleClickZoom: false, boxZoom: false, keyboard: false, zoomSnap: 0, preferCanvas: true,
      fadeAnimation: false, zoomAnimation: false, markerZoomAnimation: false,
    });
    small.fitBounds(spec.bounds, {animate: false});
    spec.layers.forEach(function (s) { layer(small, s); });
    atlas.insetMap = small;
    return small;
  }

  window.atlas = {decode: decode, layer: layer, setTips: setTips, inset: inset, registry: registry, insetMap: null};
})();
