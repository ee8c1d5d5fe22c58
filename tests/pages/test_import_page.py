"""Import page in AppTest: the seed document pasted as-is resolves 31/31; columns can be mapped by hand; an
ambiguous row is joined by choosing a candidate; the counts line adds up; the admin-token gate guards saving."""

from pathlib import Path

import pytest

from loaders.roster import load_batches, load_roster, read_roster_csv
from tests.pages.conftest import all_text
from ui.importing import input_token

SEED = Path(__file__).resolve().parents[2] / "data" / "sources" / "minhan-2019-41.txt"


def open_import(app):
    at = app().run()
    at.switch_page("pages/import_roster.py").run()
    assert not at.exception
    return at


def paste(at, text):
    at.radio(key="imp_mode").set_value("paste").run()
    at.text_area(key="imp_text").input(text).run()
    assert not at.exception
    return at


def test_seed_text_pasted_as_is_resolves_31_of_31(app):
    at = paste(open_import(app), SEED.read_text(encoding="utf-8"))
    text = all_text(at)
    assert "读取 31 行：已对应 31，有歧义 0，未找到 0，非县级单位 0，未采用 0" in text
    assert at.text_input(key="imp_doc").value == "民函〔2019〕41号"
    assert at.text_input(key="imp_date").value == "2019-03-25"


def test_without_a_server_token_the_page_is_preview_only(app, monkeypatch):
    monkeypatch.delenv("ZONE_ATLAS_ADMIN_TOKEN", raising=False)
    at = paste(open_import(app), SEED.read_text(encoding="utf-8"))
    assert "仅供预览" in all_text(at)
    assert not at.get("form")


@pytest.fixture
def writable_roster(tmp_path, monkeypatch):
    path = tmp_path / "roster.csv"
    read_roster_csv().head(5).to_csv(path, index=False)
    monkeypatch.setenv("ZONE_ATLAS_ROSTER", str(path))
    monkeypatch.setenv("ZONE_ATLAS_ADMIN_TOKEN", "correct horse battery staple")
    return path


def test_wrong_token_does_not_save(app, writable_roster):
    before = writable_roster.read_bytes()
    at = paste(open_import(app), SEED.read_text(encoding="utf-8"))
    at.text_input(key="imp_token").input("wrong")
    at.button[-1].click().run()  # the form's submit button
    assert "口令不正确" in all_text(at)
    assert writable_roster.read_bytes() == before


def test_during_a_lockout_the_page_says_so_once_and_not_that_the_token_is_wrong(app, writable_roster):
    from ui import admin

    admin.ATTEMPTS.clear()
    try:
        for _ in range(admin.MAX_FAILURES):
            admin.ATTEMPTS.failed()
        at = paste(open_import(app), SEED.read_text(encoding="utf-8"))
        at.text_input(key="imp_token").input("correct horse battery staple")
        at.button[-1].click().run()
        messages = [e.value for e in (*at.error, *at.warning)]
        assert sum("错误次数过多" in m for m in messages) == 1, messages
        assert not any("口令不正确" in m for m in messages), messages
    finally:
        admin.ATTEMPTS.clear()


def test_right_token_saves_atomically_with_a_backup(app, writable_roster):
    at = paste(open_import(app), SEED.read_text(encoding="utf-8"))
    at.text_input(key="imp_batch").input("2019b").run()
    at.text_input(key="imp_token").input("correct horse battery staple")
    at.button[-1].click().run()
    assert not at.exception
    assert "已保存" in all_text(at), all_text(at)
    assert len(load_roster(writable_roster).zones) == 5 + 31
    assert list((writable_roster.parent / "versions").glob("roster-*.csv"))


def upload(at, name, data):
    at.file_uploader(key="imp_file").upload(name, data).run()
    assert not at.exception, at.exception
    return at


def counts_line(at) -> str:
    return next(line for line in all_text(at).splitlines() if line.startswith("读取"))


def test_an_ambiguous_row_is_joined_by_choosing_a_candidate(app):
    data = "省份,区县,实验主题\n江苏省,鼓楼区,社区协商\n北京市,石景山区,老街坊\n".encode()
    at = upload(open_import(app), "list.csv", data)
    assert counts_line(at) == "读取 2 行：已对应 1，有歧义 1，未找到 0，非县级单位 0，未采用 0"
    pick = at.selectbox(key=f"imp_pick_{input_token('list.csv', data)}_1")
    assert pick.options == ["—请选择—", "江苏省南京市鼓楼区（320106）", "江苏省徐州市鼓楼区（320302）", "手填区划代码…"]
    pick.set_value("320106").run()
    assert counts_line(at) == "读取 2 行：已对应 2，有歧义 0，未找到 0，非县级单位 0，未采用 0"
    assert "可保存 2 行" in all_text(at)


def test_a_code_can_be_typed_for_an_unknown_row(app):
    data = "省份,区县\n北京市,石景山去\n".encode()
    at = upload(open_import(app), "typo.csv", data)
    token = input_token("typo.csv", data)
    at.selectbox(key=f"imp_pick_{token}_1").set_value("__manual__").run()
    at.text_input(key=f"imp_code_{token}_1").input("110107").run()
    assert counts_line(at) == "读取 1 行：已对应 1，有歧义 0，未找到 0，非县级单位 0，未采用 0"


def test_unrecognised_headers_are_mapped_by_the_user(app):
    data = "甲,乙,丙\n吉林省,长春市,朝阳区\n吉林省,吉林市,船营区\n".encode("gbk")
    at = upload(open_import(app), "名单.csv", data)
    assert "找不到表头" in all_text(at) and not any(line.startswith("读取") for line in all_text(at).splitlines())
    token = input_token("名单.csv", data)
    for i, field in enumerate(("province", "prefecture", "county")):
        at.selectbox(key=f"imp_col_{token}_0_{i}").set_value(field)
    at.run()
    assert counts_line(at) == "读取 2 行：已对应 2，有歧义 0，未找到 0，非县级单位 0，未采用 0"


def test_empty_and_junk_uploads_get_a_message_not_a_traceback(app):
    at = upload(open_import(app), "empty.csv", b"")
    assert "文件是空的" in all_text(at)
    at = upload(open_import(app), "junk.xlsx", bytes(range(256)) * 8)
    assert "无法打开 Excel" in all_text(at)


JILIN_DOC = """吉林省民政厅关于确认长春市朝阳区等3个单位为省级社区治理和服务创新实验区的通知
吉民函〔2020〕99号
各市（州）民政局：经评审，同意确认长春市朝阳区等3个单位为省级社区治理和服务创新实验区，实验周期为2年。
附件
序号
实验单位
实验主题
1
长春市朝阳区
完善社区协商机制 建立居民议事会
2
吉林市船营区
三社联动 以社区为平台
3
四平市铁西区
智慧社区建设 建设社区信息平台

吉林省民政厅
2020年4月8日
"""


def test_a_provincial_batch_is_saved_with_its_official_size_and_counted_on_the_compare_page(app, writable_roster):
    at = paste(open_import(app), JILIN_DOC)
    assert at.selectbox(key="imp_prog").value == "provincial"
    assert at.text_input(key="imp_batch").value == "吉林省2020"
    assert at.number_input(key="imp_size").value == 3
    assert "文件中写明：等3个单位" in all_text(at)
    assert counts_line(at) == "读取 3 行：已对应 3，有歧义 0，未找到 0，非县级单位 0，未采用 0"
    assert "本批次名单已录入 3/3" in all_text(at)
    at.text_input(key="imp_token").input("correct horse battery staple")
    at.button[-1].click().run()
    assert "已保存" in all_text(at), all_text(at)
    zones = load_roster(writable_roster).zones
    assert list(zones[zones.programme == "provincial"].zone_id) == ["JL-2020-01", "JL-2020-02", "JL-2020-03"]
    batches = load_batches(writable_roster.with_name("batches.csv")).set_index("batch")
    assert batches.loc["吉林省2020", "official_size"] == 3 and batches.loc["吉林省2020", "programme"] == "provincial"
    at.switch_page("pages/compare.py").run()
    assert "省级实验区（其他）·吉林省2020：已录入 3/3" in all_text(at)


def test_the_token_can_come_from_streamlit_secrets(app, monkeypatch, writable_roster):
    monkeypatch.delenv("ZONE_ATLAS_ADMIN_TOKEN")  # only the secret below
    at = app()
    at.secrets["admin_token"] = "from-secrets"
    at.run()
    at.switch_page("pages/import_roster.py").run()
    paste(at, JILIN_DOC)
    assert at.get("form") and "仅供预览" not in all_text(at)
    at.text_input(key="imp_token").input("from-secrets")
    at.button[-1].click().run()
    assert "已保存" in all_text(at) and len(load_roster(writable_roster).zones) == 5 + 3


def test_a_chosen_candidate_shows_on_the_session_map_joined(app):
    data = "省份,区县,实验主题\n江苏省,鼓楼区,社区协商\n".encode()
    at = upload(open_import(app), "list.csv", data)
    at.selectbox(key=f"imp_pick_{input_token('list.csv', data)}_1").set_value("320302").run()
    next(b for b in at.button if b.label == "在地图上显示（仅本次会话）").click().run()
    shown = at.session_state["imported_zones"]
    assert list(shown.adcode) == ["320302"] and bool(shown.joined.iloc[0])


def test_a_document_uploaded_as_txt_is_read_like_a_paste(app):
    at = upload(open_import(app), "minhan.txt", SEED.read_bytes())
    assert counts_line(at) == "读取 31 行：已对应 31，有歧义 0，未找到 0，非县级单位 0，未采用 0"


def test_every_download_of_the_pages_leaves_the_page_as_it_is(app):
    """A download changes nothing, so none reruns the page (on_click="ignore"): a click that follows one (the
    other format, the next export) is not lost in a rerun. Map, compare (two provinces side by side) and import."""
    at = app().run()
    pages = {"map": at}
    compare = app().run()
    compare.switch_page("pages/compare.py").run()
    compare.multiselect(key="cmp_provinces").select("320000").select("330000").run()
    pages["compare"] = compare
    pages["import"] = paste(open_import(app), SEED.read_text(encoding="utf-8"))
    for name, page in pages.items():
        assert not page.exception, name
        buttons = page.get("download_button")
        assert buttons, name
        assert [b.proto.label for b in buttons if not b.proto.ignore_rerun] == [], name
