"""How long the table reader takes on files built to be expensive, and on full-size rosters at the limits.

Run: `.venv/bin/python -m bench.intake_speed [--runs 5]`. Prints medians; asserts nothing (what the reader may do
with each file, in rows, cells and memory, is asserted by tests/loaders/test_tabular_limits.py).
"""

from __future__ import annotations

import argparse
import statistics
import time

from loaders.tabular import IntakeError, read_grid
from tests.loaders.hostile_files import FILES


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    print(f"bench.intake_speed: read_grid, median of {args.runs} runs")
    for name, build in FILES.items():
        data = build()
        times, outcome = [], ""
        for _ in range(args.runs):
            started = time.perf_counter()
            try:
                outcome = f"{len(read_grid(data, name).cells)} rows read"
            except IntakeError as exc:
                outcome = f"refused: {exc}"
            times.append(time.perf_counter() - started)
        print(f"   {name:<18} {len(data) / 1e6:6.2f} MB  median {statistics.median(times):.2f} s "
              f"(min {min(times):.2f}, max {max(times):.2f})  {outcome[:60]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
