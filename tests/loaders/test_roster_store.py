"""Saving an import: atomic, keeps the previous version, logs, and survives being killed mid-write."""

import os
import signal
import subprocess
import sys
import textwrap

import pandas as pd
import pytest

from loaders.roster import RosterError, load_roster, read_roster_csv
from loaders.roster_store import read_import_log, save_import, token_matches


@pytest.fixture
def roster(tmp_path):
    path = tmp_path / "roster.csv"
    read_roster_csv().to_csv(path, index=False)
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
