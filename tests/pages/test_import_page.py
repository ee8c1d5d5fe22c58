"""Import page in AppTest: the seed document pasted as-is resolves 31/31; the admin-token gate guards saving."""

from pathlib import Path

import pytest

from loaders.roster import load_roster, read_roster_csv
from tests.pages.conftest import all_text

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


def test_right_token_saves_atomically_with_a_backup(app, writable_roster):
    at = paste(open_import(app), SEED.read_text(encoding="utf-8"))
    at.text_input(key="imp_batch").input("2019b").run()
    at.text_input(key="imp_token").input("correct horse battery staple")
    at.button[-1].click().run()
    assert not at.exception
    assert "已保存" in all_text(at), all_text(at)
    assert len(load_roster(writable_roster).zones) == 5 + 31
    assert list((writable_roster.parent / "versions").glob("roster-*.csv"))
