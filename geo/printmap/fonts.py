"""The one CJK font for static maps: Noto Sans CJK SC shipped inside the pinned mplfonts package, by file path.

Only this file is used. It is passed to every text artist as `FontProperties(fname=...)`, never looked up by
family name: the system may carry another "Noto Sans CJK SC" (a .ttc) and mplfonts also ships SimHei, and a
name lookup could silently pick either. A missing file is an error, not a fallback to whatever font is around.
"""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path

from matplotlib import font_manager
from matplotlib.font_manager import FontProperties

FONT_FILE = "NotoSansCJKsc-Regular.otf"


class FontMissing(RuntimeError):
    """The CJK font file is not installed where the pinned mplfonts package puts it."""


def cjk_font_path() -> Path:
    """Path of mplfonts' Noto Sans CJK SC Regular (the package is located, not imported)."""
    spec = importlib.util.find_spec("mplfonts")
    if spec is None or not spec.submodule_search_locations:
        raise FontMissing(
            "mplfonts is not installed; it provides the CJK map font (pip install -r requirements.txt)"
        )
    for folder in spec.submodule_search_locations:
        path = Path(folder) / "fonts" / FONT_FILE
        if path.is_file():
            return path
    raise FontMissing(f"{FONT_FILE} not found in mplfonts at {list(spec.submodule_search_locations)}")


@lru_cache(maxsize=1)
def cjk_font() -> FontProperties:
    """Register the font with matplotlib once and return properties that point at that exact file."""
    path = cjk_font_path()
    font_manager.fontManager.addfont(str(path))
    return FontProperties(fname=str(path))


def sized(size: float) -> FontProperties:
    """A copy of the CJK font properties at a point size (FontProperties are mutable; never change the cached one)."""
    fp = cjk_font().copy()
    fp.set_size(size)
    return fp
