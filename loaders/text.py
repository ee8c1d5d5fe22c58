"""Normalise Chinese text as it arrives in documents: Traditional → Simplified, full-width → half-width, stray spaces."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_WHITESPACE = re.compile(r"\s+")
# Copies of documents often lose full-width punctuation; between Chinese characters it is always full-width.
_CJK = "\u4e00-\u9fff“”‘’「」（）"
_HALF_PUNCT = re.compile(rf"(?<=[{_CJK}])([,;:?!])|([,;:?!])(?=[{_CJK}])")
_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！"}
# Corner brackets are Traditional-text quotation marks; mainland documents use curly quotes.
_QUOTES = str.maketrans({"「": "“", "」": "”", "『": "‘", "』": "’"})
# NFKC would turn these full-width marks into ASCII; official names and 文号 keep them.
_KEEP_FULLWIDTH = "〔〕（）：，；、。·“”‘’"


@lru_cache(maxsize=1)
def _t2s():
    import opencc  # imported lazily: building the converter costs ~50 ms

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional → Simplified characters (OpenCC t2s), keeping everything else as it is."""
    return _t2s().convert(text).translate(_QUOTES)


def _nfkc_except_cjk_punctuation(text: str) -> str:
    out = []
    for ch in text:
        out.append(ch if ch in _KEEP_FULLWIDTH else unicodedata.normalize("NFKC", ch))
    return "".join(out)


def normalise_text(value: object) -> str:
    """Clean a free-text field: Simplified, half-width letters/digits, single spaces, no control chars."""
    if value is None:
        return ""
    text = str(value)
    if text.lower() in {"nan", "none", "<na>"}:
        return ""
    text = to_simplified(_nfkc_except_cjk_punctuation(text))
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C" or ch in "\n\t")
    text = _HALF_PUNCT.sub(lambda m: _FULL[m.group(1) or m.group(2)], text)
    return _WHITESPACE.sub(" ", text).strip()


def normalise_name(value: object) -> str:
    """Clean an administrative name: as normalise_text, and no spaces at all (名称 never contain them)."""
    return normalise_text(value).replace(" ", "")
