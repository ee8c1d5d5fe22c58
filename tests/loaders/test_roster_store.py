"""Saving an import: atomic, keeps the previous version, logs, and survives being killed mid-write."""

import os
import signal
import subprocess
import sys
import textwrap

import pandas as pd
import pytest

from loaders.roster import RosterError, batches_path_for, load_batches, load_roster, read_roster_csv
from loaders.roster_store import read_import_log, save_import, token_matches, upsert_batch


@pytest.fixture
def roster(tmp_path):
    path = tmp_path / "roster.csv"
    raw = read_roster_csv()
    raw[raw.batch == "2019"].to_csv(path, index=False)  # the 31 units of 2019: counts below are 31 + new rows
    return path


def new_rows():
    rows = read_roster_csv().head(2).copy()
    rows["zone_id"] = ["JL-2019-01", "JL-2019-02"]
    rows["programme"] = "provincial"
    rows["authority"] = "吉林省民政厅"
    rows["doc_number"] = "吉民发〔2019〕30号"
    rows["status"] = "申报"
    return rows


def test_save_appends_keeps_previous_and_logs(roster):
    before = roster.read_bytes()
    result = save_import(new_rows(), roster, source_file="jilin.xlsx", batch="2019")
    assert result.rows_written == 33 and result.rows_added == 2
    assert result.previous.read_bytes() == before
    assert len(load_roster(roster).zones) == 33
    log = read_import_log(roster.parent)
    assert log[-1]["file"] == "jilin.xlsx" and log[-1]["rows"] == 2 and log[-1]["batch"] == "2019"


def test_invalid_rows_are_refused_and_nothing_changes(roster):
    before = roster.read_bytes()
    bad = new_rows()
    bad.loc[0, "status"] = "乱写"
    with pytest.raises(RosterError, match="乱写"):
        save_import(bad, roster, source_file="x.csv", batch="2019")
    assert roster.read_bytes() == before


def test_killed_write_leaves_the_previous_roster_intact(roster, tmp_path):
    """A writer process is SIGKILLed half-way through writing a huge roster; the file is still the old one."""
    before = roster.read_bytes()
    script = textwrap.dedent(f"""
        import sys, pandas as pd
        sys.path.insert(0, {str(os.getcwd())!r})
        from loaders import roster_store
        big = pd.read_csv({str(roster)!r}, dtype=str, keep_default_na=False)
        big = pd.concat([big] * 20000, ignore_index=True)
        real = pd.DataFrame.to_csv
        def slow(self, fh, **kw):
            real(self.head(1000), fh, **kw); fh.flush(); print("writing", flush=True)
            import time; time.sleep(30)
        pd.DataFrame.to_csv = slow
        roster_store.atomic_write_csv(big, {str(roster)!r})
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "writing"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    assert roster.read_bytes() == before
    assert len(load_roster(roster).zones) == 31


def test_token_comparison():
    assert token_matches("s3cret-token", "s3cret-token")
    assert not token_matches("s3cret-tokeX", "s3cret-token")
    assert not token_matches("", "")
    assert not token_matches("anything", None)


def test_same_unit_in_two_batches_is_legitimate(roster):
    again = read_roster_csv().head(1).copy()
    again["zone_id"] = "CN-2021-01"
    again["batch"] = "2021"
    again["approved_on"] = "2021-05-01"
    again["status_as_of"] = "2021-05-01"
    save_import(again, roster, source_file="2021.csv", batch="2021")
    zones = pd.read_csv(roster, dtype=str)
    assert (zones.unit_name == "北京市石景山区").sum() == 2


def jilin_batch(size="40"):
    return {"batch": "吉林省2019", "programme": "provincial", "authority": "吉林省民政厅", "doc_number": "吉民发〔2019〕30号",
            "approved_on": "2019-05-21", "official_size": size, "label": "吉林省民政厅 吉林省2019", "source": "导入 jilin.xlsx"}


def test_save_writes_the_batch_and_its_official_size_beside_the_roster(roster):
    rows = new_rows().assign(batch="吉林省2019")
    result = save_import(rows, roster, source_file="jilin.xlsx", batch="吉林省2019", batch_record=jilin_batch())
    batches = load_batches(result.batches_path)
    assert result.batches_path == roster.parent / "batches.csv"
    bundled = list(load_batches().batch)
    assert list(batches.batch) == [*bundled, "吉林省2019"]  # the bundled batches kept, the new one added
    assert batches.set_index("batch").loc["吉林省2019", "official_size"] == 40
    assert batches_path_for(roster) == result.batches_path
    entry = read_import_log(roster.parent)[-1]
    assert {k: entry[k] for k in ("file", "rows", "batch", "official_size", "added", "updated")} == {
        "file": "jilin.xlsx", "rows": 2, "batch": "吉林省2019", "official_size": "40", "added": 2, "updated": 0}
    assert entry["at"][:4].isdigit()


def test_a_save_stopped_between_its_two_files_leaves_no_zone_without_its_batch(roster, monkeypatch):
    """The batch line is written before the roster: stopped in between, the roster is the previous one, the
    batch is known with no zones yet, no log entry says the import happened, and saving again completes it."""
    import loaders.roster_store as store

    before, real_write = roster.read_bytes(), store.atomic_write_csv

    def stop_at_the_roster(frame, path):
        if path == roster:
            raise KeyboardInterrupt("stopped between the two files")
        real_write(frame, path)

    monkeypatch.setattr(store, "atomic_write_csv", stop_at_the_roster)
    rows = new_rows().assign(batch="吉林省2019")
    with pytest.raises(KeyboardInterrupt):
        save_import(rows, roster, source_file="jilin.xlsx", batch="吉林省2019", batch_record=jilin_batch())
    assert roster.read_bytes() == before and read_import_log(roster.parent) == []
    assert "吉林省2019" in set(load_batches(roster.parent / "batches.csv").batch)
    monkeypatch.setattr(store, "atomic_write_csv", real_write)
    save_import(rows, roster, source_file="jilin.xlsx", batch="吉林省2019", batch_record=jilin_batch())
    assert {"JL-2019-01", "JL-2019-02"} <= set(load_roster(roster).zones.zone_id)
    assert (load_batches(roster.parent / "batches.csv").batch == "吉林省2019").sum() == 1


def test_saving_the_batch_again_without_a_size_keeps_the_known_size(roster):
    rows = new_rows().assign(batch="吉林省2019")
    save_import(rows, roster, source_file="a.xlsx", batch="吉林省2019", batch_record=jilin_batch())
    result = save_import(rows, roster, source_file="b.xlsx", batch="吉林省2019", batch_record=jilin_batch(size=""))
    batches = load_batches(result.batches_path)
    assert (batches.batch == "吉林省2019").sum() == 1 and batches.official_size.iloc[-1] == 40
    assert list(result.batches_path.parent.glob("versions/batches-*.csv"))
    assert read_import_log(roster.parent)[-1]["updated"] == 2


def test_a_batch_label_used_by_the_other_programme_is_refused_and_nothing_changes(roster):
    before = roster.read_bytes()
    clash = dict(jilin_batch(), batch="2019")
    with pytest.raises(RosterError, match="已用于全国实验区"):
        save_import(new_rows(), roster, source_file="x.csv", batch="2019", batch_record=clash)
    assert roster.read_bytes() == before and not (roster.parent / "batches.csv").exists()


def test_upsert_batch_refuses_a_size_that_is_not_a_number():
    with pytest.raises(RosterError, match="正整数"):
        upsert_batch(load_batches(), dict(jilin_batch(), official_size="四十"))
