"""AppTest helpers: run the real app (app.py → pages) in-process against the real data and boundary cache."""

import html
import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

TIMEOUT = 90
APP = str(Path(__file__).resolve().parents[2] / "app.py")


XSS = "<img src=x onerror=alert(1)>"


@pytest.fixture
def roster_edited(tmp_path, monkeypatch):
    """Serve the bundled roster with some cells changed: roster_edited({(row, column): value, ...}) writes it
    to a temporary CSV and points ZONE_ATLAS_ROSTER at it for this test."""
    from loaders.roster import read_roster_csv

    def write(changes: dict[tuple[int, str], str]) -> Path:
        raw = read_roster_csv()
        for (row, column), value in changes.items():
            raw.loc[row, column] = value
        path = tmp_path / "roster.csv"
        raw.to_csv(path, index=False)
        monkeypatch.setenv("ZONE_ATLAS_ROSTER", str(path))
        return path

    return write


@pytest.fixture
def app():
    def make(**query) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=TIMEOUT)
        for key, value in query.items():
            at.query_params[key] = value
        return at

    return make


def all_text(at: AppTest) -> str:
    """Everything the page shows as text (markdown, captions, alerts, metrics, headings)."""
    parts = []
    for kind in ("markdown", "caption", "title", "subheader", "header", "info", "warning", "error", "success"):
        parts += [str(e.value) for e in getattr(at, kind)]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    # the map page's header figures (ui.maps.figure: plain HTML drawn like metrics)
    parts += [html.unescape(re.sub(r"<[^>]+>", " ", e.proto.body)) for e in at.get("html")
              if "atlas-figure" in e.proto.body and "<style" not in e.proto.body and "/*" not in e.proto.body]
    return re.sub(r"\\(.)", r"\1", "\n".join(parts))  # as rendered: markdown escapes removed


def map_html(at: AppTest) -> str:
    """What streamlit-folium was given for the map: its script, the script of the feature group it swaps in
    place (the zones), plus every other argument (asset links, CSS)."""
    for node in at.get("component_instance"):
        args = json.loads(node.proto.json_args or "{}")
        if "script" in args:
            rest = {k: v for k, v in args.items() if k not in ("script", "feature_group")}
            return "\n".join([args["script"], args.get("feature_group") or "", json.dumps(rest, ensure_ascii=False)])
    raise AssertionError("no streamlit-folium component on the page")
