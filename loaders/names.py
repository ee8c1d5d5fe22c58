"""How officials write administrative names, mapped back to the gazetteer's own names: short forms (佛山, 湘西州,
石柱县, 广东), Traditional and variant characters (乾安縣, 衞輝), look-alike misprints (毫州 for 亳州), and the words
that mark a place below county level (街道, 镇, 园区, 兵团 regiments).

Matching compares *canonical keys* of both sides — each character on its own through OpenCC t2s, then the variant
table `data/divisions/variant-characters.csv` — so a name that is already right is never rewritten (OpenCC turns
乾 into 干 on its own; here 乾安县 and 乾安縣 both key to 干安县 and find the gazetteer's 乾安县).
"""

from __future__ import annotations

import csv
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "divisions"

# The 55 minority nationalities as they appear inside autonomous-area names (族 is optional there: 伊犁哈萨克自治州).
ETHNIC_NAMES = (
    "蒙古", "回", "藏", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜", "满", "侗", "瑶", "白", "土家", "哈尼", "哈萨克", "傣",
    "黎", "傈僳", "佤", "畲", "高山", "拉祜", "水", "东乡", "纳西", "景颇", "柯尔克孜", "土", "达斡尔", "仫佬", "羌",
    "布朗", "撒拉", "毛南", "仡佬", "锡伯", "阿昌", "普米", "塔吉克", "怒", "乌孜别克", "俄罗斯", "鄂温克", "德昂",
    "保安", "裕固", "京", "塔塔尔", "独龙", "鄂伦春", "赫哲", "门巴", "珞巴", "基诺",
)
_ETHNIC = "|".join(sorted(ETHNIC_NAMES, key=len, reverse=True))
_AUTONOMOUS = re.compile(rf"^(?P<base>.{{2,}}?)(?:(?:{_ETHNIC})族?)+自治(?P<kind>州|县|旗)$")
# Placeholder rows of the MCA tables that are not places (市辖区, 县 under a municipality, 省直辖县级行政区划 …).
PLACEHOLDER_NAMES = frozenset({"市辖区", "县", "郊区辖", "省直辖县级行政区划", "自治区直辖县级行政区划",
                               "省直辖行政单位", "直辖县级行政区划", "省直辖", "省直管", "省直管县", "省直辖县",
                               "直辖县", "省直辖县级市", "省直管市", "直管市", "省辖"})

# Words after a unit's name that name its government or the programme rather than a place (沈河区人民政府,
# 沈河区实验区): dropped, with a note.
INSTITUTION = re.compile(r"(人民政府|政府|民政局|民政厅|党委|区委|县委|市委|委员会|社区治理和服务创新实验区|"
                         r"城乡社区治理创新实验区|社区治理创新实验区|创新实验区|实验区)$")

# Suffixes a written place name can end with that are *below* county level or not administrative divisions at all.
# Checked only on text the gazetteer could not match (浦东新区, 滨海新区, 神农架林区 are counties and match first).
BELOW_COUNTY = re.compile(
    r"(街道办事处|街道|办事处|镇|乡|苏木|社区|村|嘎查|园区|产业园|工业园|新区|开发区|高新区|经开区|保税区|综合试验区|"
    r"试验区|示范区|功能区|管委会|管理委员会|管理区|片区|度假区|风景区|景区|合作区|港区|农场|林场|牧场|垦区|团场|团)$"
)
# 新疆生产建设兵团 and its divisions (第六师) and regiments (一〇三团): not county-level divisions of the map.
XPCC = re.compile(r"兵团|^第[一二三四五六七八九十〇零\d]+师|[一二三四五六七八九十〇零百\d]+团$")
XPCC_PARTS = re.compile(r"新疆生产建设兵团|兵团|第[一二三四五六七八九十〇零\d]+师")  # the corps and a division


@lru_cache(maxsize=1)
def _variants() -> dict[str, str]:
    with open(DATA_DIR / "variant-characters.csv", encoding="utf-8") as fh:
        return {row["variant"]: row["standard"] for row in csv.DictReader(fh)}


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=8192)
def _canonical_char(ch: str) -> str:
    ch = unicodedata.normalize("NFKC", ch)
    simple = _t2s().convert(ch) if ch else ch
    return "".join(_variants().get(c, c) for c in simple)


def canonical(text: str) -> str:
    """The key both sides are compared on: each character alone through t2s and the variant table; spaces and
    punctuation dropped. Never shown to anyone."""
    out = []
    for ch in str(text):
        if ch.isspace() or unicodedata.category(ch)[0] in "PZCS" or ch.isascii() and ch.isalnum():
            continue  # punctuation, symbols (★), footnote digits and letters are never part of a name
        out.append(_canonical_char(ch))
    return "".join(out)


def plain(text: str) -> str:
    """NFKC and no spaces, characters otherwise as written (what a note quotes back)."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", str(text)) if not ch.isspace())


_PROVINCE_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "省", "市")
_PREFECTURE_SUFFIXES = ("地区", "市", "盟")
_COUNTY_SUFFIXES = ("林区", "特区", "新区", "区", "县", "市", "旗")


def short_forms(name: str, level: str) -> list[str]:
    """Short ways of writing a unit that people use (each at least two characters, so 沛县 has none):

    province 广东省 → 广东, 内蒙古自治区 → 内蒙古; prefecture 佛山市 → 佛山, 湘西土家族苗族自治州 → 湘西州 / 湘西,
    大兴安岭地区 → 大兴安岭; county 南海区 → 南海, 石柱土家族自治县 → 石柱县 / 石柱, 鄂伦春自治旗 → 鄂伦春旗.
    """
    forms: list[str] = []
    m = _AUTONOMOUS.match(name)
    if m:
        base, kind = m["base"], m["kind"]
        forms += [base + kind, base]
    elif name.endswith("自治旗"):  # 鄂伦春自治旗, 莫力达瓦达斡尔族自治旗 (base + nationality handled above)
        forms += [name[:-3] + "旗", name[:-3]]
    suffixes = {"province": _PROVINCE_SUFFIXES, "prefecture": _PREFECTURE_SUFFIXES, "county": _COUNTY_SUFFIXES}[level]
    if forms and level != "province":  # an autonomous area: its forms are made above (not 石柱土家族自治)
        suffixes = ()
    for suffix in suffixes:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            forms.append(name[: -len(suffix)])
            break
    return [f for f in dict.fromkeys(forms) if len(f) >= 2 and f != name]


# Characters that are misread or mistyped for one another in place names. Used only to *suggest* candidates for a
# row that did not match; a row is never resolved through this table.
LOOKALIKES = {
    "毫": "亳", "亳": "毫", "汆": "氽", "沪": "泸", "泸": "沪", "拓": "柘", "柘": "拓", "彬": "郴", "郴": "彬",
    "衮": "兖", "兖": "衮", "祈": "祁", "祁": "祈", "峪": "浴", "泊": "洎", "漯": "潔", "睢": "雎", "雎": "睢",
    "濉": "睢", "邹": "鄒", "郓": "恽", "荥": "荧", "荧": "荥", "莘": "辛", "邗": "刊", "盱": "旴", "旴": "盱",
    "岐": "歧", "歧": "岐", "渑": "绳", "猇": "虢", "鄄": "甄", "甄": "鄄", "邛": "功", "犍": "健", "郫": "俾",
    "汶": "文", "崂": "劳", "婺": "务", "溧": "漂", "漂": "溧", "鄞": "勤", "滁": "除", "亶": "檀", "呼": "乎",
    "己": "已", "已": "己", "戊": "戌", "戌": "戊", "未": "末", "末": "未", "干": "千", "千": "干", "士": "土",
    "土": "士", "日": "曰", "曰": "日", "宫": "官", "官": "宫", "锡": "赐", "宁": "宇", "宇": "宁", "余": "佘",
    "佘": "余", "海": "梅", "梅": "海", "徽": "微", "微": "徽", "濮": "璞", "璞": "濮", "滦": "栾", "栾": "滦",
}


def lookalike_spellings(text: str, limit: int = 40) -> list[str]:
    """`text` with one character swapped for a look-alike (毫州市 → 亳州市), at most `limit` spellings."""
    out = []
    for i, ch in enumerate(text):
        alt = LOOKALIKES.get(ch)
        if alt:
            out.append(text[:i] + alt + text[i + 1 :])
        if len(out) >= limit:
            break
    return out


NUMBERED_LINE = re.compile(
    r"^\s*(?:第?[0-9]+[项个条]?\s*[.．、,，:：)）]|[(（【\[]\s*[0-9一二三四五六七八九十百〇]+\s*[)）】\]]|"
    r"[0-9]+\s+(?=[\u4e00-\u9fff])|[一二三四五六七八九十百]+\s*[、.．]|"
    r"[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳㉑㉒㉓㉔㉕㉖㉗㉘㉙㉚㉛㉜㉝㉞㉟㊱㊲㊳㊴㊵㊶㊷㊸㊹㊺㊻㊼㊽㊾㊿⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽⒈⒉⒊⒋⒌⒍⒎⒏⒐⒑])\s*"
)


def strip_list_number(line: str) -> tuple[str, bool]:
    """'1．上海市长宁区' → ('上海市长宁区', True); '(3) 沛县', '一、…', '①…' likewise; other text unchanged, False."""
    m = NUMBERED_LINE.match(line)
    if not m:
        return line.strip(), False
    return line[m.end() :].strip(), True
