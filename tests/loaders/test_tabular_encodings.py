"""Encodings (issue 13): the 2019 roster in Big5 (Traditional text from Hong Kong/Taiwan sources), GBK, GB18030,
UTF-8 with and without BOM, UTF-16 — each read as written; Big5 and GBK, which decode each other's bytes into
gibberish, are told apart by which gives a recognised header; no candidate → "encoding not recognised"."""

import pytest

from loaders.tabular import HeaderNotFound, IntakeError, read_grid, read_table
from loaders.text import to_simplified
from loaders.textfile import common_share
from tests.loaders.roster_files import csv_text, roster_rows

ROWS = roster_rows()


def traditional(text: str) -> str:
    import opencc

    return opencc.OpenCC("s2t").convert(text)


def test_the_2019_roster_saved_as_big5_is_read_not_refused():
    """The handed case: today decoded as GBK gibberish and refused with 找不到表头."""
    data = traditional(csv_text(ROWS)).encode("big5")
    table = read_table(data, "2019.csv")
    assert len(table.rows) == 31
    assert list(table.rows.unit_name) == [r[2] for r in ROWS]  # read Traditional, kept Simplified
    assert any("Big5" in m for m in table.messages())


def test_big5_bytes_do_decode_as_gbk_gibberish_which_is_why_the_header_decides():
    data = traditional(csv_text(ROWS)).encode("big5")
    gibberish = data.decode("gb18030")  # no error: the trap
    assert "省份" not in to_simplified(gibberish)
    assert common_share(gibberish) < 0.9 <= common_share(data.decode("big5"))


@pytest.mark.parametrize("sep", [",", "\t"])
def test_a_big5_roster_with_a_title_row_and_tabs(sep):
    text = "附件：2019年全國社區治理和服務創新實驗區名單\n" + traditional(csv_text(ROWS[:8], sep=sep))
    table = read_table(text.encode("big5"), "a.csv")
    assert list(table.rows.county) == [r[1] for r in ROWS[:8]]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16", "utf-16-le", "utf-16-be"])
def test_the_2019_roster_in_every_encoding(encoding):
    table = read_table(csv_text(ROWS).encode(encoding), "2019.csv")
    assert list(table.rows.unit_name) == [r[2] for r in ROWS]


def test_gbk_text_is_not_taken_for_big5():
    data = csv_text(ROWS).encode("gbk")
    table = read_table(data, "a.csv")
    assert table.encoding == "gb18030" and list(table.rows.province) == [r[0] for r in ROWS]


def test_a_gbk_table_with_unrecognised_headers_still_offers_the_column_mapping():
    data = "甲,乙,丙\n吉林省,长春市,朝阳区\n吉林省,吉林市,船营区\n".encode("gbk")
    grid = read_grid(data, "x.csv")
    assert grid.cells[1] == ["吉林省", "长春市", "朝阳区"]
    with pytest.raises(HeaderNotFound, match="GBK"):
        read_table(data, "x.csv")


@pytest.mark.parametrize("encoding", ["shift_jis", "euc_kr", "cp1251"])
def test_text_in_an_encoding_we_do_not_read_is_refused_as_encoding_not_recognised(encoding):
    words = {"shift_jis": "都道府県,市区町村,事業所\n東京都,千代田区,丸の内\n大阪府,大阪市,梅田\n",
             "euc_kr": "도,시,군\n경기도,수원시,팔달구\n강원도,춘천시,효자동\n",
             "cp1251": "Область,Город,Район\nМосковская,Химки,Левобережный\n"}[encoding]
    with pytest.raises(IntakeError, match="无法识别文件编码") as err:
        read_table(words.encode(encoding) * 3, "x.csv")
    assert not isinstance(err.value, HeaderNotFound)


def test_a_broken_utf16_file_says_the_encoding_is_wrong():
    with pytest.raises(IntakeError, match="无法识别编码"):
        read_table(b"\xff\xfe" + "省份\t区县\n".encode("utf-16-le") + b"\x00\xd8", "x.csv")


@pytest.mark.parametrize("encoding", ["big5", "gbk"])
def test_english_headers_over_chinese_rows_are_decoded_by_the_common_characters(encoding):
    """An ASCII header reads the same in GBK and Big5: the rows' characters decide."""
    text = csv_text(ROWS[:10], header=["province", "county", "unit_name"])
    data = (traditional(text) if encoding == "big5" else text).encode(encoding)
    assert list(read_table(data, "a.csv").rows.unit_name) == [r[2] for r in ROWS[:10]]

