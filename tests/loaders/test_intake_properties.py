"""Property-based: whatever arrives — random bytes, random CSV text with Chinese, emoji, quotes and formulas, random
column sets and mappings — the reader and intake either read it or say why (IntakeError), and every row read is
accounted for. Bounded (≤200 examples, small tables) so the suite stays fast."""

import csv
import io

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from loaders.intake import OUTCOMES, intake, rows_from_paste
from loaders.roster_draft import to_roster
from loaders.safe_export import FORMULA_START, neutralise_formulas
from loaders.tabular import FIELDS, HEADER_WORDS, IntakeError, read_grid, read_table, table_from_grid

FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
RESOLVING = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

REAL_NAMES = ["北京市", "石景山区", "江苏省", "南京市", "鼓楼区", "吉林省", "长春市", "朝阳区", "吉林市", "衢州市",
              "宜都市", "雨花台区", "南湖街道", "经济技术开发区", "上海市徐汇区", "江苏省南京市雨花台区"]
NASTY = ["=HYPERLINK(\"http://x\",\"y\")", "+SUM(A1)", "@cmd|' /c calc'!A0", "-1+2", '"', '""', ",", "\n", "\t",
         "😀", "𠮷", "〔2019〕", "２０１９年３月２５日", "43549", "2019年2月30日", "注：", "序号", "\x00", "\r", " "]
cell_text = st.one_of(
    st.sampled_from(REAL_NAMES + NASTY),
    st.text(alphabet=st.characters(codec="utf-8", categories=("L", "N", "P", "S", "Zs")), max_size=12),
    st.text(alphabet="省市区县街道鼓楼朝阳吉林北京“”\"',=+@-😀", max_size=8),
)
header_text = st.one_of(st.sampled_from([w for words in HEADER_WORDS.values() for w in words]), cell_text)


def check_report(report, n_rows):
    event(f"intake ran on {min(n_rows, 3)}+ rows" if n_rows >= 3 else f"intake ran on {n_rows} rows")
    assert report.rows_read == n_rows == len(report.rows)
    assert sum(report.counts.values()) == n_rows
    assert set(report.rows.outcome) <= set(OUTCOMES)


@FAST
@given(data=st.binary(max_size=2048), ext=st.sampled_from([".csv", ".xlsx", ".xls", ".txt", ".tsv", ".pdf", ""]))
def test_random_bytes_never_crash_the_reader(data, ext):
    try:
        read_table(data, "upload" + ext)
    except IntakeError:
        pass


@FAST
@given(data=st.binary(max_size=1024))
def test_random_bytes_behind_a_zip_header_never_crash_the_xlsx_reader(data):
    try:
        read_table(b"PK\x03\x04" + data, "a.xlsx")
    except IntakeError:
        pass


def csv_bytes(header, rows, encoding, title=(), notes=()):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerows([[t] for t in title] + [header] + rows + [[n] for n in notes])
    return out.getvalue().encode(encoding, errors="replace")


UNIT_FIELDS = ("province", "prefecture", "county", "unit_name")
KNOWN_WORDS = st.sampled_from([(f, w) for f, words in HEADER_WORDS.items() for w in words])
unit_cell = st.one_of(st.sampled_from(REAL_NAMES), cell_text,
                      st.text(alphabet="东西南北中朝阳鼓楼", min_size=1, max_size=3).map(lambda s: s + "区"))


@st.composite
def random_tables(draw):
    """Mostly tables whose header names a few roster fields (so intake runs), sometimes any header at all."""
    if draw(st.integers(0, 4)) == 0:
        header = draw(st.lists(header_text, min_size=1, max_size=6))
    else:
        known = draw(st.lists(KNOWN_WORDS, min_size=2, max_size=5, unique_by=lambda fw: fw[0]))
        known.append(draw(st.sampled_from([(f, w) for f, w in HEADER_WORDS.items() if f in UNIT_FIELDS]))[0:1]
                     + (draw(st.sampled_from(HEADER_WORDS["county"] + HEADER_WORDS["unit_name"])),))
        header = [w for _, w in known] + draw(st.lists(cell_text, max_size=2))
        header = draw(st.permutations(header))
    width = len(header)
    rows = draw(st.lists(st.lists(st.one_of(unit_cell, cell_text), min_size=width, max_size=width), max_size=5))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]))
    title = draw(st.sampled_from([[], ["附件"], ["附件", "2019年名单"]]))
    notes = draw(st.sampled_from([[], ["注：以上为第一批。"], ["", "填表人：张三"]]))
    return csv_bytes(header, rows, encoding, title, notes)


@RESOLVING
@given(data=random_tables())
def test_random_csv_text_is_read_or_refused_and_every_row_is_accounted_for(data):
    try:
        table = read_table(data, "random.csv")
    except IntakeError:
        return
    report = intake(table, {"batch": "2019"})
    check_report(report, len(table.rows))
    draft = to_roster(report, {"programme": "national", "batch": "2019"})
    assert len(draft.rows) == report.counts["joined"] + report.counts["not_county_level"]
    safe = neutralise_formulas(draft.rows)
    assert not any(isinstance(v, str) and v.startswith(FORMULA_START) for v in safe.to_numpy().ravel())


@st.composite
def mappings(draw):
    """Column index → field as a person might set it: some columns unused, one naming the unit, sometimes a
    field chosen twice (which must be refused with a message)."""
    fields = draw(st.lists(st.sampled_from(FIELDS), unique=True, max_size=4))
    fields.insert(draw(st.integers(0, len(fields))), draw(st.sampled_from(UNIT_FIELDS)))
    picks = [f for field in fields for f in (draw(st.sampled_from(["", field, field])),) if f or draw(st.booleans())]
    return dict(enumerate(picks))


@RESOLVING
@given(data=random_tables(), mapping=mappings(), header_at=st.integers(0, 3))
def test_any_column_mapping_is_read_or_refused(data, mapping, header_at):
    try:
        grid = read_grid(data, "random.csv")
        table = table_from_grid(grid, header_at, mapping)
    except IntakeError:
        return
    check_report(intake(table), len(table.rows))


@st.composite
def pasted_documents(draw):
    """A document's text with a flattened attachment table (序号 / unit line(s) / theme and content), plus noise."""
    lines = draw(st.lists(cell_text, max_size=4))
    for k in range(1, draw(st.integers(0, 4)) + 1):
        lines.append(str(k) if draw(st.booleans()) else f"{k}、")
        lines += draw(st.lists(unit_cell, min_size=0, max_size=2))
        lines.append(draw(cell_text) + " " + draw(cell_text))
    lines += draw(st.lists(cell_text, max_size=3))
    text = "\n".join(lines)
    return text if draw(st.booleans()) else text.replace("\n", draw(st.sampled_from(["\r\n", "\n\n", "\t"])))


@RESOLVING
@given(text=pasted_documents(),
       corrections=st.dictionaries(st.integers(1, 4), st.sampled_from(["320106", "110107", "999999", "abc", ""])))
def test_pasted_text_and_any_corrections_never_lose_a_row(text, corrections):
    try:
        rows, _facts = rows_from_paste(text)
    except IntakeError:
        return
    n = len(rows.rows if hasattr(rows, "rows") else rows)
    check_report(intake(rows, {}, corrections), n)
