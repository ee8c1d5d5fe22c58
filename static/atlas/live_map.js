/* 实验区地图: the dashboard's map as a Streamlit components-v2 component (ui/maps.py, geo/live_map.py).
 *
 * Leaflet runs in the page itself: no iframe to boot. geo/live_map.py pastes atlas_map.js in front of this module.
 * Streamlit calls the default export when the component mounts and again, with the same parentElement, whenever
 * its data changes: the map is built once per base text (another province, tiles) and otherwise only the zone
 * group is swapped, so filters and the selected zone never rebuild the provinces, the inset or the view.
 * A click on a zone or a province is reported as the trigger value `click`, a fresh value every time (a serial
 * number), so clicking the same zone again after closing its card reaches the page too.
 * window.map is the map last built (what the browser tests and the benchmarks look at, as in the old iframe).
 */

const views = new WeakMap();  // parentElement → {holder, map, baseText, zonesText, zoneGroup, report}
let clicks = 0;

function leaflet(url) {
  if (window.L) return Promise.resolve(window.L);
  if (!window.__atlasLeaflet) {
    window.__atlasLeaflet = new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = url;
      script.onload = () => resolve(window.L);
      script.onerror = () => {
        window.__atlasLeaflet = null;
        reject(new Error("atlas: Leaflet did not load from " + url));
      };
      document.head.appendChild(script);
    });
  }
  return window.__atlasLeaflet;
}

function onClick(view) {
  return (event) => {
    const p = event.layer && event.layer.feature && event.layer.feature.properties;
    if (!p || !p.kind || !view.report) return;
    view.report("click", {type: "Feature", properties: {kind: p.kind, key: p.key, click: ++clicks}});
  };
}

function build(parent, data) {
  const base = JSON.parse(data.base);
  const holder = document.createElement("div");
  holder.className = "atlas-map";
  holder.style.cssText = "position:relative;width:100%;height:" + data.height + "px";
  parent.appendChild(holder);
  const map = L.map(holder, {
    center: [35.0, 105.0], zoom: 4, crs: L.CRS.EPSG3857, zoomControl: true, preferCanvas: true,
    attributionControl: !!base.tiles, zoomSnap: 0.25, zoomDelta: 0.5,
  });
  const view = {holder, map, baseText: data.base, zonesText: null, zoneGroup: null, report: null};
  if (base.tiles) L.tileLayer(base.tiles.url, {attribution: base.tiles.attribution}).addTo(map);
  if (map.attributionControl) map.attributionControl.setPrefix("Leaflet");  // no link out of the page
  const click = onClick(view);
  base.layers.forEach((spec) => atlas.layer(map, spec).on("click", click));
  if (base.taiwanNote) {
    const note = document.createElement("div");
    note.textContent = base.taiwanNote.text;
    L.circleMarker(base.taiwanNote.at, {radius: 1, opacity: 0, fillOpacity: 0, interactive: false})
      .bindTooltip(note, {permanent: true, direction: "right", className: "atlas-note"}).addTo(map);
  }
  if (base.inset) atlas.inset(map, base.inset);
  const fit = () => map.fitBounds(base.bounds, Object.assign(
    {animate: false}, base.padBottomRight ? {paddingBottomRight: base.padBottomRight} : {}));
  fit();
  // The column can change width without the window resizing (the layout settling, a scroll bar, the sidebar):
  // keep Leaflet's size right, and until the user has touched the map keep the whole extent fitted to the new
  // size (a fit made for the first width would leave the view off, e.g. the Taiwan note over the inset).
  let touched = false;
  for (const type of ["pointerdown", "wheel", "keydown", "touchstart"]) {
    holder.addEventListener(type, () => { touched = true; }, {passive: true, once: true});
  }
  view.resize = new ResizeObserver(() => {
    map.invalidateSize({pan: false});
    if (!touched) fit();
  });
  view.resize.observe(holder);
  view.click = click;
  return view;
}

function setZones(view, zonesText) {
  if (view.zonesText === zonesText) return;
  const zones = JSON.parse(zonesText);
  if (view.zoneGroup) view.map.removeLayer(view.zoneGroup);
  const group = L.featureGroup();
  zones.layers.forEach((spec) => atlas.layer(group, spec).on("click", view.click));
  group.addTo(view.map);
  atlas.setTips("province", zones.tips);
  view.zoneGroup = group;
  view.zonesText = zonesText;
}

function destroy(parent, view) {
  view.resize.disconnect();
  view.map.remove();
  view.holder.remove();
  views.delete(parent);
  if (window.map === view.map) window.map = null;
}

export default async function (component) {
  const {data, parentElement, setTriggerValue} = component;
  await leaflet(data.leaflet);
  let view = views.get(parentElement);
  if (view && view.baseText !== data.base) destroy(parentElement, view);
  view = views.get(parentElement);
  if (!view) {
    view = build(parentElement, data);
    views.set(parentElement, view);
  }
  view.report = setTriggerValue;
  setZones(view, data.zones);
  window.map = view.map;
  // Streamlit calls this when the component unmounts (and, if the data changed while this call was waiting for
  // Leaflet, right away: then the element is still in the page and the map stays).
  return () => {
    if (!parentElement.isConnected && views.get(parentElement) === view) destroy(parentElement, view);
  };
}
