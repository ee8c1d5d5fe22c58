"""Small hostile files must stay cheap to read: the import page is open to every intranet user, and one upload
that takes minutes or gigabytes slows or kills the server for everyone.

Each test asserts the work the reader did, measured from outside the reader: rows and characters the csv module
parsed (pass by pass), cells openpyxl produced, bytes unpacked from zip members, workbooks parsed, and the peak of
Python's memory (tracemalloc). A counter that passes its budget stops the read at once (OverBudget), so a reader
that does all the work fails fast instead of running for minutes. How long the reads take is measured by
`python -m bench.intake_speed`, not here.

The budgets are the bounds the reader's design guarantees (loaders/textfile.py, loaders/workbook.py):
- a text file is parsed whole exactly once, at most MAX_ROWS + 51 rows of it; before that, the encoding and the
  separator are chosen on a sample — at most SAMPLE_ROWS rows of the first SAMPLE_CHARS characters, once per
  separator for each encoding ranked (UTF-8 and the two legacy supersets GB18030 and Big5-HKSCS);
- a sheet's cells are walked once, at most MAX_ROWS + 51 rows × MAX_COLUMNS; a workbook is parsed once, or twice
  when it holds formulas (openpyxl gives a formula cell its text or its stored result, never both);
- an .xlsx is refused for its size from the zip directory, after at most the 4 kB of xl/workbook.xml that tell
  Strict from transitional Open XML (loaders/sniff.py)."""

from __future__ import annotations

import csv
import tracemalloc
import zipfile
from dataclasses import dataclass, field

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from loaders.tabular import MAX_COLUMNS, MAX_ROWS, MAX_UNZIPPED_XML, IntakeError, read_grid
from loaders.textfile import DELIMITERS, LEGACY, SAMPLE_CHARS, SAMPLE_ROWS
from tests.loaders import hostile_files

MB = 1_000_000
# Peaks measured with the limits in place: 6 MB for a 3 000-row GB18030 CSV, 11 MB for a 3 000-row .xlsx (19 MB
# with a formula in every row), 63 MB for the stray-cell sheet (3 000 × 100 openpyxl cells), 67 MB for the row of
# 4 M commas, 40 MB for 2 M rows refused.
# Without the limits the same files cost minutes and gigabytes.
FULL_PASS_ROWS = MAX_ROWS + 51  # the reader parses one row past the limit to say "too many rows"
SAMPLE_PASSES = (1 + len(LEGACY)) * len(DELIMITERS)  # each separator tried on each encoding ranked
CSV_ROWS_BUDGET = FULL_PASS_ROWS + SAMPLE_PASSES * SAMPLE_ROWS
SHEET_CELLS_BUDGET = (MAX_ROWS + 51) * MAX_COLUMNS
ZIP_PEEK_BYTES = 4096  # what loaders.sniff reads of xl/workbook.xml to recognise Strict Open XML


class OverBudget(AssertionError):
    """The reader did more work than its limits allow (raised from inside the read, to stop it)."""


@dataclass
class CsvPass:
    """One csv.reader over some text: the rows it produced and the characters it was fed."""

    rows: int = 0
    chars: int = 0

    def is_sample(self) -> bool:
        return self.rows <= SAMPLE_ROWS and self.chars <= SAMPLE_CHARS


@dataclass
class Work:
    csv_passes: list[CsvPass] = field(default_factory=list)
    sheet_cells: int = 0
    zip_bytes_unpacked: int = 0
    workbooks_parsed: int = 0
    peak_bytes: int = 0

    @property
    def csv_rows(self) -> int:
        return sum(p.rows for p in self.csv_passes)

    def full_csv_passes(self) -> list[CsvPass]:
        return [p for p in self.csv_passes if not p.is_sample()]

    def assert_text_parsed_once(self, rows: int, encodings_ranked: int) -> None:
        """One pass over the text giving `rows` rows; every other pass a sample, one per separator for each of the
        `encodings_ranked` (the separator is chosen with the encoding, not again; an ASCII file ranks none and
        chooses its separator once, so 1 there too)."""
        assert [p.rows for p in self.full_csv_passes()] == [rows], self
        assert len(self.csv_passes) - 1 <= len(DELIMITERS) * encodings_ranked <= SAMPLE_PASSES, self


@pytest.fixture
def work(monkeypatch) -> Work:
    """Counts the reader's work through the libraries it calls (csv, openpyxl, zipfile)."""
    done = Work()
    real_reader, real_iter_rows = csv.reader, Worksheet.iter_rows
    real_read, real_read1, real_load = zipfile.ZipExtFile.read, zipfile.ZipExtFile.read1, openpyxl.load_workbook

    def counting_reader(lines, *args, **kwargs):
        this = CsvPass()
        done.csv_passes.append(this)

        def fed():
            for line in lines:
                this.chars += len(line)
                yield line

        for row in real_reader(fed(), *args, **kwargs):
            this.rows += 1
            if done.csv_rows > CSV_ROWS_BUDGET:
                raise OverBudget(f"the csv module parsed more than {CSV_ROWS_BUDGET} rows")
            yield row

    def counting_iter_rows(self, *args, **kwargs):
        for row in real_iter_rows(self, *args, **kwargs):
            done.sheet_cells += len(row)
            if done.sheet_cells > SHEET_CELLS_BUDGET:
                raise OverBudget(f"openpyxl produced more than {SHEET_CELLS_BUDGET} cells")
            yield row

    def counting_read(self, *args, **kwargs):
        out = real_read(self, *args, **kwargs)
        done.zip_bytes_unpacked += len(out)
        return out

    def counting_read1(self, *args, **kwargs):
        out = real_read1(self, *args, **kwargs)
        done.zip_bytes_unpacked += len(out)
        return out

    def counting_load(*args, **kwargs):
        done.workbooks_parsed += 1
        return real_load(*args, **kwargs)

    monkeypatch.setattr(csv, "reader", counting_reader)
    monkeypatch.setattr(Worksheet, "iter_rows", counting_iter_rows)
    monkeypatch.setattr(zipfile.ZipExtFile, "read", counting_read)
    monkeypatch.setattr(zipfile.ZipExtFile, "read1", counting_read1)
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
    # the 4 M-character line is parsed once; the encoding and separator were chosen on its first characters
    work.assert_text_parsed_once(rows=2, encodings_ranked=1)  # UTF-8 with a header
    assert sum(p.chars for p in work.csv_passes) <= len(hostile_files.wide_csv()) + SAMPLE_PASSES * SAMPLE_CHARS
    # the csv module holds the 4 M-field row once (≈32 MB of pointers); cleaning every field would cost far more
    assert work.peak_bytes < 100 * MB, work


def test_a_csv_of_millions_of_rows_is_refused_without_reading_them_all(work):
    error = read_measured(work, hostile_files.long_csv(), "long.csv")
    assert isinstance(error, IntakeError) and "行数太多" in str(error)
    # ASCII (no encoding ranked); one row past what the limit allows, then it stops
    work.assert_text_parsed_once(rows=FULL_PASS_ROWS, encodings_ranked=1)
    # ≈40 MB: the 8 MB text, and io.StringIO's 4-byte-a-character copy of it; 2 M parsed rows are ≈300 MB more
    assert work.peak_bytes < 80 * MB, work


def test_an_xlsx_whose_sheet_unpacks_past_the_xml_limit_is_refused_before_parsing(work):
    error = read_measured(work, hostile_files.heavy_xlsx(), "heavy.xlsx")  # ≈23 MB of XML in a ≈2 MB file
    assert isinstance(error, IntakeError) and f"{MAX_UNZIPPED_XML / 1e6:.0f} MB" in str(error)
    # decided from the zip's directory (and the sniffer's look at the head of xl/workbook.xml): no sheet unpacked,
    # no workbook parsed
    assert work.zip_bytes_unpacked <= ZIP_PEEK_BYTES, work
    assert (work.workbooks_parsed, work.sheet_cells) == (0, 0), work
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
    work.assert_text_parsed_once(rows=MAX_ROWS + 1, encodings_ranked=2)  # its head decodes as GB18030 and Big5
    assert work.peak_bytes < 20 * MB, work


def test_a_full_size_roster_of_formulas_is_parsed_twice_and_walked_once(work):
    grid = read_measured(work, hostile_files.full_formula_xlsx(), "full_formulas.xlsx")
    assert len(grid.cells) == MAX_ROWS + 1
    assert grid.cells[-1][:4] == ["浙江省", "杭州市", "上城区", "杭州市上城区"]  # the stored result, not =B3001&C3001
    # formulas, then stored results: the second parse is the price of knowing which cells were formulas
    assert work.workbooks_parsed == 2 and work.sheet_cells == (MAX_ROWS + 1) * 6, work
    assert work.peak_bytes < 40 * MB, work
