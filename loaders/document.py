"""Parse a pasted government document (approval text with a flattened attachment table) into roster rows."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from loaders.text import normalise_name, normalise_text, to_simplified

DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,8}〔\d{4}〕\d{1,4}号")
CHINESE_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
ROW_NUMBER = re.compile(r"^\s*(\d{1,3})\s*[.、．]?\s*$")
# A line that is nothing but an administrative name (one or two lines per unit in flattened tables).
UNIT_LINE = re.compile(r"^[\u4e00-\u9fff]{2,30}(省|市|区|县|旗|州|盟|自治区|特别行政区|林区|新区)$")
HEADER_WORDS = {"实验单位", "实验主题", "实验内容", "序号", "单位", "主题", "内容"}
ISSUER = re.compile(r"民政部|[\u4e00-\u9fff]{2,8}?(省|自治区|市)民政(厅|局)")
_COUNT = r"(\d{1,4}|[一二两三四五六七八九十百]{1,5})"
# How a document states how many units a batch has: 等40个单位, 共31个实验区, 确认…等40个县（市、区）
OFFICIAL_SIZE = re.compile(rf"[等共计]\s*{_COUNT}\s*个\s*(单位|实验区|地区|县|市|区|城市)")
PERIOD = re.compile(rf"(实验时间|实验周期|实验期|周期)\S{{0,3}}?(为期|为)?\s*{_COUNT}\s*年")
_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


@dataclass
class DocumentRow:
    """One row of the attachment table, as written (Simplified), with where it came from."""

    row: int
    unit_name: str
    theme: str
    content: str
    source_lines: tuple[int, int]


@dataclass
class ParsedDocument:
    doc_number: str | None
    issued_on: str | None  # ISO date
    authority: str | None
    official_size: int | None = None  # the number of units the text says the batch has (等40个单位)
    period_years: int | None = None  # 实验时间为期两年 → 2
    rows: list[DocumentRow] = field(default_factory=list)
    skipped: list[tuple[int, str, str]] = field(default_factory=list)  # (line, text, reason)


def _split_theme_content(text: str) -> tuple[str, str]:
    """实验主题 and 实验内容 share a line, separated by the first space."""
    text = normalise_text(text)
    if " " in text:
        theme, content = text.split(" ", 1)
        return theme.strip(), content.strip()
    return text, ""


def chinese_number(text: str) -> int | None:
    """12 → 12, 四十 → 40, 两 → 2, 一百零五 → 105; None for anything else."""
    if text.isdigit():
        return int(text)
    text = text.replace("零", "")
    total, current = 0, 0
    for ch in text:
        if ch in _DIGITS:
            current = _DIGITS[ch]
        elif ch in ("十", "百"):
            total += (current or 1) * (10 if ch == "十" else 100)
            current = 0
        else:
            return None
    return total + current or None


def parse_document(text: str) -> ParsedDocument:
    """Find the metadata and the numbered table rows in a document's text (Traditional or Simplified)."""
    simplified = to_simplified(text.replace("\r\n", "\n").replace("\r", "\n"))
    doc_number = DOC_NUMBER.search(simplified)
    date = CHINESE_DATE.search(simplified)
    authority = re.search(r"发布机关[:：]\s*(\S+)", simplified)
    if authority is not None:
        authority_name = authority.group(1)
    else:  # the first civil-affairs body named near the top: 民政部, 吉林省民政厅, 徐州市民政局 …
        named = ISSUER.search(simplified[:400])
        authority_name = re.sub(r"^.*(关于|同意|将|对)", "", named.group(0)) if named else None
    parsed = ParsedDocument(
        doc_number=doc_number.group(0) if doc_number else None,
        issued_on=f"{date.group(1)}-{int(date.group(2)):02d}-{int(date.group(3)):02d}" if date else None,
        authority=authority_name,
    )
    size = OFFICIAL_SIZE.search(simplified)
    parsed.official_size = chinese_number(size.group(1)) if size else None
    period = PERIOD.search(simplified)
    parsed.period_years = chinese_number(period.group(3)) if period else None

    lines = simplified.split("\n")
    starts = [i for i, line in enumerate(lines) if ROW_NUMBER.match(line)]
    # The table is the run of numbered rows 1, 2, 3, …; stray numbers elsewhere are not rows.
    expected, table_starts = 1, []
    for i in starts:
        if int(ROW_NUMBER.match(lines[i]).group(1)) == expected:
            table_starts.append(i)
            expected += 1
    for k, start in enumerate(table_starts):
        end = table_starts[k + 1] if k + 1 < len(table_starts) else _table_end(lines, start)
        body = [(j, lines[j].strip()) for j in range(start + 1, end) if lines[j].strip()]
        unit_parts, rest = [], []
        for _j, line in body:
            if not rest and UNIT_LINE.match(normalise_name(line)):
                unit_parts.append(normalise_name(line))
            else:
                rest.append(line)
        if not unit_parts:
            parsed.skipped.append((start + 1, " ".join(t for _, t in body)[:80], "未找到实验单位名称"))
            continue
        theme, content = _split_theme_content(" ".join(rest))
        parsed.rows.append(
            DocumentRow(
                row=k + 1,
                unit_name="".join(unit_parts),
                theme=theme,
                content=content,
                source_lines=(start + 1, end),
            )
        )
    return parsed


def _table_end(lines: list[str], start: int) -> int:
    """The last row ends at the first blank line after its theme/content line."""
    seen_text = False
    for j in range(start + 1, len(lines)):
        stripped = lines[j].strip()
        if stripped and not UNIT_LINE.match(normalise_name(stripped)):
            seen_text = True
        elif not stripped and seen_text:
            return j
    return len(lines)
