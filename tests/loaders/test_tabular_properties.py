"""Property (issue 13): over random sheet visibility and order, formula cells with and without stored results, and
the 2019 roster in random encodings, separators and file names, the reader either returns exactly the rows the
rules say (hidden sheets skipped; active, else first visible sheet with a recognised header; stored results used,
formula text only where none was stored) or refuses with a message — never an exception, never other rows.
Non-vacuous: each property asserts that most examples were read, not refused."""

import opencc
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from loaders.tabular import IntakeError, read_table
from tests.loaders.roster_files import (
    HEADER,
    csv_text,
    roster_rows,
    with_sheet_states,
    without_missing_results,
    write_cells,
)

ROSTER = roster_rows()
LOOKUP_HEADER = ["省份", "城市", "区县"]
PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def workbooks(draw):
    """(xlsx bytes, expected (unit_name, county) rows or None when the reader must refuse)."""
    start = draw(st.integers(0, 25))
    rows = [list(r) for r in ROSTER[start:start + draw(st.integers(1, 6))]]
    formulas = {}
    expected_county = [r[1] for r in rows]
    for i in range(len(rows)):
        kind = draw(st.sampled_from(["plain", "plain", "stored", "no_result"]))
        if kind == "stored":
            formulas[(i + 1, 1)] = (f"=VLOOKUP(C{i + 2},lookup!A:B,2,FALSE)", rows[i][1])
        elif kind == "no_result":
            formulas[(i + 1, 1)] = (f"=VLOOKUP(C{i + 2},lookup!A:B,2,FALSE)", None)
            expected_county[i] = f"=VLOOKUP(C{i + 2},lookup!A:B,2,FALSE)"
    others = draw(st.lists(st.tuples(st.sampled_from(["lookup", "cover"]),
                                     st.sampled_from(["visible", "hidden", "veryHidden"])), max_size=3))
    roster_state = draw(st.sampled_from(["visible", "visible", "visible", "hidden"]))
    position = draw(st.integers(0, len(others)))
    sheets = [(f"s{i}_{kind}", kind, state) for i, (kind, state) in enumerate(others)]
    sheets.insert(position, ("roster", "roster", roster_state))
    active = draw(st.integers(0, len(sheets) - 1))
    data = build(rows, formulas, sheets, active)
    # the rules, applied to what was built
    visible = [s for s in sheets if s[2] == "visible"]
    has_header = [s for s in visible if s[1] in ("roster", "lookup")]
    order = ([sheets[active]] if sheets[active] in has_header else []) + [s for s in has_header if s != sheets[active]]
    if not order:
        return data, None
    kind = order[0][1]
    if kind == "lookup":
        return data, [("", c) for c in LOOKUP_COUNTIES]
    return data, list(zip([r[2] for r in rows], expected_county, strict=True))


LOOKUP_COUNTIES = ["石景山区", "河北区", "朝阳区"]


def build(rows, formulas, sheets, active) -> bytes:
    """The workbook in xlsxwriter (which, like Excel, stores formula results), states and active tab set after."""
    import io

    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    for name, kind, _ in sheets:
        ws = wb.add_worksheet(name)
        if kind == "roster":
            write_cells(ws, [HEADER, *rows], formulas)
        elif kind == "lookup":
            ws.write_row(0, 0, LOOKUP_HEADER)
            for r, (p, c) in enumerate(zip(["北京市", "天津市", "吉林省"], LOOKUP_COUNTIES, strict=True), start=1):
                ws.write_row(r, 0, [p, p, c])
        else:
            ws.write(0, 0, "2019年全国社区治理和服务创新实验区名单")
    wb.close()
    return with_sheet_states(without_missing_results(buf.getvalue(), formulas), [s[2] for s in sheets], active)


def test_random_workbooks_are_read_by_the_rules_or_refused():
    outcomes = []

    @PROPERTY
    @given(case=workbooks())
    def prop(case):
        data, expected = case
        try:
            table = read_table(data, "roster.xlsx")
        except IntakeError as exc:
            assert str(exc)
            event("refused")
            outcomes.append("refused")
            assert expected is None, f"refused a readable workbook: {exc}"
            return
        assert expected is not None, f"read {table.sheet!r} where every sheet with a header is hidden"
        got = list(zip(table.rows.get("unit_name", [""] * len(table.rows)), table.rows.county, strict=True))
        assert got == expected
        if any(c.startswith("=") for _, c in expected):
            assert table.formula_cells and any("没有保存计算结果" in w for w in table.warnings)
        event("read")
        outcomes.append("read")

    prop()
    assert outcomes.count("read") >= 0.5 * len(outcomes), outcomes


ENCODINGS = ["utf-8", "utf-8-sig", "gbk", "gb18030", "big5", "utf-16", "utf-16-le"]


@st.composite
def text_files(draw):
    start = draw(st.integers(0, 25))
    rows = [list(r) for r in ROSTER[start:start + draw(st.integers(1, 6))]]
    encoding = draw(st.sampled_from(ENCODINGS))
    sep = draw(st.sampled_from([",", "\t"]))
    text = csv_text(rows, sep=sep)
    if draw(st.booleans()):
        text = "附件：2019年全国社区治理和服务创新实验区名单\n" + text
    if encoding == "big5":
        text = opencc.OpenCC("s2t").convert(text)
    name = "roster" + draw(st.sampled_from([".csv", ".txt", ".tsv", ".xls", ".xlsx"]))
    return text.encode(encoding), name, encoding, [r[2] for r in rows]


def read_or_refused(cases, examples: int, min_read: float) -> None:
    """Run the property over `cases` ((bytes, name, label, expected unit names)): each is read to exactly those
    names or refused with a message; at least `min_read` of the examples must be read (not vacuous)."""
    outcomes = []

    @settings(max_examples=examples, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(case=cases)
    def prop(case):
        data, name, label, units = case
        try:
            table = read_table(data, name)
        except IntakeError as exc:
            assert str(exc)
            outcomes.append("refused")
            event(f"refused {label}")
            return
        assert list(table.rows.unit_name) == units, (label, name)
        outcomes.append("read")

    prop()
    assert outcomes.count("read") >= min_read * len(outcomes), outcomes


def test_random_encodings_separators_and_names_are_read_right_or_refused():
    read_or_refused(text_files(), 120, 0.9)


@st.composite
def containers(draw):
    """The same roster in any container an office produces, under any of the names they give it."""
    from tests.loaders.roster_files import html_table, xls, xlsx

    start = draw(st.integers(0, 25))
    rows = [list(r) for r in ROSTER[start:start + draw(st.integers(1, 6))]]
    kind = draw(st.sampled_from(["csv", "tsv", "html", "html_gbk", "xls", "xlsx"]))
    if kind in ("csv", "tsv"):
        data = csv_text(rows, sep="," if kind == "csv" else "\t").encode(draw(st.sampled_from(ENCODINGS[:4])))
    elif kind == "html":
        data = html_table(rows)
    elif kind == "html_gbk":
        data = html_table(rows, charset=draw(st.sampled_from(["gb2312", "gbk", None])), encoding="gbk")
    elif kind == "xls":
        data = xls([("名单", [HEADER, *rows], False)])
    else:
        data = xlsx([("名单", [HEADER, *rows], "visible")])
    name = "名单" + draw(st.sampled_from([".csv", ".xls", ".xlsx", ".tsv"]))
    return data, name, kind, [r[2] for r in rows]


def test_any_container_under_any_name_is_read_as_what_it_is():
    read_or_refused(containers(), 80, 0.95)
