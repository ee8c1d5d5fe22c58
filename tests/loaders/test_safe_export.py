"""Downloads a spreadsheet opens safely: every way a cell can start a formula (OWASP: = + - @ tab CR) is text."""

import csv
import io

import openpyxl
import pandas as pd
import pytest

from loaders.safe_export import to_csv_bytes, to_excel_bytes

FORMULAS = ["=1+1", "+SUM(1,2)", "-2+3", "@SUM(1,2)", "\t=1+1", "\r=1+1", '=HYPERLINK("http://evil.example","x")']


@pytest.fixture
def frame():
    return pd.DataFrame({"实验单位": FORMULAS, "=header": ["ok"] * len(FORMULAS), "n": range(len(FORMULAS))})


def test_csv_cells_that_would_be_formulas_start_with_an_apostrophe(frame):
    rows = list(csv.reader(io.StringIO(to_csv_bytes(frame).decode("utf-8-sig"), newline="")))
    assert rows[0] == ["实验单位", "'=header", "n"]
    assert [r[0] for r in rows[1:]] == ["'" + f for f in FORMULAS]
    assert [r[2] for r in rows[1:]] == [str(i) for i in range(len(FORMULAS))]  # numbers stay numbers


def test_a_carriage_return_inside_a_cell_cannot_start_a_new_row(frame):
    """Excel ends a CSV row at a bare CR: an unquoted "x\r=1+1" would put a live formula in the next row."""
    data = to_csv_bytes(pd.DataFrame({"a": ["x\r=1+1", "y\n@SUM(1)"], "b": ["1", "2"]}))
    assert data.decode("utf-8-sig") == 'a,b\r\n"x\r=1+1",1\r\n"y\n@SUM(1)",2\r\n'


def test_excel_cells_are_strings_never_formulas(frame):
    ws = openpyxl.load_workbook(io.BytesIO(to_excel_bytes(frame, "zones"))).active
    cells = [c for row in ws.iter_rows() for c in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    column = [ws.cell(row=i + 2, column=1).value for i in range(len(FORMULAS))]
    assert all(v.startswith("'") for v in column), column  # (xlsx stores CR as _x000D_, Excel shows it as CR)
    assert ws["B1"].value == "'=header"
