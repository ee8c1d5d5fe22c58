"""The app with its roster in PostgreSQL (AppTest, real cluster): the map draws from the database, a save through
the import page lands as one new version, a save made by another server shows after the poll interval, and a
stopped database gives a message while the map keeps the last roster read and saves are refused."""

from pathlib import Path

import pytest
import streamlit as st

from loaders import roster_db
from loaders.roster import read_roster_csv
from tests.pages.conftest import all_text, map_html

SEED = Path(__file__).resolve().parents[2] / "data" / "sources" / "minhan-2019-41.txt"
APP = str(Path(__file__).resolve().parents[2] / "app.py")
TOKEN = "correct horse battery staple"


@pytest.fixture
def app(pg, store, monkeypatch):
    """AppTest against a database holding the first 5 rows of the bundled roster."""
    from streamlit.testing.v1 import AppTest

    from ui import cached

    roster_db.upgrade(store.engine)
    roster_db.replace_all(store.engine, read_roster_csv().head(5), None, [])
    monkeypatch.setenv("ZONE_ATLAS_DATABASE_URL", pg.url)
    monkeypatch.setenv("ZONE_ATLAS_ADMIN_TOKEN", TOKEN)
    monkeypatch.setattr(cached, "POLL_SECONDS", 0.0)  # every run asks for the version (tests do not wait)
    monkeypatch.setattr(cached, "RETRY_SECONDS", 0.0)

    def fresh():  # this process is one server: forget what an earlier test's server read
        cached._checked.clear()
        cached._down.clear()
        st.cache_resource.clear()

    fresh()
    yield lambda: AppTest.from_file(APP, default_timeout=90)
    fresh()


def save_seed(at):
    at.switch_page("pages/import_roster.py").run()
    at.radio(key="imp_mode").set_value("paste").run()
    at.text_area(key="imp_text").input(SEED.read_text(encoding="utf-8")).run()
    at.text_input(key="imp_batch").input("2019b").run()
    at.text_input(key="imp_token").input(TOKEN)
    at.button[-1].click().run()
    assert not at.exception
    return at


def zones_on_map(at) -> int:
    return map_html(at).count('"kind": "zone"')


def test_the_map_draws_the_roster_in_the_database(app):
    at = app().run()
    assert not at.exception
    assert "5 / 5" in all_text(at), all_text(at)


def test_a_save_through_the_import_page_is_one_new_version(app, pg):
    at = save_seed(app().run())
    assert "已保存" in all_text(at) and "数据库版本 1" in all_text(at), all_text(at)
    assert pg.sql("SELECT version FROM roster_state") == "2"
    assert pg.sql("SELECT count(*) FROM roster_zones") == str(5 + 31)
    at.switch_page("pages/map.py").run()
    assert "36 / 36" in all_text(at)


def test_a_save_made_by_another_server_shows_on_the_next_run(app, store):
    at = app().run()
    assert "5 / 5" in all_text(at)
    rows = read_roster_csv().iloc[5:8]
    store.save_import(rows, source_file="other-server.csv", batch="2019")  # as replica B would
    at.run()
    assert "8 / 8" in all_text(at), all_text(at)


def test_a_stopped_database_gives_a_message_the_map_still_draws_and_saves_are_refused(app, pg):
    at = app().run()
    drawn = zones_on_map(at)
    assert drawn > 0
    pg.stop()
    try:
        at = app().run()  # a new session on this server (AppTest's rerun does not redraw app.py's own elements)
        assert not at.exception
        assert any("连不上名单数据库" in w.value for w in at.warning), all_text(at)
        assert zones_on_map(at) == drawn
        at = save_seed(at)
        assert any("未保存：暂时连不上名单数据库" in e.value for e in at.error), all_text(at)
    finally:
        pg.start()
    assert pg.sql("SELECT version FROM roster_state") == "1"
    assert pg.sql("SELECT count(*) FROM roster_zones") == "5"
    at = app().run()
    assert not any("连不上名单数据库" in w.value for w in at.warning)


def test_a_server_started_while_the_database_is_down_says_so(app, pg):
    pg.stop()
    try:
        at = app().run()
        assert not at.exception
        assert any("连不上名单数据库" in e.value for e in at.error), all_text(at)
    finally:
        pg.start()
