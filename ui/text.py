"""UI strings for pages (all text lives in data/i18n; this is the pages' door to it) and safe rendering helpers."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from urllib.parse import quote, urlsplit

from loaders.i18n import builtin_texts, locale
from loaders.i18n import text as t

__all__ = ["t", "md_escape", "md_link", "h", "md_html", "WORD_JOINER", "builtin_chinese_html"]

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>$])")
# Streamlit's renderer also turns `:smile:`, `:material/home:` and `:streamlit:` into emoji/icons, `:red[...]` into
# coloured text, and bare URLs, `www.` names and e-mail addresses into links — and a backslash stops none of these
# (icons are replaced in the raw source, emoji in the parsed text). A WORD JOINER (U+2060: zero width, no break)
# after `:` and `@` and before `www.` breaks them while the reader sees exactly the characters that were written.
WORD_JOINER = "\u2060"
_SHORTCODE_OR_LINK = re.compile(r"([:@])|(?i:(?=www\\\.))")


def md_escape(value: object) -> str:
    """Show user text literally inside st.markdown: markdown syntax, HTML, shortcodes and autolinks become plain
    characters (verified in a real browser by tests/browser/test_hostile_input.py)."""
    s = html.escape(str(value), quote=False)
    s = _MD_SPECIAL.sub(r"\\\1", s)
    s = _SHORTCODE_OR_LINK.sub(lambda m: (m.group(1) or "") + WORD_JOINER, s)
    return s.replace("\n", "  \n")


MAX_URL = 2000  # characters; a longer "address" is shown as text
# What may stay as it is in a link's destination (RFC 3986 reserved and unreserved characters and "%"); anything
# else — parentheses, which end a markdown destination, spaces, quotes, non-ASCII — is percent-encoded.
_URL_SAFE = ":/?#[]@!$&'*+,;=%~-._"


def md_link(url: object) -> str:
    """A web address from the data (a `source_url` column) for st.markdown: a link when it is a plain http(s)
    address with a host, ASCII without spaces or control characters, at most MAX_URL characters — shown as its
    own text and opening that address; anything else (javascript:, text that is not an address, a "link" with
    spaces) exactly as md_escape shows text. md_escape alone put a word joiner after "http:", so the address a
    reader copied from the card was broken."""
    s = str(url).strip()
    if not s or len(s) > MAX_URL or not s.isascii() or any(ch.isspace() or not ch.isprintable() for ch in s):
        return md_escape(s)
    try:
        parts = urlsplit(s)
    except ValueError:  # e.g. an unbalanced "[" in the host
        return md_escape(s)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return md_escape(s)
    label = md_escape(s).replace(":" + WORD_JOINER + "//", "://", 1)  # the scheme's colon: shown as written
    return f"[{label}]({quote(s, safe=_URL_SAFE)})"


def h(value: object) -> str:
    """HTML-escape user text for HTML we build ourselves and hand to st.html (which does not run markdown)."""
    return html.escape(str(value), quote=True)


def md_html(value: object) -> str:
    """HTML-escape user text for HTML handed to st.markdown(unsafe_allow_html=True).

    Streamlit rewrites `:material/…:` in the raw markdown source even inside HTML, so `:` gets a word joiner;
    a blank line would end the HTML block and let markdown run, so line breaks become spaces.
    """
    s = html.escape(" ".join(str(value).splitlines()), quote=True)
    return s.replace(":", ":" + WORD_JOINER)


_BUILTIN_JS = Path(__file__).with_name("builtin_zh.js")


def builtin_chinese_html() -> str:
    """A <script> for st.html(unsafe_allow_javascript=True) that shows Streamlit's own English (select placeholders,
    "No results", the data grid's toolbar tooltips, "Upload", sidebar and status labels…) in the locale's words from
    data/i18n/<locale>/streamlit.yaml. Streamlit 1.67 offers no locale (streamlit/streamlit#1353), and CSS can only
    hide a text and draw another with ::after, which leaves the English in what screen readers and copy read and
    cannot tell "No results" from "You can only select up to 4 options" in the same element; see ui/builtin_zh.js."""
    exact, patterns = builtin_texts(locale())
    script = (_BUILTIN_JS.read_text(encoding="utf-8")
              .replace("__EXACT__", json.dumps(exact, ensure_ascii=False))
              .replace("__PATTERNS__", json.dumps(list(patterns.items()), ensure_ascii=False)))
    # DOMPurify (Streamlit's st.html) drops a script whose text holds "<" before a letter or "/" (mXSS guard)
    return "<script>" + re.sub(r"<(?=[/\w])", r"\\x3c", script) + "</script>"
