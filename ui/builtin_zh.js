// Streamlit's own English (placeholders, "No results", grid toolbar tooltips, sidebar and status labels…) in the
// user's language. Streamlit 1.67 has no locale for these (streamlit/streamlit#1353) and CSS cannot pick an element
// by its text, so this swaps them where they appear: a text node or a title/aria-label/placeholder attribute whose
// whole (trimmed) value is one of Streamlit's known texts (data/i18n/LOCALE/streamlit.yaml) — nothing else is
// touched, so user data and our own texts are never rewritten. React keeps working: it writes text nodes and
// attributes, never reads them back, and each time it writes the English again the observer swaps it again.
// Runs in the page itself (st.html with JavaScript); a window flag keeps one observer however often the app reruns.
// ui/text.py writes any "<" before a letter or "/" as \x3c: Streamlit's DOMPurify drops a script holding one.
(() => {
  const EXACT = __EXACT__;
  const PATTERNS = __PATTERNS__.map(([source, repl]) => [new RegExp(source), repl]);
  const ATTRS = ["title", "aria-label", "placeholder"];
  const SKIP = new Set(["SCRIPT", "STYLE", "TEXTAREA", "CODE", "PRE"]);
  const swap = (value) => {
    const key = value.trim();
    if (!key || !/[A-Za-z]/.test(key)) return null;
    if (Object.prototype.hasOwnProperty.call(EXACT, key)) return value.replace(key, EXACT[key]);
    for (const [re, repl] of PATTERNS) if (re.test(key)) return value.replace(key, key.replace(re, repl));
    return null;
  };
  const fixText = (node) => {
    if (node.parentNode && SKIP.has(node.parentNode.nodeName)) return;
    const v = swap(node.nodeValue || "");
    if (v !== null) node.nodeValue = v;
  };
  const fixAttrs = (el) => {
    for (const a of ATTRS) {
      const old = el.getAttribute(a);
      const v = old && swap(old);
      if (v) el.setAttribute(a, v);
    }
  };
  const fix = (root) => {
    if (root.nodeType === Node.TEXT_NODE) return fixText(root);
    if (root.nodeType !== Node.ELEMENT_NODE || SKIP.has(root.nodeName)) return;
    fixAttrs(root);
    const walk = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      if (n.nodeType === Node.TEXT_NODE) fixText(n);
      else if (!SKIP.has(n.nodeName)) fixAttrs(n);
    }
  };
  // the <script> element goes once it has run: the observer lives on, and the page's main area holds no script of
  // ours beside user content (tests/browser/test_hostile_input.py counts scripts there as injected)
  if (document.currentScript) document.currentScript.remove();
  if (window.__zoneAtlasBuiltinZh) return;
  window.__zoneAtlasBuiltinZh = true;
  new MutationObserver((mutations) => {
    for (const m of mutations) {
      if (m.type === "childList") m.addedNodes.forEach(fix);
      else if (m.type === "characterData") fixText(m.target);
      else fixAttrs(m.target);
    }
  }).observe(document.body, {subtree: true, childList: true, characterData: true, attributes: true,
                             attributeFilter: ATTRS});
  fix(document.body);
})();
