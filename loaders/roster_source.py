"""Where the roster lives: one interface (RosterStore), two back ends — files in the data folder (the default) or
PostgreSQL when ZONE_ATLAS_DATABASE_URL is set (several servers sharing one roster).

Pages and caches ask a store for three things: a cheap `version()` that changes with every save (caches are keyed
by it, so a save made by another server is picked up on the next page run), a consistent `snapshot()` of roster
and batches, and `save_import()`. A store that cannot be reached raises loaders.roster_store.StoreUnavailable.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pandas as pd

from loaders import roster_store
from loaders.roster import BATCHES_PATH, ROSTER_PATH, batches_path_for, read_roster_csv

DATABASE_ENV = "ZONE_ATLAS_DATABASE_URL"
ROSTER_ENV = "ZONE_ATLAS_ROSTER"


@dataclass(frozen=True)
class StoreSnapshot:
    version: str
    roster: pd.DataFrame  # raw str cells (validate with loaders.roster.validate_roster)
    batches: pd.DataFrame  # raw str cells of batches.csv's columns


@dataclass(frozen=True)
class SavedImport:
    rows_written: int  # rows on the roster after the save
    rows_added: int
    previous: str  # where the replaced roster was kept: a file name in versions/, or 数据库版本 N


class RosterStore(Protocol):
    label: str  # what a message names: the roster file's name, or the database

    def version(self) -> str:
        """Changes whenever the roster or batches change; cheap (a stat, or one primary-key read)."""

    def snapshot(self) -> StoreSnapshot:
        """Roster and batches as they were at one moment (never half a save)."""

    def save_import(self, incoming: pd.DataFrame, *, source_file: str, batch: str,
                    batch_record: dict | None = None) -> SavedImport:
        """Validate, merge by zone_id and save atomically, keeping the previous version; RosterError if refused."""

    def import_log(self) -> list[dict]:
        """One entry per save, oldest first."""


class FileRosterStore:
    """The roster CSV (and batches.csv, versions/, import-log.jsonl beside it): loaders.roster_store."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.label = self.path.name

    def version(self) -> str:
        parts = []
        for p in (self.path, self.path.with_name(BATCHES_PATH.name)):
            try:
                s = p.stat()
            except FileNotFoundError:
                parts.append("-")
                continue
            parts.append(f"{s.st_ino}.{s.st_mtime_ns}.{s.st_size}")  # a rename over the file changes the inode
        return f"{self.path}@{':'.join(parts)}"

    def snapshot(self) -> StoreSnapshot:
        version = self.version()
        raw = read_roster_csv(self.path)
        batches = pd.read_csv(batches_path_for(self.path), dtype=str, keep_default_na=False)
        return StoreSnapshot(version, raw, batches)

    def save_import(self, incoming, *, source_file, batch, batch_record=None) -> SavedImport:
        result = roster_store.save_import(incoming, self.path, source_file=source_file, batch=batch,
                                          batch_record=batch_record)
        return SavedImport(result.rows_written, result.rows_added, result.previous.name if result.previous else "—")

    def import_log(self) -> list[dict]:
        return roster_store.read_import_log(self.path.parent)


class DatabaseRosterStore:
    """The roster in PostgreSQL (loaders.roster_db); the schema is created or migrated on first use."""

    label = "数据库"

    def __init__(self, url: str) -> None:
        from loaders import roster_db  # SQLAlchemy is imported only by servers that use a database

        self._db = roster_db
        self.engine = roster_db.make_engine(url)
        self._upgraded = False

    def _ensure_schema(self) -> None:
        if not self._upgraded:  # retried on the next call if the database was down when the server started
            self._db.upgrade(self.engine)
            self._upgraded = True

    def version(self) -> str:
        self._ensure_schema()
        return f"db@{self._db.version(self.engine)}"

    def snapshot(self) -> StoreSnapshot:
        self._ensure_schema()
        snap = self._db.read(self.engine)
        batches = snap.batches if snap.batches is not None else \
            pd.read_csv(batches_path_for(ROSTER_PATH), dtype=str, keep_default_na=False)
        return StoreSnapshot(f"db@{snap.version}", snap.roster, batches)

    def save_import(self, incoming, *, source_file, batch, batch_record=None) -> SavedImport:
        self._ensure_schema()
        result = self._db.save_import(self.engine, incoming, source_file=source_file, batch=batch,
                                      batch_record=batch_record)
        return SavedImport(result.rows_written, result.rows_added, f"数据库版本 {result.previous_version}")

    def import_log(self) -> list[dict]:
        self._ensure_schema()
        return self._db.read_import_log(self.engine)


def roster_file(env: Mapping[str, str] = os.environ) -> Path:
    """The roster file: the bundled one, or the agency's own via ZONE_ATLAS_ROSTER."""
    return Path(env.get(ROSTER_ENV) or ROSTER_PATH)


def store_from_env(env: Mapping[str, str] = os.environ) -> RosterStore:
    """PostgreSQL when ZONE_ATLAS_DATABASE_URL is set, else the roster file. Opening does not connect: the
    first call that needs the database does (and raises StoreUnavailable while it cannot be reached)."""
    url = env.get(DATABASE_ENV, "").strip()
    return DatabaseRosterStore(url) if url else FileRosterStore(roster_file(env))
