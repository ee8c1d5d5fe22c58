"""A damaged boundary cache is noticed before it is read, and two sessions needing a rebuild build it once."""

import shutil
import threading

import pytest

from geo.boundaries import cache as boundaries


@pytest.fixture
def private_cache(tmp_path, monkeypatch):
    """A copy of the real cache under tmp_path (never the shared .cache/), as ZONE_ATLAS_CACHE."""
    source = boundaries.cache_dir()
    monkeypatch.setenv("ZONE_ATLAS_CACHE", str(tmp_path))
    shutil.copytree(source, boundaries.cache_dir())
    boundaries._clear_memory_cache()
    yield boundaries.cache_dir()
    boundaries._clear_memory_cache()


def test_a_whole_cache_is_usable(private_cache):
    assert boundaries.cache_status() == (True, "ok")


@pytest.mark.parametrize("damage", ["truncated", "empty", "garbage"])
def test_a_damaged_layer_file_makes_the_cache_unusable_with_its_name(private_cache, damage):
    layer = private_cache / "county.parquet"
    data = layer.read_bytes()
    layer.write_bytes({"truncated": data[: len(data) // 3], "empty": b"", "garbage": b"PAR1 not really"}[damage])
    ok, why = boundaries.cache_status()
    assert not ok and "county" in why and "损坏" in why


def test_two_sessions_needing_a_rebuild_build_it_once(private_cache, monkeypatch):
    whole = private_cache.parent / "whole-copy"
    shutil.copytree(private_cache, whole)
    (private_cache / "meta.json").write_text("{", encoding="utf-8")  # corrupt: both sessions see a broken cache
    builds, checked, both_saw_it_broken = [], set(), threading.Barrier(2, timeout=30)
    real_status = boundaries.cache_status

    def status():
        ok, why = real_status()
        me = threading.current_thread().name
        if me.startswith("session") and me not in checked:
            checked.add(me)
            both_saw_it_broken.wait()  # each session's first check happens before either starts building
        return ok, why

    def fake_build(progress=None):
        builds.append(threading.current_thread().name)
        shutil.rmtree(private_cache)
        shutil.copytree(whole, private_cache)
        return private_cache

    monkeypatch.setattr(boundaries, "cache_status", status)
    monkeypatch.setattr(boundaries, "build_cache", fake_build)
    results, errors = [], []

    def session():
        try:
            results.append(boundaries.ensure_cache())
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=session, name=f"session-{i}") for i in range(2)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=60)
    assert errors == []
    assert len(builds) == 1
    assert results == [private_cache, private_cache]
