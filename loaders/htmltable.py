"""Tables of an HTML page — what web systems export under an .xls name, and Excel's "save as web page" — as rows of
cell text, with colspan/rowspan filled in like merged cells. Uses the standard library's tolerant HTML tokenizer
(html.parser), so unclosed <td>/<tr> tags as such exports write them still give the right cells."""

from __future__ import annotations

import re
from html.parser import HTMLParser

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
# Legacy names in <meta charset>: decode with the superset codec.
_SUPERSET = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "big5": "big5hkscs", "cp936": "gb18030"}


def declared_charset(data: bytes) -> str | None:
    """The codec an HTML file declares in <meta charset=…> or http-equiv Content-Type (None when it declares none
    or Python does not know the name)."""
    import codecs

    m = _CHARSET.search(data[:8192])
    if not m:
        return None
    name = m.group(1).decode("ascii", "ignore").lower()
    name = _SUPERSET.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


class _TableParser(HTMLParser):
    def __init__(self, max_rows: int, max_cols: int):
        super().__init__(convert_charrefs=True)
        self.max_rows, self.max_cols = max_rows, max_cols
        self.tables: list[list[list[str]]] = []
        self._stack: list[dict] = []  # open tables (nested tables are tables of their own)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table":
            self._stack.append({"rows": [], "spans": {}, "cell": None, "row": None})
            self.tables.append(self._stack[-1]["rows"])
        elif not self._stack:
            return
        elif tag == "tr":
            self._end_row()
            self._stack[-1]["row"] = []
        elif tag in ("td", "th"):
            self._end_cell()
            if self._stack[-1]["row"] is None:
                self._stack[-1]["row"] = []
            self._stack[-1]["cell"] = {"text": [], "colspan": _span(a.get("colspan")), "rowspan": _span(a.get("rowspan"))}
        elif tag == "br" and self._stack[-1]["cell"] is not None:
            self._stack[-1]["cell"]["text"].append(" ")

    def handle_endtag(self, tag):
        if not self._stack:
            return
        if tag in ("td", "th"):
            self._end_cell()
        elif tag == "tr":
            self._end_row()
        elif tag == "table":
            self._end_row()
            self._stack.pop()

    def handle_data(self, data):
        if self._stack and self._stack[-1]["cell"] is not None:
            self._stack[-1]["cell"]["text"].append(data)

    def _end_cell(self):
        top = self._stack[-1]
        cell, row = top["cell"], top["row"]
        if cell is None or row is None:
            return
        top["cell"] = None
        spans = top["spans"]  # column → (text, rows still covered) from a rowspan above
        text = _SPACES.sub(" ", "".join(cell["text"])).strip()
        r = len(top["rows"])
        for _ in range(cell["colspan"]):
            while len(row) in spans.get(r, {}):
                row.append(spans[r][len(row)])
            col = len(row)
            if col >= self.max_cols:
                return
            row.append(text)
            for below in range(r + 1, min(r + cell["rowspan"], self.max_rows)):
                spans.setdefault(below, {})[col] = text

    def _end_row(self):
        self._end_cell()
        top = self._stack[-1]
        row = top["row"]
        if row is None:
            return
        r = len(top["rows"])
        covered = top["spans"].pop(r, {})
        while len(row) in covered:  # cells covered by a rowspan at the end of the row
            row.append(covered[len(row)])
        if len(top["rows"]) < self.max_rows:
            top["rows"].append(row)
        top["row"] = None


def _span(value) -> int:
    try:
        return max(1, min(int(str(value).strip()), 1000))
    except (TypeError, ValueError):
        return 1


def html_tables(text: str, max_rows: int, max_cols: int) -> list[list[list[str]]]:
    """Every <table> in the page (document order, nested ones too) as rows of cell text; at most `max_rows` rows
    and `max_cols` columns each. Tables without a single cell are left out."""
    parser = _TableParser(max_rows, max_cols)
    parser.feed(text)
    parser.close()
    while parser._stack:  # an unclosed table at the end of the file still counts
        parser.handle_endtag("table")
    return [rows for rows in parser.tables if any(any(c for c in row) for row in rows)]
