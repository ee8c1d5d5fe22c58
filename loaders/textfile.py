"""Text tables (CSV, TSV, Excel's "Unicode text", pasted cells) in UTF-8, UTF-16, GBK/GB18030 or Big5: which
encoding and which separator, chosen by what decodes to a recognised header rather than by the file name.

Legacy Chinese encodings overlap: most Big5 byte strings are also valid GBK (and the reverse), only as gibberish.
charset-normalizer proposes encodings; each candidate that decodes cleanly is split into rows and the one whose
header is recognised wins. Without any recognised header, a candidate is kept only when nearly all its Chinese
characters are common ones (GB2312 hanzi or Big5 level-1 hanzi) — gibberish is full of kana and rare characters.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from loaders.i18n import text as t

ScoreRows = Callable[[list[list[str]]], int]  # rows → how well its best row reads as a roster header (0 = none)
DELIMITERS = (",", "\t", ";", "|")
SAMPLE_CHARS = 16_384  # enough for a title, the header and a few rows
SAMPLE_ROWS = 30  # rows of the sample parsed per separator tried (the header is among the first 15)
SAMPLE_BYTES = 4 * SAMPLE_CHARS + 4  # bytes that decode to at least SAMPLE_CHARS characters (≤ 4 bytes each)
PLAUSIBLE_SHARE = 0.9  # share of common characters a decoding needs when no header decides for it
_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
         (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
LEGACY = ("gb18030", "big5hkscs")  # always tried, whatever charset-normalizer proposes
# Chinese legacy encodings → the superset codec that decodes them all (GB2312 ⊂ GBK ⊂ GB18030; Big5 ⊂ Big5-HKSCS).
CHINESE = {"gb2312": "gb18030", "gbk": "gb18030", "cp936": "gb18030", "gb18030": "gb18030", "hz": "gb18030",
           "big5": "big5hkscs", "cp950": "big5hkscs", "big5hkscs": "big5hkscs"}
# codec → key of its name for people in data/i18n (import.read.encoding.*)
ENCODING_KEYS = {"utf-8": "utf8", "utf-8-sig": "utf8_bom", "utf-16": "utf16", "utf-16-le": "utf16le",
                 "utf-16-be": "utf16be", "utf-32": "utf32", "gb18030": "gbk", "big5hkscs": "big5", "big5": "big5",
                 "cp950": "big5"}


class UnknownEncoding(ValueError):
    """No candidate encoding gives a readable table; the message lists what was tried."""


@dataclass
class DecodedText:
    text: str
    encoding: str  # Python codec name
    guessed: bool  # True when no BOM or strict UTF-8 settled it
    separator: str | None = None  # the separator chosen while the encoding was ranked (None: not chosen yet)


@lru_cache(maxsize=1)
def common_characters() -> frozenset[str]:
    """GB2312 hanzi (rows B0–F7) and Big5 level-1 hanzi (A440–C67E): the characters real Chinese text is made of."""
    out = set()
    for lead in range(0xB0, 0xF8):
        out.update(bytes([lead, trail]).decode("gb2312", errors="ignore") for trail in range(0xA1, 0xFF))
    for lead in range(0xA4, 0xC7):
        for trail in itertools.chain(range(0x40, 0x7F), range(0xA1, 0xFF)):
            out.add(bytes([lead, trail]).decode("big5", errors="ignore"))
    out.discard("")
    return frozenset(out)


def common_share(text: str) -> float:
    """Share of the non-ASCII letters in `text` that are common hanzi (1.0 when there are none)."""
    common = common_characters()
    letters = [c for c in text if ord(c) > 0x7F and c.isalpha()]
    if not letters:
        return 1.0
    return sum(c in common for c in letters) / len(letters)


def choose_separator(text: str, score: ScoreRows) -> tuple[str, int]:
    """(delimiter, header score): the one whose rows give the best header, then the one the csv sniffer picks, then
    the one that splits most lines into several cells. Only the first SAMPLE_CHARS characters are looked at, and at
    most SAMPLE_ROWS rows of them parsed for each delimiter tried."""
    sample = text[:SAMPLE_CHARS]
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        sniffed = ","
    order = [sniffed, *(d for d in DELIMITERS if d != sniffed)]

    def key(d: str) -> tuple[int, int]:
        try:
            rows = list(itertools.islice(csv.reader(io.StringIO(sample, newline=None), delimiter=d), SAMPLE_ROWS))
        except csv.Error:
            rows = []
        return score(rows), sum(len(r) > 1 for r in rows)

    keys = {d: key(d) for d in order}
    best = max(order, key=keys.__getitem__)  # max keeps the first of equals: the sniffer's choice
    return best, keys[best][0]


def split_rows(text: str, score: ScoreRows, limit: int, separator: str | None = None) -> tuple[list[list[str]], str]:
    """Rows of a delimited text and the delimiter (`separator`, or choose_separator's). The text is parsed once,
    and only its first `limit` rows."""
    sep = separator or choose_separator(text, score)[0]
    return list(itertools.islice(csv.reader(io.StringIO(text, newline=None), delimiter=sep), limit)), sep


def _proposals(data: bytes) -> list[str]:
    """charset-normalizer's encodings for the bytes, most likely first (Python codec names)."""
    from charset_normalizer import from_bytes

    return [m.encoding for m in from_bytes(data[:65_536])][:3]


def _chinese_codec(codec: str) -> str | None:
    """The superset codec we decode a Chinese legacy encoding with (None for any other encoding)."""
    return CHINESE.get(codec.lower().replace("-", "_"))


def _looks_utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without a BOM has a zero byte beside every ASCII character (separators, digits, newlines), all
    on one side; text in any other encoding has no zero bytes at all."""
    head = data[:2048]
    if len(head) < 8:
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if odd >= 2 and even * 4 <= odd:
        return "utf-16-le"
    if even >= 2 and odd * 4 <= even:
        return "utf-16-be"
    return None


def decode_text(data: bytes, score: ScoreRows) -> DecodedText:
    """The text of a table file. A BOM settles it, and so does valid UTF-8 that is ASCII or gives a recognised
    header; otherwise each candidate (charset-normalizer's proposals, GB18030, Big5-HKSCS) that decodes cleanly is
    split into rows and ranked by its header, then by its share of common hanzi; valid UTF-8 without a header still
    beats a legacy decoding without one. Raises UnknownEncoding when no candidate gives a header or plausible
    Chinese text."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return DecodedText(data.decode(enc), enc, False)
            except UnicodeDecodeError as exc:
                raise UnknownEncoding(t("import.read.encoding_broken_bom", encoding=encoding_name(enc))) from exc
    utf16 = _looks_utf16_without_bom(data)
    if utf16:
        try:
            text = data.decode(utf16)
        except UnicodeDecodeError:
            text = "\x00"
        if "\x00" not in text:
            return DecodedText(text, utf16, True)
    try:
        utf8 = data.decode("utf-8")
    except UnicodeDecodeError:
        utf8 = None
    utf8_sep, utf8_score = choose_separator(utf8, score) if utf8 is not None and not data.isascii() else (None, 0)
    if utf8 is not None and (data.isascii() or utf8_score > 0):
        return DecodedText(utf8, "utf-8", False, utf8_sep)
    proposed = _proposals(data)
    # The library ranks the Chinese codecs; the header (or, failing that, common hanzi) verifies its choice. Each
    # candidate is ranked on its first SAMPLE_BYTES; only the winner is decoded whole (the next one if it fails).
    candidates = list(dict.fromkeys([*(c for c in map(_chinese_codec, proposed) if c), *LEGACY]))
    ranked = []
    for order, enc in enumerate(candidates):
        try:
            head = _decode_head(data, enc)
        except UnicodeDecodeError:
            continue
        if "\x00" not in head:
            sep, header = choose_separator(head, score)
            ranked.append((header, common_share(head[:SAMPLE_CHARS]), -order, enc, sep))
    best, text = None, ""
    for entry in sorted(ranked, reverse=True):
        try:
            text = data.decode(entry[3])
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            best = entry
            break
    if best is not None and best[0] > 0:
        return DecodedText(text, best[3], True, best[4])
    if utf8 is not None:
        # Valid UTF-8 without a recognised header: GBK text is valid UTF-8 only by rare accident (联通), and no
        # legacy decoding gave a header either, so UTF-8 stands (the header mapping is offered next).
        return DecodedText(utf8, "utf-8", False, utf8_sep)
    # No header anywhere: keep a decoding only when it reads as common Chinese and the library does not say
    # the bytes are another language's encoding (EUC-KR Hangul decodes as plausible GB2312 hanzi).
    if best is not None and best[1] >= PLAUSIBLE_SHARE and (not proposed or _chinese_codec(proposed[0])):
        return DecodedText(text, best[3], True, best[4])
    tried = [encoding_name(e) for e in candidates]
    raise UnknownEncoding(t("import.read.encoding_unknown", tried="、".join(dict.fromkeys(tried))))


def _decode_head(data: bytes, codec: str) -> str:
    """The first SAMPLE_BYTES of `data` decoded (a character cut at the end is left out); UnicodeDecodeError when
    they are not valid in `codec`."""
    return codecs.getincrementaldecoder(codec)().decode(data[:SAMPLE_BYTES], final=len(data) <= SAMPLE_BYTES)


def encoding_name(codec: str) -> str:
    """How a person knows the encoding (GBK/GB18030, Big5 (Traditional), UTF-16 (Excel's Unicode text) …)."""
    key = ENCODING_KEYS.get(codec)
    return t(f"import.read.encoding.{key}") if key else codec.upper()
