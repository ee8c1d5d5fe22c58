"""Briefing mode pieces: slide HTML (every piece of roster text escaped), the page's CSS and the keyboard script.

Type sizes follow the window height (vh) so a slide fills 720p and 1080p projectors alike, with floors of 40 px for
titles and 20 px for everything else. The CSS hides Streamlit's chrome and sidebar; it is injected by the briefing
page only, so the other pages keep theirs.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping

from geo.deck.slide_map import labels_of
from geo.deck.slides import Deck, LegendItem, Slide, ZoneItem
from geo.stats.counts import count_label
from ui.text import h, t

CONTROLS_KEY = "zb_controls"
HIDDEN_KEY = "zb_hidden"

CSS = """
<style>
[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stStatusWidget"],
[data-testid="stSidebar"], [data-testid="stExpandSidebarButton"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stDecoration"], [data-testid="stAppDeployButton"] { display: none !important; }
[data-testid="stMain"] { overflow: hidden; }
[data-testid="stMainBlockContainer"] { padding: 14px 28px 0 28px !important; max-width: none !important; }
[data-testid="stMainBlockContainer"] > [data-testid="stVerticalBlock"] { gap: 10px; }
.st-key-zb_hidden, [data-testid="stLayoutWrapper"]:has(> .st-key-zb_hidden) { display: none !important; }
:root {
  /* sized to the 16:9 box the window holds (vh, or vw × 9/16 on a window taller than 16:9: at 1280×800 type
     sized by height alone outgrew the panel's width and cut a zone slide's tags), floors for 4:3 */
  --zb-title: clamp(40px, min(6.2vh, 3.49vw), 84px);
  --zb-sub: clamp(22px, min(3.3vh, 1.86vw), 44px);
  --zb-text: clamp(20px, min(3.05vh, 1.72vw), 40px);
  --zb-small: clamp(20px, min(2.8vh, 1.575vw), 36px);
  --zb-big: clamp(40px, min(7.2vh, 4.05vw), 96px);
  --zb-ink: #111111;
  --zb-muted: #3d3d3d;
  --zb-accent: #b3261e;
  --zb-controls: clamp(74px, 9vh, 104px);
  --zb-control-text: clamp(20px, 2.5vh, 28px);
}
.zb-slide { height: calc(100vh - 14px - 10px - var(--zb-controls)); display: grid;
  grid-template-rows: auto minmax(0, 1fr) auto; gap: 1.2vh; color: var(--zb-ink); background: #ffffff;
  font-family: "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif; }
.zb-slide :where(p, li, b, small, span, dt, dd, ul, dl, section, h2, i) { font-size: inherit; line-height: inherit;
  font-family: inherit; margin: 0; padding: 0; }
.zb-head { border-bottom: 4px solid var(--zb-accent); padding-bottom: 0.8vh; display: flex; align-items: baseline;
  flex-wrap: wrap; gap: 0 2vw; min-width: 0; }
/* A name longer than the slide (imported data can hold anything) wraps anywhere and the subtitle moves below it,
   instead of squeezing the subtitle into a one-character column. */
.zb-slide h1.zb-title { font-size: var(--zb-title); line-height: 1.15; font-weight: 700; margin: 0; padding: 0;
  color: var(--zb-ink); min-width: 0; max-width: 100%; overflow-wrap: anywhere; }
.zb-subtitle { font-size: var(--zb-sub); color: var(--zb-muted); margin: 0; line-height: 1.3; min-width: 0;
  flex: 1 1 14em; overflow-wrap: anywhere; }
.zb-body { display: grid; grid-template-columns: minmax(0, 1fr) clamp(380px, 33vw, 820px); gap: 2vw; min-height: 0; }
.zb-body.zb-nomap { grid-template-columns: minmax(0, 1fr); }
/* 4:3 projectors (1024×768): the window is taller for its width, so the side panel takes more width and the map,
   which scales, the rest: half the width keeps a list row's 20-character detail (ROW_DETAIL) on one line at
   20 px, so five rows, the theme's description and the "另有 N 个" line fit the panel's height. */
@media (max-aspect-ratio: 4/3) { .zb-body { grid-template-columns: minmax(0, 1fr) 50vw; } }
.zb-map { margin: 0; min-height: 0; display: flex; flex-direction: column; gap: 0.8vh; }
.zb-map img.zb-tall { display: none; }
@media (max-aspect-ratio: 4/3) { .zb-map img.zb-wide { display: none; } .zb-map img.zb-tall { display: block; } }
.zb-map img { flex: 0 1 auto; min-height: 0; width: 100%; object-fit: contain; object-position: left top; }
.zb-legend { display: flex; flex-wrap: wrap; gap: 0.4vh 1.6vw; font-size: var(--zb-small); line-height: 1.3;
  color: var(--zb-ink); }
.zb-legend span, .zb-tags span { display: inline-flex; align-items: center; gap: 0.5em; white-space: nowrap; }
/* …except a label wider than the whole legend (临夏回族自治州积石山保安族东乡族撒拉族自治县 beside a 4:3 map),
   which wraps inside its item rather than run past the map. */
.zb-legend span { max-width: 100%; white-space: normal; overflow-wrap: anywhere; }
.zb-sw { width: 0.9em; height: 0.9em; border: 1px solid #222; display: inline-block; flex: none; }
.zb-panel { min-height: 0; overflow: hidden; display: flex; flex-direction: column; gap: 1.6vh;
  font-size: var(--zb-text); line-height: 1.4; overflow-wrap: anywhere; }
.zb-panel h2 { font-size: var(--zb-sub); font-weight: 700; margin: 0; padding: 0; line-height: 1.3; color: var(--zb-ink); }
.zb-panel p { margin: 0; }
.zb-figures { display: grid; grid-template-columns: repeat(3, 1fr); gap: 1vw; }
.zb-figure { border-left: 6px solid var(--zb-accent); padding-left: 0.6vw; }
.zb-figure b { display: block; font-size: var(--zb-big); line-height: 1.05; font-weight: 700; }
.zb-figure span { font-size: var(--zb-small); color: var(--zb-muted); }
.zb-tally { display: grid; grid-template-columns: auto minmax(0, 1fr) auto; gap: 0.5vh 0.8vw; align-items: center;
  font-size: var(--zb-small); line-height: 1.25; }
.zb-bar { height: 0.8em; background: #555; min-width: 4px; }
.zb-note, .zb-more { font-size: var(--zb-small); color: var(--zb-muted); }
.zb-slide ul.zb-rows, .zb-slide dl.zb-facts { padding-left: 0; margin: 0; }
.zb-rows { display: flex; flex-direction: column; gap: 1.1vh; list-style: none; margin: 0; padding: 0; }
.zb-rows li { display: grid; grid-template-columns: auto minmax(0, 1fr); column-gap: 0.7vw; margin: 0; }
.zb-rows li .zb-sw { margin-top: 0.35em; }
.zb-num { font-style: normal; font-weight: 700; min-width: 1.5em; height: 1.5em; border: 3px solid #222;
  border-radius: 0.75em; display: inline-flex; align-items: center; justify-content: center; font-size: var(--zb-small);
  background: #ffffff; }
.zb-rows b { font-weight: 700; }
.zb-slide .zb-rows small { grid-column: 2; font-size: var(--zb-small); color: var(--zb-muted); line-height: 1.3;
  white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }  /* one line: at 1280×800 two-line details pushed 另有 N 个 out of the panel */
.zb-quote { font-size: var(--zb-sub); font-weight: 700; line-height: 1.35; border-left: 6px solid var(--zb-accent);
  padding-left: 0.8vw; }
.zb-label { font-size: var(--zb-small); color: var(--zb-muted); font-weight: 700; display: block; }
.zb-facts { display: grid; grid-template-columns: auto 1fr; gap: 0.3vh 1vw; font-size: var(--zb-small); }
.zb-facts dt { color: var(--zb-muted); } .zb-facts dd { margin: 0; font-weight: 700; }
.zb-tags { display: flex; flex-wrap: wrap; gap: 0.6vh 1.2vw; font-size: var(--zb-small); }
.zb-foot { display: flex; justify-content: space-between; gap: 2vw; font-size: var(--zb-small); color: var(--zb-muted);
  line-height: 1.3; border-top: 1px solid #cfcfcf; padding-top: 0.6vh; }
.zb-foot span { min-width: 0; }
/* The page number keeps its width (第 100/129 页 is wider than 第 1/31 页 was); the source line wraps instead. */
.zb-page { flex: none; white-space: nowrap; font-weight: 700; color: var(--zb-ink); }
.st-key-zb_controls { height: calc(var(--zb-controls) - 14px); align-items: center; opacity: 0;
  transition: opacity 0.4s; }
/* Controls show while the mouse moves (and while one of them has focus); a clicker or keyboard needs none. */
html.zb-pointer .st-key-zb_controls, .st-key-zb_controls:focus-within, .st-key-zb_controls:hover { opacity: 1; }
.st-key-zb_controls p, .st-key-zb_controls button, .st-key-zb_controls a, .st-key-zb_controls label,
.st-key-zb_controls span { font-size: var(--zb-control-text) !important; line-height: 1.4; }
.st-key-zb_controls button { min-height: 0; padding: 0.15em 0.8em; }
.st-key-zb_controls [data-testid="stMarkdownContainer"] p { margin: 0; white-space: nowrap; }
.st-key-zb_counter { min-width: 5.5em; text-align: center; }
</style>
"""

# Next/previous from the keyboard and from presentation clickers (they send PageDown/PageUp). Runs in the page
# itself (st.html with JavaScript, no iframe); a window flag keeps it to one listener however often it reruns. It
# clicks the on-screen buttons, so keys and clicks take the same path. Keys typed into a text field stay there.
KEYS_JS = """
<script>
(() => {
  if (window.__zoneAtlasBriefingKeys) return;
  window.__zoneAtlasBriefingKeys = true;
  const ACTIONS = {ArrowRight: "next", PageDown: "next", " ": "next", ArrowLeft: "prev", PageUp: "prev",
                   Home: "first", End: "last"};
  const NOT_TEXT = new Set(["checkbox", "radio", "button", "submit", "reset", "range", "color", "file"]);
  const typing = (el) => !!el && (el.isContentEditable || el.tagName === "TEXTAREA" || el.tagName === "SELECT"
    || (el.tagName === "INPUT" && !NOT_TEXT.has(el.type)) || el.getAttribute("role") === "combobox");
  let idle = null;
  document.addEventListener("mousemove", () => {
    document.documentElement.classList.add("zb-pointer");
    clearTimeout(idle);
    idle = setTimeout(() => document.documentElement.classList.remove("zb-pointer"), 2500);
  }, {passive: true});
  document.addEventListener("keydown", (event) => {
    let action = ACTIONS[event.key];
    if (!action || event.altKey || event.ctrlKey || event.metaKey || event.repeat) return;
    if (typing(event.target) || typing(document.activeElement)) return;
    if (event.key === " " && event.shiftKey) action = "prev";
    if (event.key === " " && event.target.closest && event.target.closest("button, a, label, [role=button]")) return;
    const button = document.querySelector(`.st-key-zb_${action} button`);
    if (!button || button.disabled) return;  // another page of the app is showing
    event.preventDefault();
    event.stopPropagation();  // handled here only (a focused radio group also listens for arrow keys)
    button.click();
  }, true);
})();
</script>
"""


def _swatch(colour: str) -> str:
    return f'<i class="zb-sw" style="background:{h(colour)}"></i>'


def _badge(z: ZoneItem) -> str:
    """The row's number as on the map's badge, or its colour swatch where the map has no badge."""
    if not z.number:
        return _swatch(z.colour)
    return f'<i class="zb-num" style="border-color:{h(z.colour)}">{h(z.number)}</i>'


def _legend(items: tuple[LegendItem, ...]) -> str:
    if not items:
        return ""
    parts = []
    for item in items:
        parts.append(f"<span>{_swatch(item.colour)}{h(count_label(item.label, item.count))}</span>")
    return f'<div class="zb-legend">{"".join(parts)}</div>'


def _rows(items: tuple[ZoneItem, ...]) -> str:
    rows = "".join(
        f'<li data-zone="{h(z.zone_id)}">{_badge(z)}<b>{h(z.name)}</b><small>{h(z.detail)}</small></li>'
        for z in items
    )
    return f'<ul class="zb-rows">{rows}</ul>'


def _overview_panel(slide: Slide) -> str:
    figures = "".join(f'<div class="zb-figure"><b>{h(v)}</b><span>{h(k)}</span></div>' for k, v in slide.figures)
    out = [f'<div class="zb-figures">{figures}</div>']
    for group in slide.tallies:
        top = max((item.count for item in group.items), default=1) or 1
        cells = "".join(
            f'<span>{h(item.label)}</span>'
            f'<i class="zb-bar" style="width:{100 * item.count / top:.0f}%;background:{h(item.colour or "#555555")}"></i>'
            f'<b>{item.count}</b>'
            for item in group.items
        )
        note = f'<p class="zb-note">{h(group.note)}</p>' if group.note else ""
        out.append(f'<section><h2>{h(group.heading)}</h2><div class="zb-tally">{cells}</div>{note}</section>')
    return "".join(out)


def _zone_panel(slide: Slide) -> str:
    facts = "".join(f"<dt>{h(k)}</dt><dd>{h(v)}</dd>" for k, v in slide.facts)
    tags = "".join(f"<span>{_swatch(tag.colour)}{h(tag.label)}</span>" for tag in slide.tags)
    note = f'<p class="zb-note">{h(slide.note)}</p>' if slide.note else ""
    return (
        f'<div><span class="zb-label">{h(t("briefing.zone.theme"))}</span>'
        f'<p class="zb-quote">{h(slide.quote)}</p></div>'
        f'<div><span class="zb-label">{h(t("briefing.zone.content"))}</span><p>{h(slide.body)}</p></div>'
        f'<dl class="zb-facts">{facts}</dl>'
        + (f'<div><span class="zb-label">{h(t("briefing.zone.tags"))}</span><div class="zb-tags">{tags}</div></div>'
           if tags else "")
        + note
    )


def _list_panel(slide: Slide) -> str:
    body = f"<p>{h(slide.body)}</p>" if slide.body else ""
    more = f'<p class="zb-more">{h(t("briefing.more", n=slide.more))}</p>' if slide.more else ""
    return body + _rows(slide.zones) + more


def _pictures(maps: Mapping[str, bytes], alt: str) -> str:
    """The map in each shape given (geo.deck.slide_map.SHAPES), one <img> per shape; the CSS shows the tall one on
    a 4:3 (or narrower) window, where the map's cell is about as tall as wide, and the wide one otherwise. (A
    <picture> with a data: srcset would be the usual way, but st.html's sanitizer drops data: srcsets.) Each
    <img>'s `data-labels` carries its badges' boxes in its PNG's pixels (geo.deck.slide_map.labels_of), so a test
    can measure the badges as displayed."""
    out = []
    for shape, png in maps.items():
        placed = labels_of(png)
        boxes = {"font_px": placed.font_px, "labels": [[p.text, *p.box] for p in placed.labels]}
        data = base64.b64encode(png).decode("ascii")
        out.append(f'<img class="zb-{h(shape)}" src="data:image/png;base64,{data}" alt="{h(alt)}" '
                   f'data-labels="{h(json.dumps(boxes, ensure_ascii=True))}">')
    return "".join(out)


def slide_html(deck: Deck, index: int, maps: Mapping[str, bytes] | None) -> str:
    """One slide as a self-contained block: header, map (inline PNG in each shape given, {"wide": …, "tall": …})
    and legend, side panel, footer."""
    slide = deck.slides[index]
    panel = {"overview": _overview_panel, "zone": _zone_panel}.get(slide.kind, _list_panel)(slide)
    if maps:
        figure = (f'<figure class="zb-map">{_pictures(maps, t("briefing.map_alt", title=slide.title))}'
                  f'{_legend(slide.legend)}</figure>')
    else:
        figure = ""
    page = t("briefing.page_of", page=index + 1, pages=len(deck))
    return (
        f'<div class="zb-slide zb-{h(slide.kind)}" data-slide="{index + 1}" data-kind="{h(slide.kind)}" '
        f'data-key="{h(slide.key)}">'
        f'<header class="zb-head"><h1 class="zb-title">{h(slide.title)}</h1>'
        f'<p class="zb-subtitle">{h(slide.subtitle)}</p></header>'
        f'<div class="zb-body{"" if figure else " zb-nomap"}">{figure}<aside class="zb-panel">{panel}</aside></div>'
        f'<footer class="zb-foot"><span class="zb-source">{h(deck.source)}</span>'
        f'<span class="zb-page">{h(page)}</span></footer></div>'
    )


def empty_html(source: str) -> str:
    return (
        '<div class="zb-slide zb-empty" data-slide="0" data-kind="empty">'
        f'<header class="zb-head"><h1 class="zb-title">{h(t("briefing.empty.title"))}</h1></header>'
        f'<div class="zb-body zb-nomap"><aside class="zb-panel"><p>{h(t("briefing.empty.body"))}</p></aside></div>'
        f'<footer class="zb-foot"><span class="zb-source">{h(source)}</span></footer></div>'
    )
