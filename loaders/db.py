"""The roster database from the command line: `python -m loaders.db upgrade | import-files | export-files | versions`.

    upgrade                      create or migrate the schema (the app also does this on first use)
    import-files [--roster CSV] [--if-empty]
                                 put a file roster (its batches.csv and import-log.jsonl beside it, if any) into the
                                 database as one save; --if-empty: only when the database holds no roster yet
    export-files --out DIR [--version ID]
                                 write roster.csv, batches.csv and import-log.jsonl (a backup that the file back end
                                 and `import-files` read); --version: a kept previous version instead (ids: versions)
    versions                     list the kept previous versions

The database is ZONE_ATLAS_DATABASE_URL (or --database-url). Exit status 1 with a message when it is unreachable.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import pandas as pd

from loaders import roster_db
from loaders.roster import batches_path_for, read_roster_csv
from loaders.roster_source import DATABASE_ENV, roster_file
from loaders.roster_store import LOG_NAME, atomic_write_csv, read_import_log


def import_files(engine, roster: Path, *, if_empty: bool) -> str:
    frame = read_roster_csv(roster)
    beside = roster.with_name("batches.csv")
    batches = read_batches(beside) if beside.exists() else None
    version = roster_db.replace_all(engine, frame, batches, read_import_log(roster.parent), only_if_empty=if_empty)
    if version is None:
        return "database already holds a roster: nothing imported (--if-empty)"
    return f"imported {len(frame)} rows from {roster}{' and ' + beside.name if batches is not None else ''}: " \
           f"roster version {version}"


def read_batches(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def export_files(engine, out: Path, version_id: int | None) -> str:
    snap = roster_db.read(engine) if version_id is None else roster_db.read_previous(engine, version_id)
    out.mkdir(parents=True, exist_ok=True)
    atomic_write_csv(snap.roster, out / "roster.csv")
    batches = snap.batches if snap.batches is not None else read_batches(batches_path_for(out / "roster.csv"))
    atomic_write_csv(batches, out / "batches.csv")
    roster_db.write_log_jsonl(roster_db.read_import_log(engine), out / LOG_NAME)
    return f"exported roster version {snap.version} ({len(snap.roster)} rows) to {out}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m loaders.db", description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get(DATABASE_ENV, ""))
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("upgrade")
    imp = sub.add_parser("import-files")
    imp.add_argument("--roster", type=Path, default=roster_file())
    imp.add_argument("--if-empty", action="store_true")
    exp = sub.add_parser("export-files")
    exp.add_argument("--out", type=Path, required=True)
    exp.add_argument("--version", type=int, default=None)
    sub.add_parser("versions")
    args = parser.parse_args(argv)
    if not args.database_url:
        print(f"error: set {DATABASE_ENV} (or --database-url)", file=sys.stderr)
        return 2
    engine = roster_db.make_engine(args.database_url)
    try:
        print(f"schema version {roster_db.upgrade(engine)}")
        if args.command == "import-files":
            print(import_files(engine, args.roster, if_empty=args.if_empty))
        elif args.command == "export-files":
            print(export_files(engine, args.out, args.version))
        elif args.command == "versions":
            for vid, replaced, at in roster_db.previous_versions(engine):
                print(f"{vid}\treplaced version {replaced}\t{at}")
    except roster_db.DatabaseUnavailable as exc:
        print(f"error: database unreachable: {exc}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
