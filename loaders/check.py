"""`python -m loaders.check [FILE ...] [--json]`: resolve a roster (the bundled one, or CSV/XLSX/XLS/TXT files)
and say, row by row, which administrative unit each line joins to and why. Exit 0 only if every row resolved."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pandas as pd

from loaders.document import parse_document
from loaders.resolver import RESOLVED, resolve_frame
from loaders.roster import ROSTER_PATH, read_roster_csv
from loaders.tabular import IntakeError, decode_csv, read_table

INPUT_FIELDS = ("province", "prefecture", "county", "unit_name", "approved_on")


def rows_from_file(path: Path, sheet: str | None = None) -> pd.DataFrame:
    """Input rows (row, province, prefecture, county, unit_name, approved_on) from any supported file; how the
    file was read (format, encoding, sheet, formulas, date guesses) goes to stderr."""
    data = path.read_bytes()
    if path.suffix.lower() == ".txt":
        text, _ = decode_csv(data)
        doc = parse_document(text)
        if doc.rows:
            return pd.DataFrame({
                "row": [r.row for r in doc.rows],
                "unit_name": [r.unit_name for r in doc.rows],
                "approved_on": [doc.issued_on or ""] * len(doc.rows),
            })
    if path.resolve() == ROSTER_PATH.resolve():
        df = read_roster_csv(path)
        df.insert(0, "row", range(1, len(df) + 1))
        return df
    table = read_table(data, path.name, sheet=sheet)
    for line in table.messages():
        print(f"{path}: {line}", file=sys.stderr)
    return table.rows


def _input_text(rec: dict) -> str:
    parts = [rec.get(f) or "" for f in ("province", "prefecture", "county")]
    joined = "".join(p for p in parts if p)
    unit = rec.get("unit_name") or ""
    return unit if unit and (not joined or len(unit) >= len(joined)) else joined or unit


def check_rows(rows: pd.DataFrame, file: str) -> list[dict]:
    frame = rows.copy()
    for col in INPUT_FIELDS:
        if col not in frame:
            frame[col] = ""
    resolved = resolve_frame(frame[list(INPUT_FIELDS)].fillna(""))
    out = []
    for rec, res in zip(frame.to_dict("records"), resolved.to_dict("records"), strict=True):
        out.append({
            "file": file,
            "row": int(rec["row"]),
            "input": _input_text(rec),
            "status": res["resolution"],
            "method": res["method"],
            "level": res["level"],
            "adcodes": list(res["adcodes"] or ()),
            "notes": list(res["resolution_notes"]),
            "candidates": [{"adcode": c["adcode"], "name": c["name"]} for c in res["candidates"]],
        })
    return out


def _line(r: dict) -> str:
    codes = ",".join(r["adcodes"]) or "—"
    extra = "；".join(r["notes"])
    if r["candidates"] and r["status"] != RESOLVED:
        extra += ("；" if extra else "") + "候选：" + "、".join(f"{c['name']}({c['adcode']})" for c in r["candidates"])
    return f"{r['row']:>4}  {r['status']:<10} {r['method']:<18} {codes:<14} {r['input']}  {extra}".rstrip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m loaders.check", description=__doc__)
    parser.add_argument("files", nargs="*", type=Path, help="CSV/XLSX/XLS/TXT; default: data/roster.csv")
    parser.add_argument("--json", action="store_true", help="print a JSON list, one object per row")
    parser.add_argument("--sheet", help="workbook sheet to read (name or 1-based number); default: the active or "
                        "first visible sheet with a recognised header")
    args = parser.parse_args(argv)
    files = args.files or [ROSTER_PATH]
    results: list[dict] = []
    for path in files:
        try:
            results += check_rows(rows_from_file(path, args.sheet), str(path))
        except (IntakeError, OSError) as exc:
            print(f"{path}: {exc}", file=sys.stderr)
            return 2
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=1))
    else:
        for r in results:
            print(_line(r))
        ok = sum(r["status"] == RESOLVED for r in results)
        print(f"共 {len(results)} 行：已解析 {ok}，未解析 {len(results) - ok}", file=sys.stderr)
    return 0 if all(r["status"] == RESOLVED for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
