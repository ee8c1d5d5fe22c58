"""The roster in a real PostgreSQL: one-transaction saves, both of two concurrent saves kept, readers never see half
a save, a killed save leaves nothing, files in and out, columns added later, and a stopped database reported."""

import os
import subprocess
import sys
import textwrap
import threading
import time

import pandas as pd
import pytest

from loaders import roster_db, roster_store
from loaders.db import main as db_cli
from loaders.roster import ROSTER_COLUMNS, RosterError, read_roster_csv, validate_roster
from loaders.roster_source import DatabaseRosterStore, FileRosterStore
from loaders.roster_store import StoreUnavailable

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

BUNDLED = len(read_roster_csv())  # rows of data/roster.csv (the 2019 units and the public lists)


def seeded(store) -> DatabaseRosterStore:
    roster_db.upgrade(store.engine)
    roster_db.replace_all(store.engine, read_roster_csv(), None, [])
    return store


def new_rows(prefix: str = "JL", n: int = 2) -> pd.DataFrame:
    rows = read_roster_csv().head(n).copy()
    rows["zone_id"] = [f"{prefix}-2019-{i + 1:02d}" for i in range(n)]
    rows["programme"] = "provincial"
    rows["authority"] = "吉林省民政厅"
    rows["doc_number"] = "吉民发〔2019〕30号"
    rows["status"] = "申报"
    return rows


def test_schema_is_created_once_and_upgrade_is_idempotent(pg, store):
    assert store.version() == "db@0"
    assert roster_db.upgrade(store.engine) == roster_db.SCHEMA_VERSION
    assert pg.sql("SELECT count(*) FROM zone_atlas_schema") == str(roster_db.SCHEMA_VERSION)


def test_a_save_merges_keeps_the_previous_version_and_logs(store):
    seeded(store)
    result = store.save_import(new_rows(), source_file="jilin.xlsx", batch="吉林2019",
                               batch_record={"batch": "吉林2019", "programme": "provincial",
                                             "authority": "吉林省民政厅", "official_size": "5"})
    assert (result.rows_written, result.rows_added, result.previous) == (BUNDLED + 2, 2, "数据库版本 1")
    snap = store.snapshot()
    assert snap.version == "db@2" and len(validate_roster(snap.roster).zones) == BUNDLED + 2
    assert snap.batches.set_index("batch").loc["吉林2019", "official_size"] == "5"
    assert "2019" in set(snap.batches.batch)  # the bundled batch line is the starting point, kept
    (vid, replaced, _), = roster_db.previous_versions(store.engine)
    assert replaced == 1 and len(roster_db.read_previous(store.engine, vid).roster) == BUNDLED
    log = store.import_log()
    assert log[-1]["file"] == "jilin.xlsx" and log[-1]["rows"] == 2 and log[-1]["previous_version"] == 1


def test_a_row_with_an_existing_zone_id_replaces_it(store):
    seeded(store)
    row = read_roster_csv().head(1).copy()
    row["status"] = "结项验收"
    result = store.save_import(row, source_file="update.csv", batch="2019")
    assert result.rows_added == 0
    roster = store.snapshot().roster
    assert len(roster) == BUNDLED and roster.set_index("zone_id").loc[row.zone_id.iloc[0], "status"] == "结项验收"


def test_invalid_rows_are_refused_and_nothing_changes(pg, store):
    seeded(store)
    bad = new_rows()
    bad.loc[0, "status"] = "乱写"
    with pytest.raises(RosterError, match="乱写"):
        store.save_import(bad, source_file="x.csv", batch="2019")
    assert store.version() == "db@1"
    assert pg.sql("SELECT count(*) FROM roster_zones") == str(BUNDLED)
    assert pg.sql("SELECT count(*) FROM roster_versions") == "0"


def test_two_saves_at_once_keep_both_imports(store, monkeypatch):
    """The second save waits on the first one's row lock and then merges into what it committed."""
    seeded(store)
    inside, real_validate = threading.Barrier(2, timeout=3), roster_db.validate_roster

    def validate_meeting_the_other_save(frame):
        try:
            inside.wait()  # without the row lock both saves get here with the same old roster
        except threading.BrokenBarrierError:
            pass
        return real_validate(frame)

    monkeypatch.setattr(roster_db, "validate_roster", validate_meeting_the_other_save)
    other = DatabaseRosterStore(store.engine.url.render_as_string(hide_password=False))
    errors = []

    def save(target, prefix):
        try:
            target.save_import(new_rows(prefix, 1), source_file=f"{prefix}.csv", batch="2019")
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=save, args=a) for a in ((store, "JL"), (other, "GS"))]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=60)
    assert errors == []
    ids = set(store.snapshot().roster.zone_id)
    assert {"JL-2019-01", "GS-2019-01"} <= ids and len(ids) == BUNDLED + 2
    assert store.version() == "db@3"
    other.engine.dispose()


def test_a_reader_during_a_save_sees_the_whole_old_roster(store, monkeypatch):
    seeded(store)
    written, release = threading.Event(), threading.Event()
    real_write = roster_db._write

    def write_then_wait(conn, *args):
        version = real_write(conn, *args)  # rows deleted and rewritten, version bumped: not committed yet
        written.set()
        release.wait(30)
        return version

    monkeypatch.setattr(roster_db, "_write", write_then_wait)
    saver = threading.Thread(target=store.save_import, args=(new_rows(),),
                             kwargs={"source_file": "a.csv", "batch": "2019"})
    saver.start()
    try:
        assert written.wait(30)
        reader = DatabaseRosterStore(store.engine.url.render_as_string(hide_password=False))
        during = reader.snapshot()
        assert during.version == "db@1" and len(during.roster) == BUNDLED
    finally:
        release.set()
        saver.join(30)
    after = reader.snapshot()
    assert after.version == "db@2" and len(after.roster) == BUNDLED + 2
    reader.engine.dispose()


def test_a_save_killed_inside_its_transaction_leaves_the_roster_as_it_was(pg, store):
    """A server process SIGKILLed after it wrote the new rows but before COMMIT: PostgreSQL rolls it all back."""
    seeded(store)
    script = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {REPO!r})
        import time
        from loaders import roster_db
        from loaders.roster import read_roster_csv
        from loaders.roster_source import DatabaseRosterStore
        real = roster_db._write
        def write_and_hang(conn, *args):
            real(conn, *args)
            print("written", flush=True)
            time.sleep(60)
        roster_db._write = write_and_hang
        rows = read_roster_csv().head(2).copy()
        rows["zone_id"] = ["JL-2019-01", "JL-2019-02"]
        DatabaseRosterStore({pg.url!r}).save_import(rows, source_file="k.csv", batch="2019")
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "written"
    finally:
        proc.kill()
        proc.wait(10)
    deadline = time.monotonic() + 30
    while pg.sql("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'zone-atlas' "
                 "AND state LIKE 'idle in transaction%'") != "0" and time.monotonic() < deadline:
        time.sleep(0.1)  # the server notices the dropped connection and rolls back
    assert store.version() == "db@1"
    assert set(store.snapshot().roster.zone_id) == set(read_roster_csv().zone_id)
    assert pg.sql("SELECT count(*) FROM import_log") == "0"


def test_files_in_and_out_round_trip(pg, store, tmp_path):
    folder = tmp_path / "office"
    folder.mkdir()
    source = folder / "roster.csv"
    read_roster_csv().to_csv(source, index=False)
    FileRosterStore(source).save_import(new_rows(), source_file="jilin.xlsx", batch="吉林2019",
                                        batch_record={"batch": "吉林2019", "programme": "provincial"})
    assert db_cli(["--database-url", pg.url, "import-files", "--roster", str(source)]) == 0
    assert db_cli(["--database-url", pg.url, "import-files", "--roster", str(source), "--if-empty"]) == 0
    assert store.version() == "db@1"  # --if-empty did nothing the second time
    assert store.import_log()[0]["file"] == "jilin.xlsx"  # the file roster's log came along
    out = tmp_path / "backup"
    assert db_cli(["--database-url", pg.url, "export-files", "--out", str(out)]) == 0
    pd.testing.assert_frame_equal(read_roster_csv(out / "roster.csv"), read_roster_csv(source))
    assert (out / "batches.csv").read_text() == (folder / "batches.csv").read_text()
    assert (out / "import-log.jsonl").read_text().count("\n") == 1


def test_a_column_added_to_the_schema_later_needs_no_migration(pg, store, monkeypatch):
    """Rows saved before a column existed read it as empty; new rows keep it, in the roster's column order."""
    seeded(store)
    grown = [*ROSTER_COLUMNS, "adcode"]
    monkeypatch.setattr(roster_store, "ROSTER_COLUMNS", grown)
    monkeypatch.setattr(roster_db, "ROSTER_COLUMNS", grown)
    rows = new_rows(n=1).assign(adcode="220102")
    store.save_import(rows, source_file="a.csv", batch="2019")
    roster = store.snapshot().roster
    assert list(roster.columns) == grown
    by_id = roster.set_index("zone_id")["adcode"]
    assert by_id["JL-2019-01"] == "220102" and by_id[read_roster_csv().zone_id.iloc[0]] == ""
    assert "adcode" not in pg.sql("SELECT string_agg(column_name, ',') FROM information_schema.columns "
                                  "WHERE table_name = 'roster_zones'")


def test_a_stopped_database_is_reported_and_nothing_is_saved(pg, store):
    seeded(store)
    pg.stop()
    try:
        started = time.monotonic()
        with pytest.raises(StoreUnavailable):
            store.version()
        with pytest.raises(StoreUnavailable):
            store.save_import(new_rows(), source_file="a.csv", batch="2019")
        assert time.monotonic() - started < 10
    finally:
        pg.start()
    assert store.version() == "db@1" and len(store.snapshot().roster) == BUNDLED
