"""Web addresses from the data are links a reader can open and copy: the card's history and results lines turn a
source_url into a markdown link to exactly that address; anything that is not a plain http(s) address stays text
(ui.text.md_link; what the browser makes of both: tests/browser/test_hostile_input.py)."""

import html

import pytest

from loaders.history import status_history
from loaders.roster import load_roster
from tests.pages.conftest import all_text
from ui.text import WORD_JOINER, md_escape, md_link

SMX = "http://mzj.smx.gov.cn/10162/615997152/966973.html"  # data/results.csv: the 2019 batch's results notice
CAIGOU = "http://caigou2003.com/zhengcaizixun/zhengfumaifuwu/544277.html"  # data/roster.csv: batch 1's acceptance


@pytest.mark.parametrize(("url", "href"), [
    (SMX, SMX),
    ("https://www.mca.gov.cn/n152/n165/c1662004999979993697/content.html",
     "https://www.mca.gov.cn/n152/n165/c1662004999979993697/content.html"),
    ("HTTPS://Example.ORG:8443/a?b=1&c=2#d", "HTTPS://Example.ORG:8443/a?b=1&c=2#d"),
    ("https://a.example/x_(y)", "https://a.example/x_%28y%29"),  # a ")" would end the markdown destination
    ("  http://a.example/  ", "http://a.example/"),
])
def test_an_http_address_becomes_a_link_to_itself(url, href):
    out = md_link(url)
    assert out.endswith(f"]({href})")
    label = out[1:out.rindex("](")]
    assert html.unescape(label.replace("\\", "").replace(WORD_JOINER, "")) == url.strip()
    assert "://" in label  # the scheme reads (and copies) as written, no word joiner in it


@pytest.mark.parametrize("text", [
    "javascript:alert(1)", "JavaScript://%0aalert(1)", "data:text/html,<script>x</script>", "ftp://a.example/x",
    "http:///nohost", "http://", "mzj.smx.gov.cn/10162", "三明市民政局网站", "https://例子.中国/", "http://a.example/ b",
    "http://a.example/\u202ex", "[x](http://a.example/)", "http://[::1/x", "https://a.example/" + "x" * 2100,
])
def test_anything_else_is_shown_as_text(text):
    assert md_link(text) == md_escape(text.strip())


def test_each_history_step_carries_its_address_apart_from_its_words():
    roster = load_roster().zones
    steps = status_history(roster[roster.zone_id == "CN-2011-08"].iloc[0])
    assert {s.url for s in steps} == {CAIGOU} and all("中国网" in s.source and "http" not in s.source for s in steps)
    results = [s for s in status_history(roster[roster.zone_id == "CN-2019-01"].iloc[0]) if s.step == "成果通报"]
    assert [s.url for s in results] == [SMX] and "http" not in results[0].source


def test_the_card_links_its_sources(app):
    text = all_text(app(zone="CN-2011-08").run())  # batch 1: acceptance reported by 中国网
    assert f"]({CAIGOU})" in text
    text = all_text(app(zone="CN-2019-01").run())  # the 2019 results notice
    assert f"]({SMX})" in text
    assert f"http:{WORD_JOINER}" not in text  # no address on the card broken by the escaping


@pytest.mark.parametrize(("zone", "source", "once"), [
    # read from data/sources/public-lists/national-batch1.csv: named by its source (history, 来源与可信度), no 出处 line repeating it
    ("CN-2011-08", None, "中国网 2015-10-09 报道（政府采购信息网转载）：民政部通知第一批12个实验区通过结项验收"),
    ("GS-2020-03", None, "甘民复〔2020〕17号批复全文及附件（16个单位）的转载"),  # provincial-gansu-2020.csv
    ("CN-2019-01", "出处：民函〔2019〕41号 附件 第1行（原文第34–36行）", None),  # a document's own line: kept
])
def test_the_card_names_the_source_not_our_own_file(app, zone, source, once):
    text = all_text(app(zone=zone).run())
    assert ".csv" not in text
    if source:
        assert source in text, zone
    if once:
        assert once in text and "出处：" not in text, zone  # not a third time as 出处
