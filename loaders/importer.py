"""`python -m loaders.importer FILE --programme P --batch B [--official-size N] [--authority A] [--approved-on D]
[--rows 1,5,6] [--skip-column C] [--save]`: bring a list into the roster the way the import page does — read the
file (loaders.check.read_source), resolve every row (loaders.intake.intake), draft roster rows
(loaders.roster_draft.to_roster) and, with --save, write them and the batch's line in batches.csv
(loaders.roster_store.save_import). Without --save it prints what would be saved and changes nothing.

Options given here win over the file's column for the same field (the import page's column mapping, where a person
marks a column 不导入 and types the batch into the form): --batch, --programme and --authority always; any other
column with --skip-column. Empty cells (an approval date the file gives only as prose) take --approved-on etc.,
as the import form's defaults do. Exit status: 0 saved (or ready to save), 1 rows left out or refused, 2 unreadable.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

import pandas as pd

from loaders.check import read_source
from loaders.intake import intake
from loaders.roster import ROSTER_PATH, RosterError, read_roster_csv
from loaders.roster_draft import RosterDraft, batch_record, to_roster
from loaders.roster_store import save_import
from loaders.tabular import IntakeError, RawTable, read_table

# Command-line options that replace the file's column of the same field (the form's values, not defaults).
OVERRIDING = ("batch", "programme", "authority")


def read_for_import(path: Path, skip: tuple[str, ...] = (), rows: tuple[int, ...] = ()) -> RawTable | pd.DataFrame:
    """The file's rows as the import page reads them, with the fields in `skip` mapped to 不导入 and, when `rows`
    is given, only those data rows (1-based, as check and the page number them). Raises IntakeError/OSError."""
    source, _ = read_source(path)
    if isinstance(source, RawTable) and skip and set(skip) & set(source.mapping.values()):
        mapping = {i: f for i, f in source.mapping.items() if f not in skip}
        source = read_table(path.read_bytes(), path.name, header_at=source.header_at, mapping=mapping)
    if rows:
        frame = source.rows if isinstance(source, RawTable) else source
        missing = sorted(set(rows) - set(frame.row.astype(int)))
        if missing:
            raise IntakeError(f"文件中没有第 {'、'.join(map(str, missing))} 行")
        picked = frame[frame.row.astype(int).isin(rows)].reset_index(drop=True)
        source = replace(source, rows=picked) if isinstance(source, RawTable) else picked
    return source


def draft_import(path: Path, defaults: dict, *, skip: tuple[str, ...] = (), rows: tuple[int, ...] = (),
                 roster_path: Path = ROSTER_PATH):
    """(IntakeReport, RosterDraft) for `path` against the roster at `roster_path` — what the import page shows."""
    skip = tuple(dict.fromkeys((*skip, *(f for f in OVERRIDING if defaults.get(f)))))
    source = read_for_import(path, skip, rows)
    report = intake(source, defaults, source_name=path.name)
    existing = _existing(roster_path)
    return report, to_roster(report, defaults, existing)


def _existing(roster_path: Path) -> pd.DataFrame | None:
    """The roster's rows with the key to_roster matches on (programme, batch, drawn code or unit name)."""
    if not Path(roster_path).exists():
        return None
    df = read_roster_csv(roster_path)
    first = df.current_adcodes.str.split(";").str[0].fillna("")
    return df.assign(adcode=first)[["zone_id", "programme", "batch", "adcode", "unit_name"]]


def _defaults(args: argparse.Namespace) -> dict:
    out = {"programme": args.programme, "batch": args.batch, "authority": args.authority,
           "approved_on": args.approved_on, "doc_number": args.doc_number, "period_years": args.period_years,
           "status": args.status, "confidence": args.confidence, "label": args.label}
    out = {k: v for k, v in out.items() if v not in (None, "")}
    if args.batch_approved_on is not None:
        out["batch_approved_on"] = args.batch_approved_on
    return out


def _summary(report, draft: RosterDraft, size: int | None) -> str:
    c = report.counts
    known = int(len(draft.rows))
    total = f"{known}/{size}" if size else f"{known}（总数未知）"
    return (f"读取 {report.rows_read} 行：已对应 {c['joined']}，非县级 {c['not_county_level']}，有歧义 {c['ambiguous']}，"
            f"未找到 {c['unresolved']}，未采用 {c['rejected']}；可保存 {known} 行（新增 {draft.new}，更新 "
            f"{len(draft.updates)}）；本次导入 {total}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m loaders.importer", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file", type=Path)
    parser.add_argument("--programme", required=True, help="data/programmes.yaml key (national, provincial_gs …)")
    parser.add_argument("--batch", required=True, help="batch label as batches.csv writes it (第一批, 甘肃首批 …)")
    parser.add_argument("--label", help="the batch's label for people (batches.csv label)")
    parser.add_argument("--official-size", type=int, help="units the approval names in total (omit when unknown)")
    parser.add_argument("--size-source", default="", help="where the official size comes from")
    parser.add_argument("--authority", help="issuing authority (民政部, 甘肃省民政厅)")
    parser.add_argument("--approved-on", help="approval date for rows that give none: 2019-03-25, 2015, 2014-01, "
                                              "2011/2012, /2017-03")
    parser.add_argument("--batch-approved-on", help="the batch's own date in batches.csv when it differs from the "
                                                    "rows' (\"\" for a batch of unstated batches)")
    parser.add_argument("--doc-number", help="文号 for rows that give none")
    parser.add_argument("--period-years", help="experiment period in years for rows that give none")
    parser.add_argument("--status", help="status for rows that give none (default 实验中)")
    parser.add_argument("--confidence", choices=("high", "medium", "low"), help="for rows that give none")
    parser.add_argument("--rows", default="", help="only these data rows, e.g. 1,5,6")
    parser.add_argument("--skip-column", action="append", default=[], help="a field whose column is not imported")
    parser.add_argument("--roster", type=Path, default=ROSTER_PATH, help="roster to save into (default data/roster.csv)")
    parser.add_argument("--save", action="store_true", help="write the roster and batches.csv (else a dry run)")
    args = parser.parse_args(argv)
    rows = tuple(int(r) for r in args.rows.split(",") if r.strip())
    defaults = _defaults(args)
    try:
        report, draft = draft_import(args.file, defaults, skip=tuple(args.skip_column), rows=rows,
                                     roster_path=args.roster)
    except (IntakeError, OSError, RosterError) as exc:
        print(f"{args.file}: {exc}", file=sys.stderr)
        return 2
    print(_summary(report, draft, args.official_size))
    left_out = report.rows[~report.rows.outcome.isin(("joined", "not_county_level"))]
    for rec in left_out.itertuples(index=False):
        print(f"  第{rec.row}行 未保存：{rec.outcome} {rec.reason}", file=sys.stderr)
    for line in draft.problem_lines():
        print(f"  {line}", file=sys.stderr)
    if draft.problems or draft.rows.empty:
        return 1
    if not args.save:
        print(draft.rows[["zone_id", "unit_name", "designated_adcode", "current_adcodes", "parent_adcode",
                          "approved_on", "status"]].to_string(index=False))
        return 0 if left_out.empty else 1
    record = batch_record(defaults, args.official_size, args.file.name, args.size_source)
    try:
        result = save_import(draft.rows, args.roster, source_file=args.file.name, batch=args.batch,
                             batch_record=record)
    except (RosterError, OSError) as exc:
        print(f"保存失败：{exc}", file=sys.stderr)
        return 1
    print(f"已保存 {result.path}：共 {result.rows_written} 行（新增 {result.rows_added}）")
    return 0 if left_out.empty else 1


if __name__ == "__main__":
    sys.exit(main())
