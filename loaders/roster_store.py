"""Saving an imported roster into the dashboard's data: atomic write, previous version kept, import log appended.

The roster file is replaced with os.replace() of a fully written and fsynced temporary file in the same folder,
so a crash or a killed process at any moment leaves either the old file or the new one — never a mix. Before
the replace, the current file is copied to `<data>/versions/roster-<timestamp>.csv`. The batch's line in
`batches.csv` beside the roster (programme, authority, 文号, official size) is written the same way, before the
roster and after both files have been checked, so a refused save changes neither.
"""

from __future__ import annotations

import csv
import hmac
import json
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from loaders.roster import (
    BATCH_COLUMNS,
    BATCHES_PATH,
    PROGRAMMES,
    ROSTER_COLUMNS,
    RosterError,
    RosterProblem,
    batches_path_for,
    validate_roster,
)

try:
    import fcntl  # POSIX; on Windows only the in-process lock applies
except ImportError:  # pragma: no cover
    fcntl = None

LOG_NAME = "import-log.jsonl"


class StoreUnavailable(RuntimeError):
    """The roster's store cannot be reached (the database is down); nothing was read or written."""


@dataclass(frozen=True)
class SaveResult:
    path: Path
    previous: Path | None
    rows_written: int
    rows_added: int
    batches_path: Path | None = None


def token_matches(given: str | None, expected: str | None) -> bool:
    """Constant-time comparison; an unset server token never matches (the page stays preview-only)."""
    if not expected or not given:
        return False
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write_csv(frame: pd.DataFrame, path: Path) -> None:
    """Write `frame` to `path` so readers only ever see a complete file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            frame.to_csv(fh, index=False, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        _fsync_dir(path.parent)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def merge_rosters(current: pd.DataFrame, incoming: pd.DataFrame) -> pd.DataFrame:
    """Current rows plus incoming rows; an incoming row with an existing zone_id replaces that row."""
    keep = current[~current["zone_id"].isin(set(incoming["zone_id"]))]
    return pd.concat([keep[ROSTER_COLUMNS], incoming[ROSTER_COLUMNS]], ignore_index=True)


def upsert_batch(current: pd.DataFrame, record: dict) -> pd.DataFrame:
    """batches.csv with `record` added, or merged into the line of the same batch and programme (a value left
    empty in `record`, such as an unknown official size, keeps what was there). A batch label already used by the
    other programme is refused: pages count a batch's zones by its label."""
    current = current.astype(str).reindex(columns=BATCH_COLUMNS, fill_value="")
    record = {k: str(record.get(k) or "") for k in BATCH_COLUMNS}
    if not record["batch"]:
        raise RosterError([RosterProblem(None, "batch", "批次为空：请填写批次名称")])
    if record["official_size"] and not (record["official_size"].isdigit() and int(record["official_size"]) > 0):
        raise RosterError([RosterProblem(None, "official_size", f"“{record['official_size']}”不是正整数")])
    other = current[(current.batch == record["batch"]) & (current.programme != record["programme"])]
    if len(other):
        used = PROGRAMMES.get(other.programme.iloc[0], other.programme.iloc[0])
        raise RosterError([RosterProblem(None, "batch", f"批次名“{record['batch']}”已用于{used}，"
                                                        f"请换一个（如“{record['authority'][:3]}{record['batch']}”）")])
    same = (current.batch == record["batch"]) & (current.programme == record["programme"])
    if same.any():
        old = current[same].iloc[0].to_dict()
        record = {k: record[k] or old.get(k, "") for k in BATCH_COLUMNS}
        return pd.concat([current[~same], pd.DataFrame([record])], ignore_index=True)
    return pd.concat([current, pd.DataFrame([record])], ignore_index=True)


def _backup(path: Path) -> Path:
    versions = path.parent / "versions"
    versions.mkdir(exist_ok=True)
    copy = versions / f"{path.stem}-{time.strftime('%Y%m%d-%H%M%S')}-{time.time_ns() % 10**6:06d}.csv"
    shutil.copy2(path, copy)
    return copy


_SAVING = threading.Lock()


@contextmanager
def _one_save_at_a_time(folder: Path) -> Iterator[None]:
    """Read-merge-write as one step: two admins saving at once would otherwise both merge into the roster as it
    was, and the later write would drop the earlier import. A thread lock for one server's sessions, flock for
    several processes on the same data folder."""
    folder.mkdir(parents=True, exist_ok=True)
    with _SAVING, (folder / ".roster.lock").open("w") as lock:
        if fcntl is not None:
            fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def save_import(incoming: pd.DataFrame, roster_path: Path, *, source_file: str, batch: str,
                batch_record: dict | None = None) -> SaveResult:
    """Validate, merge and atomically save; keep the previous version; append to the import log.

    With `batch_record`, the batch's line in batches.csv beside the roster is added or updated too (the bundled
    batches.csv is the starting point when the roster has none beside it yet)."""
    roster_path = Path(roster_path)
    with _one_save_at_a_time(roster_path.parent):
        return _save_import(incoming, roster_path, source_file=source_file, batch=batch, batch_record=batch_record)


def _save_import(incoming: pd.DataFrame, roster_path: Path, *, source_file: str, batch: str,
                 batch_record: dict | None) -> SaveResult:
    current = pd.read_csv(roster_path, dtype=str, keep_default_na=False) if roster_path.exists() else \
        pd.DataFrame(columns=ROSTER_COLUMNS)
    merged = merge_rosters(current, incoming.astype(str))
    checked = validate_roster(merged)
    if checked.problems:
        raise RosterError(checked.problems)
    batches_path = new_batches = None
    if batch_record is not None:
        batches_path = roster_path.with_name(BATCHES_PATH.name)
        base = pd.read_csv(batches_path_for(roster_path), dtype=str, keep_default_na=False)
        new_batches = upsert_batch(base, batch_record)
    previous = _backup(roster_path) if roster_path.exists() else None
    previous_batches = _backup(batches_path) if batches_path is not None and batches_path.exists() else None
    # Two files, each replaced atomically; the batch line goes first. A save killed between the two leaves a
    # batch line whose zones are not on the roster yet (shown as 已录入 0/N, the same state as a batch announced
    # before its list), never zones whose batch has no line; the log entry, written last, is missing, and saving
    # the import again completes it (both steps merge by key).
    if new_batches is not None:
        atomic_write_csv(new_batches, batches_path)
    atomic_write_csv(merged, roster_path)
    replaced = int(incoming["zone_id"].isin(set(current["zone_id"])).sum())
    entry = {
        "at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "file": source_file,
        "rows": int(len(incoming)),
        "batch": batch,
        "programme": batch_record.get("programme") if batch_record else None,
        "official_size": (batch_record.get("official_size") or None) if batch_record else None,
        "added": int(len(incoming)) - replaced,
        "updated": replaced,
        "roster_rows_after": int(len(merged)),
        "previous_version": str(previous) if previous else None,
        "previous_batches": str(previous_batches) if previous_batches else None,
    }
    with (roster_path.parent / LOG_NAME).open("a", encoding="utf-8") as log:
        log.write(json.dumps(entry, ensure_ascii=False) + "\n")
        log.flush()
        os.fsync(log.fileno())
    return SaveResult(roster_path, previous, len(merged), len(merged) - len(current), batches_path)


def read_import_log(folder: Path) -> list[dict]:
    path = Path(folder) / LOG_NAME
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
