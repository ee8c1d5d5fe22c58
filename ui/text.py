"""UI strings for pages (all text lives in data/i18n; this is the pages' door to it) and safe rendering helpers."""

from __future__ import annotations

import html
import re

from loaders.i18n import text as t

__all__ = ["t", "md_escape", "h"]

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>$])")


def md_escape(value: object) -> str:
    """Show user text literally inside st.markdown: markdown syntax and HTML become plain characters."""
    s = html.escape(str(value), quote=False)
    return _MD_SPECIAL.sub(r"\\\1", s).replace("\n", "  \n")


def h(value: object) -> str:
    """HTML-escape user text for the few places we build HTML ourselves."""
    return html.escape(str(value), quote=True)
