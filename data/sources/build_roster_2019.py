"""One-off: how data/roster.csv's 2019 rows were drafted from the approval text (then reviewed by hand).

Run from the repo root: python data/sources/build_roster_2019.py > /tmp/roster-2019.csv
"""

import csv
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from loaders.document import parse_document  # noqa: E402
from loaders.resolver import split_unit_name  # noqa: E402
from loaders.roster import ROSTER_COLUMNS  # noqa: E402

CONTINUING = {"上海市徐汇区", "江苏省南京市雨花台区"}  # passed acceptance earlier; continue with a new theme

doc = parse_document((Path(__file__).parent / "minhan-2019-41.txt").read_text(encoding="utf-8"))
w = csv.writer(sys.stdout, lineterminator="\n")
w.writerow(ROSTER_COLUMNS)
for r in doc.rows:
    province, prefecture, county = split_unit_name(r.unit_name)
    w.writerow([
        f"CN-2019-{r.row:02d}", "national", "民政部", "2019", doc.doc_number, doc.issued_on, 2,
        province, "" if prefecture == province else (prefecture or ""), county or "", r.unit_name,
        r.theme, r.content, "实验中", doc.issued_on,
        "结项后新主题续展" if r.unit_name in CONTINUING else "新确认",
        f"{doc.doc_number} 附件 第{r.row}行（原文第{r.source_lines[0]}–{r.source_lines[1]}行）",
    ])
