"""Small hostile files must stay cheap to read: the import page is open to every intranet user, and one upload
that takes minutes or gigabytes slows or kills the server for everyone.

Each test asserts the work the reader did, measured from outside the reader: rows the csv module parsed, cells
openpyxl produced, zip members it opened, and the peak of Python's memory (tracemalloc). A counter that passes its
budget stops the read at once (OverBudget), so a reader that does all the work fails fast instead of running for
minutes. How long the reads take is measured by `python -m bench.intake_speed`, not here."""

from __future__ import annotations

import csv
import tracemalloc
import zipfile
from dataclasses import dataclass

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from loaders.tabular import MAX_COLUMNS, MAX_ROWS, MAX_UNZIPPED_XML, IntakeError, read_grid
from tests.loaders import hostile_files

MB = 1_000_000
# Peaks measured with the limits in place: 2 MB for a 3 000-row CSV, 11 MB for a 3 000-row .xlsx, 64 MB for the
# stray-cell sheet (3 000 × 100 openpyxl cells), 67 MB for the row of 4 M commas, 40 MB for 2 M rows refused.
# Without the limits the same files cost minutes and gigabytes.
CSV_ROWS_BUDGET = MAX_ROWS + 51  # the reader parses one row past the limit to say "too many rows"
SHEET_CELLS_BUDGET = (MAX_ROWS + 50) * MAX_COLUMNS


class OverBudget(AssertionError):
    """The reader did more work than its limits allow (raised from inside the read, to stop it)."""


@dataclass
class Work:
    csv_rows: int = 0
    sheet_cells: int = 0
    zip_members_opened: int = 0
    workbooks_parsed: int = 0
    peak_bytes: int = 0


@pytest.fixture
def work(monkeypatch) -> Work:
    """Counts the reader's work through the libraries it calls (csv, openpyxl, zipfile)."""
    done = Work()
    real_reader, real_iter_rows = csv.reader, Worksheet.iter_rows
    real_open, real_load = zipfile.ZipFile.open, openpyxl.load_workbook

    def counting_reader(*args, **kwargs):
        for row in real_reader(*args, **kwargs):
            done.csv_rows += 1
            if done.csv_rows > CSV_ROWS_BUDGET:
                raise OverBudget(f"the csv module parsed more than {CSV_ROWS_BUDGET} rows")
            yield row

    def counting_iter_rows(self, *args, **kwargs):
        for row in real_iter_rows(self, *args, **kwargs):
            done.sheet_cells += len(row)
            if done.sheet_cells > SHEET_CELLS_BUDGET:
                raise OverBudget(f"openpyxl produced more than {SHEET_CELLS_BUDGET} cells")
            yield row

    def counting_open(self, *args, **kwargs):
        done.zip_members_opened += 1
        return real_open(self, *args, **kwargs)

    def counting_load(*args, **kwargs):
        done.workbooks_parsed += 1
        return real_load(*args, **kwargs)

    monkeypatch.setattr(csv, "reader", counting_reader)
    monkeypatch.setattr(Worksheet, "iter_rows", counting_iter_rows)
    monkeypatch.setattr(zipfile.ZipFile, "open", counting_open)
    monkeypatch.setattr(openpyxl, "load_workbook", counting_load)
    return done


def read_measured(work: Work, data: bytes, name: str):
    """read_grid's result (or its IntakeError); `work` holds what this read did (counters start at zero)."""
    work.__init__()
    tracemalloc.start()
    try:
        return read_grid(data, name)
    except IntakeError as exc:
        return exc
    finally:
        work.peak_bytes = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()


def test_a_stray_cell_at_the_last_excel_column_is_ignored_not_expanded(work):
    grid = read_measured(work, hostile_files.stray_cell_xlsx(), "wide.xlsx")
    assert grid.cells[1][:3] == ["浙江省", "上城区", "杭州市上城区"]
    assert max(len(row) for row in grid.cells) <= MAX_COLUMNS
    # every row read, none wider than the limit: not 3 000 × 16 384 cells
    assert work.sheet_cells == MAX_ROWS * MAX_COLUMNS
    assert work.peak_bytes < 120 * MB, work


def test_a_csv_row_of_millions_of_commas_is_cut_to_the_column_limit(work):
    grid = read_measured(work, hostile_files.wide_csv(), "wide.csv")
    assert max(len(row) for row in grid.cells) <= MAX_COLUMNS
    assert grid.cells[1] == ["浙江省", "杭州市上城区"]
    assert work.csv_rows == 2
    # the csv module holds the 4 M-field row once (≈32 MB of pointers); cleaning every field would cost far more
    assert work.peak_bytes < 100 * MB, work


def test_a_csv_of_millions_of_rows_is_refused_without_reading_them_all(work):
    error = read_measured(work, hostile_files.long_csv(), "long.csv")
    assert isinstance(error, IntakeError) and "行数太多" in str(error)
    assert work.csv_rows == MAX_ROWS + 51  # one row past what the limit allows, then it stops
    # ≈40 MB: the 8 MB text, and io.StringIO's 4-byte-a-character copy of it; 2 M parsed rows are ≈300 MB more
    assert work.peak_bytes < 80 * MB, work


def test_an_xlsx_whose_sheet_unpacks_past_the_xml_limit_is_refused_before_parsing(work):
    error = read_measured(work, hostile_files.heavy_xlsx(), "heavy.xlsx")  # ≈23 MB of XML in a ≈2 MB file
    assert isinstance(error, IntakeError) and f"{MAX_UNZIPPED_XML / 1e6:.0f} MB" in str(error)
    # decided from the zip's directory alone: no member unpacked, no workbook parsed
    assert (work.zip_members_opened, work.workbooks_parsed, work.sheet_cells) == (0, 0, 0)
    assert work.peak_bytes < 1 * MB, work


def test_a_full_size_roster_still_reads(work):
    grid = read_measured(work, hostile_files.full_xlsx(), "full.xlsx")
    assert len(grid.cells) == MAX_ROWS + 1
    assert grid.cells[-1][3] == "杭州市上城区"
    assert work.workbooks_parsed == 1 and work.sheet_cells == (MAX_ROWS + 1) * 6
    assert work.peak_bytes < 40 * MB, work


def test_a_full_size_csv_roster_reads_every_row_once(work):
    grid = read_measured(work, hostile_files.full_csv(), "full.csv")
    assert len(grid.cells) == MAX_ROWS + 1 and grid.cells[-1] == ["浙江省", "上城区", "杭州市上城区"]
    assert work.csv_rows == MAX_ROWS + 1
    assert work.peak_bytes < 20 * MB, work
