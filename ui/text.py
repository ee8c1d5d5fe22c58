"""UI strings for pages (all text lives in data/i18n; this is the pages' door to it) and safe rendering helpers."""

from __future__ import annotations

import html
import re

from loaders.i18n import text as t

__all__ = ["t", "md_escape", "h", "md_html", "WORD_JOINER"]

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


def css_string(value: object) -> str:
    """Text as a CSS string literal (for `content:`), quotes, backslashes and line breaks escaped."""
    s = str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ").replace("<", "\\3c ")
    return f'"{s}"'


def uploader_css(instructions: str, limit: str, button: str) -> str:
    """Chinese in place of st.file_uploader's own English ("Drag and drop file here", "Limit 200MB per file",
    "Browse files"), which Streamlit 1.67 has no parameter for: its texts are hidden (font-size 0) and ours shown
    with ::after on the same elements (data-testid stFileUploaderDropzoneInstructions; the button is the dropzone's
    only button). Screen readers read the <input>'s label, which is ours already."""
    return (
        "<style>"
        '[data-testid="stFileUploaderDropzoneInstructions"] > div > span { font-size: 0 !important; }'
        '[data-testid="stFileUploaderDropzoneInstructions"] > div > span::after { font-size: 1rem; content: '
        f"{css_string(instructions)}; }}"
        '[data-testid="stFileUploaderDropzoneInstructions"] > div > small { font-size: 0 !important; }'
        '[data-testid="stFileUploaderDropzoneInstructions"] > div > small::after { font-size: 0.875rem; content: '
        f"{css_string(limit)}; }}"
        '[data-testid="stFileUploaderDropzone"] button { font-size: 0 !important; }'
        f'[data-testid="stFileUploaderDropzone"] button::after {{ font-size: 1rem; content: {css_string(button)}; }}'
        "</style>"
    )
