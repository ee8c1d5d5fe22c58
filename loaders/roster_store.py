"""Saving an imported roster into the dashboard's data: atomic write, previous version kept, import log appended.

The roster file is replaced with os.replace() of a fully written and fsynced temporary file in the same folder,
so a crash or a killed process at any moment leaves either the old file or the new one — never a mix. Before
the replace, the current file is copied to `<data>/versions/roster-<timestamp>.csv`.
"""

from __future__ import annotations

import csv
import hmac
import json
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from loaders.roster import ROSTER_COLUMNS, RosterError, validate_roster

LOG_NAME = "import-log.jsonl"


@dataclass(frozen=True)
class SaveResult:
    path: Path
    previous: Path | None
    rows_written: int
    rows_added: int


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


def save_import(incoming: pd.DataFrame, roster_path: Path, *, source_file: str, batch: str) -> SaveResult:
    """Validate, merge and atomically save; keep the previous version; append to the import log."""
    roster_path = Path(roster_path)
    current = pd.read_csv(roster_path, dtype=str, keep_default_na=False) if roster_path.exists() else \
        pd.DataFrame(columns=ROSTER_COLUMNS)
    merged = merge_rosters(current, incoming.astype(str))
    checked = validate_roster(merged)
    if checked.problems:
        raise RosterError(checked.problems)
    previous = None
    if roster_path.exists():
        versions = roster_path.parent / "versions"
        versions.mkdir(exist_ok=True)
        previous = versions / f"{roster_path.stem}-{time.strftime('%Y%m%d-%H%M%S')}-{time.time_ns() % 10**6:06d}.csv"
        shutil.copy2(roster_path, previous)
    atomic_write_csv(merged, roster_path)
    entry = {
        "at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "file": source_file,
        "rows": int(len(incoming)),
        "batch": batch,
        "roster_rows_after": int(len(merged)),
        "previous_version": str(previous) if previous else None,
    }
    with (roster_path.parent / LOG_NAME).open("a", encoding="utf-8") as log:
        log.write(json.dumps(entry, ensure_ascii=False) + "\n")
    return SaveResult(roster_path, previous, len(merged), len(merged) - len(current))


def read_import_log(folder: Path) -> list[dict]:
    path = Path(folder) / LOG_NAME
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
