"""No English or internal codes reach a user: every page's rendered text, widget labels, options and table
headers (AppTest, real roster and boundaries) hold no Latin-letter word outside the names users know."""

from __future__ import annotations

import json

import pytest

from tests.chinese_words import latin_words_in_context, nested_brackets
from tests.pages.conftest import all_text


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


@pytest.mark.parametrize("page", ["map", "compare", "briefing", "about", "import_roster"])
def test_each_page_shows_no_english_words(app, page):
    at = app().run() if page == "map" else app().run()
    if page != "map":
        at.switch_page(f"pages/{page}.py").run()
    assert not at.exception
    text = shown_text(at)
    found = latin_words_in_context(text)
    assert not found, "\n".join(f"{word}: …{context}…" for word, context in found)
    assert not nested_brackets(text)  # （…（…）…） is said another way (issue 16)
