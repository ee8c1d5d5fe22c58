"""`python -m loaders.check [FILE ...] [--province P] [--prefecture F] [--year Y] [--programme P] [--sheet S]
[--json]`: resolve a roster — the bundled one, or CSV/TSV/XLSX/XLS/HTML-table/TXT files — with exactly the engine
and the choices of the import page, and say row by row which administrative unit each line joins to and why.

Every input row is in the output (resolved, ambiguous, unresolved, not_county_level or rejected). Exit status: 0
when every row is resolved or deliberately not county-level, 1 otherwise, 2 when a file cannot be read at all.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pandas as pd

from loaders.intake import IntakeReport, input_label, intake, rows_from_file
from loaders.roster import ROSTER_PATH, read_roster_csv
from loaders.tabular import IntakeError, RawTable

# intake's outcome → the status the check command reports (the import page shows the same rows as 已连接 …)
STATUS_OF_OUTCOME = {"joined": "resolved", "ambiguous": "ambiguous", "unresolved": "unresolved",
                     "not_county_level": "not_county_level", "rejected": "rejected"}
PASSING = ("resolved", "not_county_level")
_FIELDS = ("province", "prefecture", "county", "unit_name", "approved_on", "theme", "batch", "programme", "status")


def read_source(path: Path, sheet: str | None = None) -> tuple[RawTable | pd.DataFrame, dict]:
    """The rows of a file as the import page reads them: a .txt is pasted text (a document, a numbered list, or
    copied cells); the bundled roster is read as the roster; anything else is a table read from its bytes."""
    if path.resolve() == ROSTER_PATH.resolve():
        df = read_roster_csv(path)
        df.insert(0, "row", range(1, len(df) + 1))
        df["source_line"] = [str(i + 2) for i in range(len(df))]
        return df, {}
    kwargs = {"sheet": sheet} if sheet else {}
    return rows_from_file(path.read_bytes(), path.name, **kwargs)


def defaults_from_args(args: argparse.Namespace, facts: dict | None = None) -> dict:
    """What the import form would fill in for rows that leave a field empty: the document's facts, then the
    options given on the command line."""
    facts = facts or {}
    out = {"approved_on": facts.get("approved_on") or "", "doc_number": facts.get("doc_number") or "",
           "authority": facts.get("authority") or ""}
    for key, value in (("province", args.province), ("prefecture", args.prefecture), ("approved_on", args.year),
                       ("programme", args.programme)):
        if value:
            out[key] = str(value)
    return {k: v for k, v in out.items() if v}


def report_rows(report: IntakeReport, file: str) -> list[dict]:
    """One JSON-ready dict per input row, in input order."""
    out = []
    for rec in report.rows.itertuples(index=False):
        status = STATUS_OF_OUTCOME[rec.outcome]
        joined = rec.outcome == "joined"
        fields = {f: getattr(rec, f) for f in _FIELDS if getattr(rec, f, "")}
        notes = list(rec.resolution_notes or [])
        if rec.reason and rec.reason not in notes and rec.outcome == "rejected":
            notes.append(rec.reason)
        out.append({
            "file": file,
            "row": int(rec.row),
            "source_line": str(rec.source_line or ""),
            "input": _row_as_written(rec),
            "fields": fields,
            "status": status,
            "adcodes": list(rec.designated_adcodes or ()) if joined else [],
            "current_adcodes": list(rec.adcodes or ()) if joined else [],
            "level": rec.level if joined else None,
            "method": rec.method,
            "name": _resolved_name(rec) if joined else "",
            "parent_adcode": rec.parent_adcode or None,
            "notes": notes,
            "candidates": [{"adcode": c["adcode"], "name": c["name"], "level": c["level"],
                            "current_adcodes": list(c.get("current_adcodes") or ())} for c in rec.candidates or []],
        })
    return out


def check_file(path: Path | str, *, province: str | None = None, prefecture: str | None = None,
               year: str | int | None = None, programme: str | None = None, sheet: str | None = None) -> list[dict]:
    """The rows `python -m loaders.check FILE --json` prints, with the same options (raises IntakeError/OSError
    for a file that cannot be read)."""
    args = argparse.Namespace(province=province, prefecture=prefecture, year=year, programme=programme)
    source, facts = read_source(Path(path), sheet)
    return report_rows(intake(source, defaults_from_args(args, facts), source_name=Path(path).name), str(path))


def _row_as_written(rec) -> str:
    cells = getattr(rec, "input_cells", None)
    if isinstance(cells, str) and cells:
        return cells
    parts = [getattr(rec, f) for f in ("province", "prefecture", "county", "unit_name") if getattr(rec, f)]
    return ",".join(dict.fromkeys(parts)) or input_label(rec)


def _resolved_name(rec) -> str:
    from loaders.gazetteer import unit_path

    return "、".join(unit_path(c) for c in rec.adcodes or ())


def _line(r: dict) -> str:
    codes = ",".join(r["adcodes"]) or "—"
    if r["current_adcodes"] and r["current_adcodes"] != r["adcodes"]:
        codes += "→" + ",".join(r["current_adcodes"])
    extra = "；".join(r["notes"])
    if r["candidates"] and r["status"] != "resolved":
        extra += ("；" if extra else "") + "候选：" + "、".join(f"{c['name']}({c['adcode']})" for c in r["candidates"])
    return f"{r['row']:>4}  {r['status']:<16} {r['method']:<12} {codes:<16} {r['input']}  {extra}".rstrip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m loaders.check", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="*", type=Path, help="CSV/TSV/XLSX/XLS/TXT; default: data/roster.csv")
    parser.add_argument("--json", action="store_true", help="print a JSON list, one object per input row")
    parser.add_argument("--province", help="province of rows that name none (the import form's 省份)")
    parser.add_argument("--prefecture", help="prefecture of rows that name none (parent of their unit)")
    parser.add_argument("--year", help="designation year or date of rows that give none (2012, 2019-03-25)")
    parser.add_argument("--programme", help="national / provincial (全国 / 省级)")
    parser.add_argument("--sheet", help="workbook sheet to read (default: the first visible one with a header)")
    args = parser.parse_args(argv)
    files = args.files or [ROSTER_PATH]
    results: list[dict] = []
    for path in files:
        try:
            source, facts = read_source(path, args.sheet)
        except (IntakeError, OSError) as exc:
            print(f"{path}: {exc}", file=sys.stderr)
            return 2
        if isinstance(source, RawTable):
            for note in [*source.messages(), *source.notes]:
                print(f"{path}: {note}", file=sys.stderr)
        report = intake(source, defaults_from_args(args, facts), source_name=path.name)
        results += report_rows(report, str(path))
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=1))
    else:
        for r in results:
            print(_line(r))
    counts = {s: sum(r["status"] == s for r in results) for s in STATUS_OF_OUTCOME.values()}
    print(f"共 {len(results)} 行：已解析 {counts['resolved']}，非县级 {counts['not_county_level']}，"
          f"有歧义 {counts['ambiguous']}，未解析 {counts['unresolved']}，已剔除 {counts['rejected']}", file=sys.stderr)
    return 0 if all(r["status"] in PASSING for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
