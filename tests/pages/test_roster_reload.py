"""The file back end through the app: a roster file replaced by a rename (a restore, another server's save on the
same folder) is shown at the next page run, without a restart, and only the roster's caches change."""

from loaders.roster import read_roster_csv
from tests.pages.conftest import all_text


def test_a_roster_file_replaced_on_disk_shows_without_a_restart(app, tmp_path, monkeypatch):
    from ui import cached

    path = tmp_path / "roster.csv"
    read_roster_csv().head(5).to_csv(path, index=False)
    monkeypatch.setenv("ZONE_ATLAS_ROSTER", str(path))
    monkeypatch.setattr(cached, "POLL_SECONDS", 0.0)  # the server looks at the file on every run
    at = app().run()
    assert "5 / 5" in all_text(at)
    layers_before = cached.layer("province")
    new = tmp_path / "roster.csv.new"
    read_roster_csv().head(7).to_csv(new, index=False)
    new.replace(path)  # the restore recipe in docs/OPERATIONS.md: a rename over the file
    at = app().run()
    assert "7 / 7" in all_text(at), all_text(at)
    assert cached.layer("province") is layers_before  # boundaries were not rebuilt for a roster change
