"""Roster header words (Chinese, Traditional or English, as offices write them) → roster fields, and how well a row
reads as a roster header: the test that picks the header row, the sheet, the text encoding and the separator."""

from __future__ import annotations

import re

from loaders.text import normalise_name

HEADER_SEARCH_ROWS = 15  # the header is among the first rows (title rows above it)
HEADER_CELLS = 100  # cells of a row looked at (as loaders.tabular.MAX_COLUMNS)
# header text (normalised, lower-case) → roster field
HEADER_WORDS = {
    "seq": ["序号", "编号", "no", "no.", "#", "index"],
    "province": ["省份", "省", "省(区、市)", "省(自治区、直辖市)", "省区市", "所在省", "省别", "province"],
    "prefecture": ["城市", "市", "地市", "所在市", "地级市", "市(州)", "市州", "市(州、盟)", "city",
                   "prefecture"],
    "county": ["区县", "县(市、区)", "县市区", "县(区、市)", "区(县、市)", "县区", "区县名称", "县(市、区、旗)",
               "county", "district"],
    "unit_name": ["实验单位", "单位名称", "单位", "实验区", "实验区名称", "名称", "实验单位名称", "unit", "name",
                  "unit_name"],
    "theme": ["实验主题", "主题", "实验任务", "theme", "task_text", "task"],
    "content": ["实验内容", "内容", "content"],
    "approved_on": ["批复日期", "日期", "确认日期", "批准日期", "批复年份", "批复时间", "批复年度", "确认时间",
                    "确认年份", "认定时间", "认定日期", "认定年份", "命名时间", "命名日期", "命名年份", "批准时间",
                    "批准年份", "获批时间", "获批年份", "年份", "年度", "时间", "date", "year", "approved_on"],
    "batch": ["批次", "batch"],
    "doc_number": ["文号", "批复文号", "文件", "doc_number", "document"],
    "status": ["状态", "实验状态", "status"],
    "programme": ["级别", "类别", "programme", "level"],
    "authority": ["批准机关", "发文机关", "认定机关", "authority"],
    "zone_id": ["zone_id", "实验区编号"],
    "period_years": ["实验期", "实验周期", "实验期(年)", "周期", "实验期限", "period_years", "period"],
    "status_as_of": ["状态日期", "状态截至", "状态截至日期", "状态截至时间", "状态时间", "status_as_of"],
    "designation": ["认定方式", "designation"],
    "confidence": ["可信度", "来源可信度", "confidence"],
    "source_url": ["来源链接", "出处链接", "来源网址", "source_url", "url"],
    "source_note": ["来源说明", "出处说明", "source_note"],
}
# What a person can map a column to (in this order); "" means "not used".
FIELDS = tuple(HEADER_WORDS)
DATE_FIELDS = ("approved_on", "status_as_of")
PLACE_FIELDS = frozenset({"unit_name", "county", "prefecture"})
_LOOKUP = {w: f for f, words in HEADER_WORDS.items() for w in words}
# A cell that reads as the name of a place or unit (for a roster that is one column of names with no header).
_PLACE_NAME = re.compile(r"^[\u4e00-\u9fff]{1,30}(省|市|区|县|旗|州|盟|街道|镇|乡|新区|开发区|园区|管委会)$")


def looks_like_place(cell: str) -> bool:
    """True for a cell that reads as a unit or place name (北京市石景山区, 南湖街道)."""
    return bool(_PLACE_NAME.match(normalise_name(cell)))


def _header_key(text: str) -> str:
    return normalise_name(str(text)).lower().replace("（", "(").replace("）", ")")


def _match(cell: str) -> tuple[str | None, bool]:
    """(roster field, exact?) for one header cell."""
    key = _header_key(cell)
    if key in _LOOKUP:
        return _LOOKUP[key], True
    # the longest header word the cell ends with: 状态截至时间 is a status date, not 时间 (the approval date)
    words = [w for w in _LOOKUP if len(w) >= 2 and key and key.endswith(w)]
    return (_LOOKUP[max(words, key=len)] if words else None), False


def map_header(cells: list[str]) -> dict[int, str]:
    """Column index → roster field for the header cells we recognise (first match wins)."""
    out: dict[int, str] = {}
    for i, cell in enumerate(cells):
        f, _ = _match(cell)
        if f and f not in out.values():
            out[i] = f
    return out


def header_rank(cells: list[str]) -> tuple[int, int]:
    """(recognised columns, of which exact) — how well a row reads as a roster header."""
    mapping = map_header(cells)
    return len(mapping), sum(_match(cells[i])[1] for i in mapping)


def is_header(cells: list[str]) -> bool:
    """Two recognised column names, or one exact unit/place name column (实验单位, 区县 …) on its own."""
    mapping = map_header(cells)
    if len(mapping) >= 2:
        return bool(PLACE_FIELDS & set(mapping.values()))
    return len(mapping) == 1 and all(f in PLACE_FIELDS and _match(cells[i])[1] for i, f in mapping.items())


def rows_score(rows: list[list[str]]) -> int:
    """How well the best of the first rows reads as a header (0 = none): ranks encodings and separators."""
    best = 0
    for row in rows[:HEADER_SEARCH_ROWS]:
        cells = [normalise_name(c) for c in row[:HEADER_CELLS]]
        if is_header(cells):
            best = max(best, len(map_header(cells)))
    return best
