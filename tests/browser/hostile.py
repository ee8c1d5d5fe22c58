"""Hostile text for the browser tests: payloads that must show as literal text, a roster carrying them, and a
guard that fails a test when any of them runs (a dialog opens or a `__xss` flag is set in any frame).

Every script payload sets `window.top.__xss` (and most also call alert), so a payload that runs inside the
streamlit-folium iframe is caught as well as one in the page itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from loaders.roster import read_roster_csv
from loaders.text import normalise_name, normalise_text

# Text fields: what an official might paste by mistake or an attacker on purpose.
PAYLOADS: dict[str, str] = {
    "img": '<img src=x onerror="window.top.__xss=1;alert(1)">',
    "img_nospace": "<img/src=x/onerror=window.top.__xss=2>",  # survives normalise_name (which drops spaces)
    "script": "<script>window.top.__xss=3;alert(3)</script>",
    "js_link": "[点我](javascript:window.top.__xss=4)",
    "svg": '"><svg/onload=window.top.__xss=5>',
    "md_image": "![x](http://evil.example/x.png)",
    "md_link": "[官网](https://evil.example/) <https://evil.example/>",
    "shortcode": ":material/warning: :smile: :streamlit: :material_home:",
    "directive": ":red[红] :blue-background[蓝] :small[小] :help[?]",
    "latex": r"$\href{javascript:window.top.__xss=6}{x}$ $$x^2$$",
    "autolink": "www.evil.example https://evil.example/x a@evil.example",
    "entity": "&lt;b&gt; &#58; &amp;",
    "block": "# 标题 - 列表 > 引用 | a | b |",
    "template": "{{7*7}} {% raw %} ${7*7} #{7*7}",  # folium/branca render map scripts as Jinja templates
}
# Web addresses as a source_url column may hold them: key → (address, the link's href or None when it must stay
# text). ui.text.md_link.
LINKS: dict[str, tuple[str, str | None]] = {
    "plain": ("http://mzj.smx.gov.cn/10162/615997152/966973.html", "http://mzj.smx.gov.cn/10162/615997152/966973.html"),
    "parens": ("https://a.example/x_(y)?q=1&r=:smile:", "https://a.example/x_%28y%29?q=1&r=:smile:"),
    "js": ("javascript:window.top.__xss=9", None),
    "data": ("data:text/html,<script>window.top.__xss=10</script>", None),
    "spaced": ("http://a.example/ [x](javascript:window.top.__xss=11)", None),
}
# Names have no spaces after normalisation, so these carry payloads that still mean something without them.
NAME_PAYLOADS = {
    "img_nospace": PAYLOADS["img_nospace"],
    "svg": '"><svg/onload=window.top.__xss=7>',
    "shortcode": "石景山区:material/warning::smile:",
    "latex": "$x^2$",
}

_SPACES = re.compile(r"\s+")


def shown(text: str) -> str:
    """Text as a person reads it: word joiners (see ui.text.md_escape) dropped, runs of whitespace as one space."""
    return _SPACES.sub(" ", text.replace("\u2060", "")).strip()


def expected_text(payload: str, kind: str = "text") -> str:
    """What the app shows for a payload typed into a roster field (the loader normalises text first)."""
    return shown(normalise_name(payload) if kind == "name" else normalise_text(payload))


@dataclass(frozen=True)
class HostileZone:
    zone_id: str
    unit_name: str  # as written into the CSV
    fields: dict[str, str] = field(default_factory=dict)


# Which roster row gets which payloads. Rows keep province/prefecture/county, so they still join to boundaries.
HOSTILE_ZONES = (
    HostileZone("CN-2019-01", "<img/src=x/onerror=window.top.__xss=2>北京市石景山区",
                {"theme": PAYLOADS["img"], "content": PAYLOADS["script"] + " " + PAYLOADS["js_link"],
                 "source": PAYLOADS["svg"], "authority": PAYLOADS["md_link"]}),
    HostileZone("CN-2019-31", '"><svg/onload=window.top.__xss=7>酒泉市肃州区',
                {"theme": PAYLOADS["shortcode"], "content": PAYLOADS["directive"] + " " + PAYLOADS["latex"],
                 "source": PAYLOADS["md_image"], "batch": "<img/src=x/onerror=window.top.__xss=8>"}),
    HostileZone("CN-2019-30", "$x^2$:material/warning:榆林市榆阳区",
                {"theme": PAYLOADS["autolink"] + " " + PAYLOADS["template"],
                 "content": PAYLOADS["entity"] + " " + PAYLOADS["block"],
                 "source": "=HYPERLINK(\"http://evil.example\",\"点我\")"}),
)
# Themes that a spreadsheet would evaluate as formulas (=, +, -, @; tab/CR prefixes cannot survive the roster's
# text normalisation, so tests/loaders/test_safe_export.py covers those). zone_id → theme.
FORMULA_THEMES = {
    "CN-2019-02": '=HYPERLINK("http://evil.example","点我")',
    "CN-2019-03": "+SUM(1,2)",
    "CN-2019-04": "-2+3",
    "CN-2019-05": "@SUM(1,2)",
}


def write_hostile_roster(path: Path) -> Path:
    """The bundled roster with HOSTILE_ZONES' payloads written into text fields; structure otherwise valid."""
    raw = read_roster_csv()
    for zone in HOSTILE_ZONES:
        i = raw.index[raw.zone_id == zone.zone_id][0]
        raw.loc[i, "unit_name"] = zone.unit_name
        for column, value in zone.fields.items():
            raw.loc[i, column] = value
    for zone_id, theme in FORMULA_THEMES.items():
        raw.loc[raw.zone_id == zone_id, "theme"] = theme
    path.parent.mkdir(parents=True, exist_ok=True)
    raw.to_csv(path, index=False)
    return path


class XssGuard:
    """Fails when script from a payload ran: a dialog (alert/confirm/prompt) in any frame, or a `__xss` flag."""

    FLAG_PROBE = "() => [window.__xss, (() => { try { return window.top.__xss } catch (e) { return undefined } })()]"

    def __init__(self, page) -> None:
        self.page = page
        self.dialogs: list[str] = []
        page.on("dialog", self._on_dialog)

    def _on_dialog(self, dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def flags(self) -> list[str]:
        """Every frame's `__xss` value that is set (frames that navigate away mid-check are skipped)."""
        found = []
        for frame in self.page.frames:
            try:
                values = frame.evaluate(self.FLAG_PROBE)
            except Exception:  # noqa: BLE001 - a detached or navigating frame has nothing to report
                continue
            found += [f"{frame.url}: {v!r}" for v in values if v is not None]
        return found

    def assert_clean(self) -> None:
        assert self.dialogs == [], f"a payload opened a dialog: {self.dialogs}"
        assert self.flags() == [], f"a payload ran script: {self.flags()}"
