"""How long a printable map takes: median of warm renders in one process, and a cold `python -m geo.printmap`.

Run: `.venv/bin/python -m bench.snapshot_speed [--runs 5]`. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import inspect
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def warm(runs: int) -> dict[str, list[float]]:
    from geo.printmap.render import render_map, snapshot_bytes
    from geo.zones import zone_layer
    from loaders.roster import load_roster

    zones = zone_layer(load_roster().zones)
    options = {"title": "基准测试", "source_line": "资料来源：基准测试", "date": date.today()}
    out: dict[str, list[float]] = {}
    cases = [("national PNG 300 dpi", None, {}), ("province PNG 300 dpi (浙江省)", "浙江省", {})]
    if "size" in inspect.signature(render_map).parameters:  # the half-size layout, where the code has it
        cases.append(("national half-size PNG 300 dpi", None, {"size": "half"}))
    for label, province, extra in cases:
        snapshot_bytes(zones, province=province, **options, **extra)  # first call prepares the projected layers
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            snapshot_bytes(zones, province=province, **options, **extra)
            times.append(time.perf_counter() - started)
        out[label] = times
    return out


def cold(runs: int) -> list[float]:
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(runs):
            started = time.perf_counter()
            subprocess.run([sys.executable, "-m", "geo.printmap", "--out", f"{tmp}/national.png"], cwd=REPO,
                           check=True, capture_output=True)
            times.append(time.perf_counter() - started)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cold-runs", type=int, default=2)
    args = parser.parse_args(argv)
    for label, times in warm(max(args.runs, 5)).items():
        print(f"{label}: median {statistics.median(times):.2f} s warm "
              f"(min {min(times):.2f}, max {max(times):.2f}, n={len(times)})")
    times = cold(args.cold_runs)
    print(f"cold process (python -m geo.printmap, national PNG): median {statistics.median(times):.2f} s "
          f"(n={len(times)}; includes imports, roster resolution and layer preparation)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
