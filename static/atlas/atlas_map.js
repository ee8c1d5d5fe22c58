/* 实验区地图 (Zone Atlas): draws the layers prepared by geo/webmap/packed_layers.py, and the 南海诸岛 inset.
 *
 * Runs inside the streamlit-folium iframe after the vendored Leaflet; needs nothing from the network.
 * A layer spec is plain data (see geo/webmap/packed_layers.py): features whose rings are Encoded Polyline strings in
 * GeoJSON order (longitude first), plus how to draw them. Everything this file defines hangs off `atlas`.
 */
(function () {
  "use strict";

  // One ring or line → [[lng, lat], ...]: Google's Encoded Polyline scheme (zig-zag deltas in 5-bit chunks,
  // 0x20 = more chunks follow) written with ALPHABET (see geo/webmap/packed_layers.py for why not "chunk + 63").
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

  // A place name (province, prefecture, county): text, never markup; not clickable; hidden by declutter()
  // where it would collide with a name of higher rank or a zone badge.
  function label(feature, latlng) {
    var el = document.createElement("span");
    el.className = "atlas-label atlas-label-" + (feature.properties.level || "province");
    el.textContent = feature.properties.name || "";
    return L.marker(latlng, {
      icon: L.divIcon({html: el, className: "atlas-label-icon", iconSize: null}),
      interactive: false, keyboard: false, pane: "atlasLabels", rank: feature.properties.rank || 0,
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
        if (spec.marker === "label") return label(feature, latlng);
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
    if (spec.marker === "label" && !parent.getPane("atlasLabels")) {  // labels are drawn into the map itself
      var pane = parent.createPane("atlasLabels");
      pane.style.zIndex = 450;  // over the shapes, under the zone badges
      pane.style.pointerEvents = "none";
    }
    if (spec.marker === "mark" && parent.zoomToShowLayer) {  // the open zone's badge, shown where it is clustered
      group.eachLayer(function (m) { if (m.feature.properties.selected) reveal(parent, m); });
    }
    if (spec.fitOnly === false) {
      hiddenAtFit.push(group);  // drawn only once the user zooms in (see view())
    } else {
      group.addTo(parent);
    }
    if (spec.layer) registry[spec.layer] = group;
    return group;
  }

  var hiddenAtFit = [];

  // The open zone's badge where it is clustered (a row of the zone list, the picker or a search opened it; or the
  // URL): once the map is where st_folium puts it — st_folium moves the map right after it adds the zone group, in
  // the same task — and at rest, the cluster plugin zooms in or spreads the cluster until the badge shows
  // (zoomToShowLayer). Once per zone group: the user may zoom out again.
  var REVEAL_WAIT = 50, REVEAL_TRIES = 100;  // ms between looks while the map is still zooming, and how many
  function reveal(group, marker, tries) {
    tries = tries || 0;
    var wait = function () { setTimeout(function () { reveal(group, marker, tries + 1); }, REVEAL_WAIT); };
    if (!tries) { L.Util.requestAnimFrame(wait); return; }
    var map = group._map;
    if (!map || !group.hasLayer(marker)) return;  // this zone group was replaced meanwhile
    var busy = map._animatingZoom || group._inZoomAnimation || (map._panAnim && map._panAnim._inProgress);
    if (busy && tries < REVEAL_TRIES) { wait(); return; }
    if (!(marker._icon && map.getBounds().contains(marker.getLatLng()))) group.zoomToShowLayer(marker);
  }

  // --- Leaflet.markercluster, for the zone badges (geo/webmap/packed_layers.py ZoneCluster) ---------------------
  // Two changes to how the plugin places things, both scoped to groups created with the option `atlas: true`.
  //
  // 1. Where a ring is drawn. The plugin groups badges per zoom level around a first badge (its grid point,
  // `_cLatLng`): every badge or group drawn at that level lies more than maxClusterRadius px from every other's
  // grid point. But it draws the ring at the mean of its badges (`_recalculateBounds`, since
  // Leaflet/Leaflet.markercluster#30), and two means can come closer than a ring is wide (issue 15: two 26-px
  // rings 23.6 px apart at 1280). Drawn at its grid point, no two marks come closer than maxClusterRadius px at
  // their level. There is no option for it; the maintainers point at _recalculateBounds for this
  // (Leaflet/Leaflet.markercluster#442). `_wLatLng`, the mean the plugin also uses for parents, stays as it is.
  //
  // 2. Where a click on a ring zooms to. The plugin's zoomToBounds fits the group's bounds to the map's very edge,
  // so a badge at a corner landed under the zoom buttons (issue 15: 齐齐哈尔市龙沙区); its documented
  // zoomToBounds({padding}) can stop at a fractional zoom that rounds to the ring's own level, where the ring
  // stays whole. openCluster keeps the badges in the map minus the controls' room and always splits the ring.
  function atlasGroup(cluster) {
    return cluster._group && cluster._group.options.atlas;
  }

  if (L.MarkerCluster) {
    var meanPosition = L.MarkerCluster.prototype._recalculateBounds;
    var pluginZoomToBounds = L.MarkerCluster.prototype.zoomToBounds;
    L.MarkerCluster.include({
      _recalculateBounds: function () {
        meanPosition.call(this);
        if (this._cLatLng && atlasGroup(this)) this._latlng = L.latLng(this._cLatLng.lat, this._cLatLng.lng);
      },
      zoomToBounds: function (fitBoundsOptions) {
        if (!atlasGroup(this)) return pluginZoomToBounds.call(this, fitBoundsOptions);
        openCluster(this);
      },
    });
  }

  // The room (px) a cluster's badges keep from the map's edges once it is opened: clear of the zoom buttons at the
  // top left (measured: their right edge plus half a ring and a gap), and of the edges elsewhere.
  var EDGE_ROOM = 24;
  function controlRoom(map) {
    var left = EDGE_ROOM, box = map.getContainer().getBoundingClientRect();
    map.getContainer().querySelectorAll(".leaflet-top.leaflet-left .leaflet-control").forEach(function (el) {
      var r = el.getBoundingClientRect();
      if (r.width) left = Math.max(left, r.right - box.left + EDGE_ROOM);
    });
    return {topLeft: L.point(left, EDGE_ROOM), bottomRight: L.point(EDGE_ROOM, EDGE_ROOM)};
  }

  // Zoom in on a cluster: to the zoom where all its badges stand apart (the plugin's own rule), or less where they
  // would not fit in the room left by controlRoom; at least one level deeper than the ring, so it always splits.
  function openCluster(cluster) {
    var map = cluster._group._map, bounds = cluster.getBounds(), room = controlRoom(map);
    var fit = map.getBoundsZoom(bounds, false, room.topLeft.add(room.bottomRight));
    var apart = cluster._zoom + 1, children = cluster._childClusters;
    while (children.length && apart < fit) {
      apart++;
      children = [].concat.apply([], children.map(function (c) { return c._childClusters; }));
    }
    var snap = map.options.zoomSnap || 1;
    var zoom = Math.floor(Math.min(fit, apart) / snap) * snap;
    zoom = Math.min(Math.max(zoom, cluster._zoom + 1), map.getMaxZoom());
    // centred in the room, as Leaflet's fitBounds does with paddingTopLeft/paddingBottomRight
    var middle = map.project(bounds.getSouthWest(), zoom).add(map.project(bounds.getNorthEast(), zoom)).divideBy(2);
    map.setView(map.unproject(middle.add(room.bottomRight.subtract(room.topLeft).divideBy(2)), zoom), zoom);
  }

  function overlaps(a, b) {
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  }

  // Place names: in rank order, each shown where it collides with no name already shown and no zone badge or
  // cluster; else tried just above and below; else hidden (it comes back when zooming in gives it room).
  var SHIFTS = [0, -14, 14];
  function declutter(map) {
    var labels = [];
    Object.keys(registry).forEach(function (name) {
      var g = registry[name];
      if (!g._map || g._map !== map) return;
      g.eachLayer(function (m) { if (m.options.rank !== undefined && m._icon) labels.push(m); });
    });
    labels.sort(function (a, b) { return b.options.rank - a.options.rank; });
    var taken = [];
    var box = map.getContainer().getBoundingClientRect();
    map.getContainer().querySelectorAll(".atlas-mark, .marker-cluster, .leaflet-control-zoom")
      .forEach(function (el) { taken.push(el.getBoundingClientRect()); });
    var inset = map.getContainer().querySelector(".atlas-inset");
    if (inset && inset.style.visibility !== "hidden") taken.push(inset.getBoundingClientRect());
    labels.forEach(function (m) {
      var icon = m._icon, text = icon.firstChild;
      icon.style.visibility = "";
      text.style.transform = "";
      var base = text.getBoundingClientRect();
      for (var i = 0; i < SHIFTS.length; i++) {
        var r = {left: base.left, right: base.right, top: base.top + SHIFTS[i], bottom: base.bottom + SHIFTS[i]};
        var inside = r.left >= box.left && r.right <= box.right && r.top >= box.top && r.bottom <= box.bottom;
        if (inside && !taken.some(function (t) { return overlaps(r, t); })) {
          if (SHIFTS[i]) text.style.transform = "translate(-50%, calc(-50% + " + SHIFTS[i] + "px))";
          taken.push(r);
          return;
        }
      }
      icon.style.visibility = "hidden";
    });
  }

  // The view's bounds, the zoom it opens at, and what depends on zooming in: pan and zoom stay near the
  // country (no empty map after a wheel gesture), layers marked fitOnly:false appear only once zoomed in, the
  // inset hides when zoomed in or when a zone badge would sit under it, and place names are decluttered.
  function view(map, spec) {
    // The zoom that fits the view now: the map's box can change size after the first fit (st_folium sizes its
    // frame), so "zoomed in" is measured against the fit for the current size, not against the first zoom.
    var fitBounds = L.latLngBounds(spec.bounds);
    var fitZoom = function () {
      return map.getBoundsZoom(fitBounds, false, L.point(spec.padBottomRight || [0, 0]));
    };
    map.setMaxZoom(spec.maxZoom);
    map.setMaxBounds(L.latLngBounds(spec.maxBounds));
    map.options.maxBoundsViscosity = 1.0;
    var update = function () {
      var fit = fitZoom();
      // A whole number: Leaflet.markercluster builds its cluster levels from floor(minZoom) but compares with
      // getMinZoom() itself, and with a fractional minimum it lost lone badges after a zoom out.
      map.setMinZoom(Math.max(Math.floor(fit) - 1, 1));
      var zoomed = map.getZoom() > fit + 0.1;
      hiddenAtFit.forEach(function (g) {
        if (zoomed && !map.hasLayer(g)) g.addTo(map);
        if (!zoomed && map.hasLayer(g)) map.removeLayer(g);
      });
      var inset = map.getContainer().querySelector(".atlas-inset");
      if (inset) {
        // visibility, not display: the inset's own map keeps its size (a map fitted at size 0 stays blank)
        var r = inset.getBoundingClientRect(), covered = false;
        map.getContainer().querySelectorAll(".atlas-mark, .marker-cluster").forEach(function (el) {
          if (overlaps(el.getBoundingClientRect(), r)) covered = true;
        });
        inset.style.visibility = zoomed || covered ? "hidden" : "";
      }
      declutter(map);
    };
    var queued = false;
    var later = function () {
      if (queued) return;
      queued = true;
      L.Util.requestAnimFrame(function () { queued = false; update(); });
    };
    map.on("zoomend moveend layeradd resize", later);
    map.whenReady(later);
    return map;
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

  window.atlas = {decode: decode, layer: layer, setTips: setTips, inset: inset, view: view, declutter: declutter,
                  registry: registry, insetMap: null};
})();
