"""User-facing strings: one YAML file per area under data/i18n/<locale>/, looked up by dotted key.

Every string a user sees (pages, charts, PNG snapshots, CLI messages meant for officials) comes from here, so an
English locale is one more directory. A missing key fails loudly in tests instead of showing a raw key.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import yaml

I18N_DIR = Path(__file__).resolve().parent.parent / "data" / "i18n"
DEFAULT_LOCALE = "zh_CN"


class MissingText(KeyError):
    """A key that no strings file defines."""


def locale() -> str:
    return os.environ.get("ZONE_ATLAS_LOCALE", DEFAULT_LOCALE)


@lru_cache(maxsize=4)
def catalogue(loc: str = DEFAULT_LOCALE) -> dict[str, str]:
    """Flattened {area.key: text} for one locale."""
    out: dict[str, str] = {}
    folder = I18N_DIR / loc
    if not folder.is_dir():
        raise MissingText(f"no strings for locale {loc!r} in {folder}")
    for path in sorted(folder.glob("*.yaml")):
        area = path.stem
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for key, value in _flatten(data):
            out[f"{area}.{key}"] = str(value)
    return out


def _flatten(data: dict, prefix: str = ""):
    for key, value in data.items():
        full = f"{prefix}{key}"
        if isinstance(value, dict):
            yield from _flatten(value, full + ".")
        else:
            yield full, value


def text(key: str, /, **values) -> str:
    """The string for `key` in the current locale, with {placeholders} filled from `values`."""
    cat = catalogue(locale())
    if key not in cat:
        raise MissingText(key)
    s = cat[key]
    return s.format(**values) if values else s


def section(key: str, /) -> dict[str, str]:
    """The strings under `key` (an area and a dotted path, "snapshot.cli.argparse") as {their own key: text}, for
    tables whose keys are another program's words (argparse's messages) rather than ours."""
    area, _, path = key.partition(".")
    data = yaml.safe_load((I18N_DIR / locale() / f"{area}.yaml").read_text(encoding="utf-8")) or {}
    for part in path.split(".") if path else ():
        data = data.get(part) or {}
    if not isinstance(data, dict) or not data:
        raise MissingText(key)
    return {str(k): str(v) for k, v in data.items()}


@lru_cache(maxsize=4)
def builtin_texts(loc: str = DEFAULT_LOCALE) -> tuple[dict[str, str], dict[str, str]]:
    """Streamlit's own English → this locale, from data/i18n/<locale>/streamlit.yaml: ({exact English: text},
    {JavaScript regex: replacement with $1…}). Empty for a locale that has no such file (English needs none)."""
    path = I18N_DIR / loc / "streamlit.yaml"
    if not path.is_file():
        return {}, {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return dict(data.get("exact") or {}), dict(data.get("patterns") or {})
