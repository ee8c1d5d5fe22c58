"""The roster in PostgreSQL (SQLAlchemy Core over psycopg 3): schema migrations, one-transaction saves, a version.

Chosen with ZONE_ATLAS_DATABASE_URL=postgresql://user:password@host:port/database; without it the roster stays
in files (loaders.roster_store.FileRosterStore). Both back ends answer the same questions (RosterStore).

Shape of the data. A roster row is kept as one JSONB object keyed by column name, and the roster's column order
is recorded beside it (`roster_state.columns`). Adding a column to loaders.roster.ROSTER_SCHEMA therefore needs
no ALTER TABLE: the next save writes rows with the new key, and older rows simply lack it (read back as an
empty cell, the same as a CSV column that is there but empty). Batches and previous versions are kept the same way.

Guarantees, all from PostgreSQL rather than from our own locks:
- a save is one transaction: the roster, its batch line, the previous version and the log entry are committed
  together or not at all (a server killed mid-save leaves the roster as it was);
- two saves at once keep both imports: a save first locks the single `roster_state` row (SELECT … FOR UPDATE),
  so the second one reads the roster only after the first has committed, and merges into it;
- a reader never sees half a save: the version, rows and batches are read in one REPEATABLE READ snapshot;
- `roster_state.version` goes up by one with every save, so a replica learns that the roster changed with one
  primary-key lookup (`version()`), and rebuilds what it derived only then.
"""

from __future__ import annotations

import functools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

from loaders.roster import BATCH_COLUMNS, BATCHES_PATH, ROSTER_COLUMNS, RosterError, validate_roster
from loaders.roster_store import StoreUnavailable, merge_rosters, upsert_batch

SCHEMA_LOCK = 0x7A6F6E65  # pg_advisory_xact_lock key: replicas starting at once migrate one after the other
CONNECT_TIMEOUT_S = 3  # an unreachable database is reported within seconds, not after the OS's TCP timeout

metadata = sa.MetaData()
schema_version = sa.Table("zone_atlas_schema", metadata, sa.Column("version", sa.Integer, nullable=False))
roster_state = sa.Table(
    "roster_state", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("version", sa.BigInteger, nullable=False),
    sa.Column("columns", JSONB, nullable=False),
    sa.Column("batch_columns", JSONB, nullable=False),
    sa.Column("batches_saved", sa.Boolean, nullable=False),
    sa.Column("saved_at", sa.DateTime(timezone=True)),
)
roster_zones = sa.Table(
    "roster_zones", metadata,
    sa.Column("position", sa.Integer, primary_key=True),
    sa.Column("zone_id", sa.Text, nullable=False),
    sa.Column("data", JSONB, nullable=False),
)
roster_batches = sa.Table(
    "roster_batches", metadata,
    sa.Column("position", sa.Integer, primary_key=True),
    sa.Column("data", JSONB, nullable=False),
)
roster_versions = sa.Table(
    "roster_versions", metadata,
    sa.Column("id", sa.BigInteger, primary_key=True),
    sa.Column("replaced_version", sa.BigInteger, nullable=False),
    sa.Column("saved_at", sa.DateTime(timezone=True)),
    sa.Column("columns", JSONB, nullable=False),
    sa.Column("zones", JSONB, nullable=False),
    sa.Column("batch_columns", JSONB, nullable=False),
    sa.Column("batches", JSONB, nullable=False),
)
import_log = sa.Table(
    "import_log", metadata,
    sa.Column("id", sa.BigInteger, primary_key=True),
    sa.Column("version", sa.BigInteger, nullable=False),
    sa.Column("entry", JSONB, nullable=False),
)

# Each migration runs once, in order, in the transaction that records it. Append; never edit a released one.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        "CREATE TABLE roster_state (id integer PRIMARY KEY CHECK (id = 1), version bigint NOT NULL, "
        "columns jsonb NOT NULL, batch_columns jsonb NOT NULL, batches_saved boolean NOT NULL, "
        "saved_at timestamptz)",
        "INSERT INTO roster_state VALUES (1, 0, '[]', '[]', false, NULL)",
        "CREATE TABLE roster_zones (position integer PRIMARY KEY, zone_id text NOT NULL, data jsonb NOT NULL)",
        "CREATE INDEX roster_zones_zone_id ON roster_zones (zone_id)",
        "CREATE TABLE roster_batches (position integer PRIMARY KEY, data jsonb NOT NULL)",
        "CREATE TABLE roster_versions (id bigserial PRIMARY KEY, replaced_version bigint NOT NULL, "
        "saved_at timestamptz, columns jsonb NOT NULL, zones jsonb NOT NULL, batch_columns jsonb NOT NULL, "
        "batches jsonb NOT NULL)",
        "CREATE TABLE import_log (id bigserial PRIMARY KEY, version bigint NOT NULL, entry jsonb NOT NULL)",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)


class DatabaseUnavailable(StoreUnavailable):
    """The database cannot be reached (stopped, network down, refused login). Nothing was written."""


def engine_url(url: str) -> str:
    """postgresql://… (what an administrator writes) → the SQLAlchemy URL for psycopg 3."""
    for prefix in ("postgresql+psycopg://", "postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    raise ValueError("ZONE_ATLAS_DATABASE_URL must start with postgresql://")


def make_engine(url: str) -> sa.Engine:
    """A small connection pool; connections are checked before use, so a restarted database is picked up again."""
    return sa.create_engine(engine_url(url), pool_size=2, max_overflow=4, pool_pre_ping=True,
                            connect_args={"connect_timeout": CONNECT_TIMEOUT_S, "application_name": "zone-atlas"})


def upgrade(engine: sa.Engine) -> int:
    """Create or migrate the schema to SCHEMA_VERSION (idempotent; safe from several replicas at once).
    Returns the version now in the database. Raises DatabaseUnavailable."""
    try:
        with engine.begin() as conn:
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": SCHEMA_LOCK})
            conn.execute(sa.text("CREATE TABLE IF NOT EXISTS zone_atlas_schema (version integer NOT NULL)"))
            current = conn.execute(sa.select(sa.func.max(schema_version.c.version))).scalar() or 0
            if current > SCHEMA_VERSION:
                raise RuntimeError(f"database schema {current} is newer than this program's {SCHEMA_VERSION}")
            for number in range(current + 1, SCHEMA_VERSION + 1):
                for statement in MIGRATIONS[number - 1]:
                    conn.execute(sa.text(statement))
                conn.execute(schema_version.insert().values(version=number))
            return SCHEMA_VERSION
    except sa.exc.OperationalError as exc:
        raise DatabaseUnavailable(str(exc.orig)) from exc


def _frame(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    """Rows (JSON objects) as a str frame in the recorded column order; keys not recorded go last, in first-seen
    order, and a key a row lacks is an empty cell."""
    order = list(columns) + [k for r in rows for k in r if k not in columns]
    order = list(dict.fromkeys(order))
    return pd.DataFrame([[str(r.get(c, "")) for c in order] for r in rows], columns=order, dtype=str)


def _records(frame: pd.DataFrame) -> list[dict]:
    return frame.astype(str).to_dict("records")


@dataclass(frozen=True)
class Snapshot:
    version: int
    roster: pd.DataFrame  # raw str cells, as a CSV would give them
    batches: pd.DataFrame | None  # None until a save has written batches (then the bundled batches.csv applies)


@dataclass(frozen=True)
class DbSaveResult:
    version: int
    previous_version: int
    rows_written: int
    rows_added: int


def _guard(fn: Callable):
    """Turn 'cannot reach the database' into DatabaseUnavailable (the transaction was rolled back by PostgreSQL)."""
    @functools.wraps(fn)
    def wrapped(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except (sa.exc.OperationalError, sa.exc.InterfaceError) as exc:
            raise DatabaseUnavailable(str(getattr(exc, "orig", exc))) from exc
    return wrapped


@_guard
def version(engine: sa.Engine) -> int:
    """The roster's version: one primary-key read, cheap enough to ask on every page run."""
    with engine.connect() as conn:
        return int(conn.execute(sa.select(roster_state.c.version)).scalar_one())


def _read(conn: sa.Connection) -> Snapshot:
    state = conn.execute(sa.select(roster_state)).one()
    zones = conn.execute(sa.select(roster_zones.c.data).order_by(roster_zones.c.position)).scalars().all()
    roster = _frame(list(zones), list(state.columns) or ROSTER_COLUMNS)
    batches = None
    if state.batches_saved:
        lines = conn.execute(sa.select(roster_batches.c.data).order_by(roster_batches.c.position)).scalars().all()
        batches = _frame(list(lines), list(state.batch_columns) or BATCH_COLUMNS)
    return Snapshot(int(state.version), roster, batches)


@_guard
def read(engine: sa.Engine) -> Snapshot:
    """The roster and batches as one consistent snapshot (REPEATABLE READ, read only)."""
    with engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn, conn.begin():
        conn.execute(sa.text("SET TRANSACTION READ ONLY"))
        return _read(conn)


def _write(conn: sa.Connection, roster: pd.DataFrame, batches: pd.DataFrame | None, replaced: Snapshot,
           log_entry: dict | None) -> int:
    """Inside a transaction holding the roster_state lock: keep `replaced` as a previous version, write the new
    roster (and batches), bump the version, log. Returns the new version."""
    old_batches = replaced.batches if replaced.batches is not None else pd.DataFrame(columns=BATCH_COLUMNS)
    if len(replaced.roster) or replaced.batches is not None:
        conn.execute(roster_versions.insert().values(
            replaced_version=replaced.version, saved_at=sa.func.now(), columns=list(replaced.roster.columns),
            zones=_records(replaced.roster), batch_columns=list(old_batches.columns), batches=_records(old_batches)))
    conn.execute(roster_zones.delete())
    if len(roster):
        conn.execute(roster_zones.insert(), [{"position": i, "zone_id": r.get("zone_id", ""), "data": r}
                                             for i, r in enumerate(_records(roster))])
    values = {"version": roster_state.c.version + 1, "columns": list(roster.columns), "saved_at": sa.func.now()}
    if batches is not None:
        conn.execute(roster_batches.delete())
        if len(batches):
            conn.execute(roster_batches.insert(), [{"position": i, "data": r}
                                                   for i, r in enumerate(_records(batches))])
        values.update(batch_columns=list(batches.columns), batches_saved=True)
    new_version = conn.execute(roster_state.update().values(**values).returning(roster_state.c.version)).scalar_one()
    if log_entry is not None:
        conn.execute(import_log.insert().values(version=new_version, entry=log_entry))
    return int(new_version)


def _locked(conn: sa.Connection) -> Snapshot:
    conn.execute(sa.select(roster_state.c.id).with_for_update())  # one save at a time, across every replica
    return _read(conn)


@_guard
def save_import(engine: sa.Engine, incoming: pd.DataFrame, *, source_file: str, batch: str,
                batch_record: dict | None = None) -> DbSaveResult:
    """Validate, merge and save in one transaction (same rules as loaders.roster_store.save_import: an incoming
    row replaces the row with its zone_id, the batch line is added or merged, the previous version is kept, the
    import is logged). Raises RosterError (nothing written) or DatabaseUnavailable (nothing written)."""
    with engine.begin() as conn:
        current = _locked(conn)
        merged = merge_rosters(current.roster.reindex(columns=ROSTER_COLUMNS, fill_value=""), incoming.astype(str))
        checked = validate_roster(merged)
        if checked.problems:
            raise RosterError(checked.problems)
        new_batches = None
        if batch_record is not None:
            base = current.batches if current.batches is not None else \
                pd.read_csv(BATCHES_PATH, dtype=str, keep_default_na=False)
            new_batches = upsert_batch(base, batch_record)
        replaced = int(incoming["zone_id"].isin(set(current.roster.get("zone_id", pd.Series(dtype=str)))).sum())
        entry = {
            "at": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "file": source_file, "rows": int(len(incoming)),
            "batch": batch, "programme": batch_record.get("programme") if batch_record else None,
            "official_size": (batch_record.get("official_size") or None) if batch_record else None,
            "added": int(len(incoming)) - replaced, "updated": replaced, "roster_rows_after": int(len(merged)),
            "previous_version": current.version,
        }
        new_version = _write(conn, merged, new_batches, current, entry)
    return DbSaveResult(new_version, current.version, len(merged), len(merged) - len(current.roster))


@_guard
def replace_all(engine: sa.Engine, roster: pd.DataFrame, batches: pd.DataFrame | None, log: list[dict],
                *, only_if_empty: bool = False) -> int | None:
    """Put a whole roster (as read from files, bad rows included: they are shown with their reasons, as from a
    file) into the database in one transaction, keeping what was there as a previous version. With
    `only_if_empty`, do nothing (return None) when the database already holds a roster."""
    with engine.begin() as conn:
        current = _locked(conn)
        if only_if_empty and (current.version > 0 or len(current.roster)):
            return None
        new_version = _write(conn, roster.astype(str), batches, current, None)
        for entry in log:
            conn.execute(import_log.insert().values(version=new_version, entry=entry))
        return new_version


@_guard
def read_import_log(engine: sa.Engine) -> list[dict]:
    """The import log, oldest first (same entries as import-log.jsonl; 'previous_version' is a version number)."""
    with engine.connect() as conn:
        return list(conn.execute(sa.select(import_log.c.entry).order_by(import_log.c.id)).scalars())


@_guard
def previous_versions(engine: sa.Engine) -> list[tuple[int, int, str]]:
    """(id, replaced version, saved at ISO time) of every kept previous version, oldest first."""
    with engine.connect() as conn:
        rows = conn.execute(sa.select(roster_versions.c.id, roster_versions.c.replaced_version,
                                      roster_versions.c.saved_at).order_by(roster_versions.c.id))
        return [(int(i), int(v), at.isoformat() if at else "") for i, v, at in rows]


@_guard
def read_previous(engine: sa.Engine, version_id: int) -> Snapshot:
    """A kept previous version (by its id in previous_versions) as a snapshot. Raises KeyError if there is none."""
    with engine.connect() as conn:
        row = conn.execute(sa.select(roster_versions).where(roster_versions.c.id == version_id)).one_or_none()
    if row is None:
        raise KeyError(version_id)
    return Snapshot(int(row.replaced_version), _frame(list(row.zones), list(row.columns)),
                    _frame(list(row.batches), list(row.batch_columns)))


def write_log_jsonl(entries: list[dict], path: Path) -> None:
    path.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in entries), encoding="utf-8")
