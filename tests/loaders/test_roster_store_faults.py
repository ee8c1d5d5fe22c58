"""The roster file under real faults: a writer SIGKILLed in the middle of a real write (nothing patched), and two
admins saving at the same moment (neither import is lost)."""

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time

import pytest

from loaders import roster_store
from loaders.roster import load_roster, read_roster_csv
from loaders.roster_store import save_import

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.fixture
def roster(tmp_path):
    path = tmp_path / "roster.csv"
    raw = read_roster_csv()
    raw[raw.batch == "2019"].to_csv(path, index=False)  # the 31 units of 2019: counts below are 31 + new rows
    return path


def test_sigkill_during_a_real_write_leaves_the_previous_roster(roster):
    """The writer is killed once its temporary file has grown past 2 MB — mid-write, by observation, not by a
    patched-in pause — and the roster is still the old one; the cut-off temporary file is evidence of where."""
    before = roster.read_bytes()
    script = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {REPO!r})
        import pandas as pd
        from loaders.roster_store import atomic_write_csv
        rows = pd.read_csv({str(roster)!r}, dtype=str, keep_default_na=False)
        big = pd.concat([rows] * 6000, ignore_index=True)  # ≈80 MB of CSV: takes a while to write
        print("ready", flush=True)
        atomic_write_csv(big, {str(roster)!r})
        print("done", flush=True)
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "ready"
    deadline, partial = time.monotonic() + 120, None
    while time.monotonic() < deadline and partial is None:
        for tmp in roster.parent.glob(f".{roster.name}.*.tmp"):
            try:
                if tmp.stat().st_size > 2_000_000:
                    partial = tmp
            except FileNotFoundError:
                pass
        if proc.poll() is not None:
            break
        time.sleep(0.002)  # polling the file size; the kill follows the observed state
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert partial is not None, "the writer finished before it could be killed mid-write"
    assert proc.returncode == -signal.SIGKILL
    assert roster.read_bytes() == before
    assert len(load_roster(roster).zones) == 31
    size = partial.stat().st_size
    assert 2_000_000 < size < 80_000_000 * 0.9  # the temporary file was cut off part-way


def new_rows(prefix: str):
    rows = read_roster_csv().head(1).copy()
    rows["zone_id"] = f"{prefix}-2019-01"
    rows["programme"] = "provincial"
    return rows


def test_two_saves_at_once_keep_both_imports(roster, monkeypatch):
    """Both admins' rows end up in the file: the second save reads the roster after the first one wrote it."""
    inside, real_validate = threading.Barrier(2, timeout=3), roster_store.validate_roster

    def validate_meeting_the_other_save(frame):
        try:
            inside.wait()  # without a lock both saves get here with the same old roster read
        except threading.BrokenBarrierError:
            pass  # with a lock the other save cannot be here: go on alone
        return real_validate(frame)

    monkeypatch.setattr(roster_store, "validate_roster", validate_meeting_the_other_save)
    errors = []

    def save(prefix):
        try:
            save_import(new_rows(prefix), roster, source_file=f"{prefix}.csv", batch="2019")
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=save, args=(p,)) for p in ("JL", "GS")]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=60)
    assert errors == []
    ids = set(read_roster_csv(roster).zone_id)
    assert {"JL-2019-01", "GS-2019-01"} <= ids
    assert len(ids) == 33
