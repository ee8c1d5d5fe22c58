"""Settings an intranet deployment relies on, and the admin token gate's wiring (constant-time, server-side)."""

import hmac
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from loaders import roster_store
from loaders.tabular import MAX_BYTES
from ui import admin, serve
from ui.text import WORD_JOINER, md_escape, md_html

REPO = Path(__file__).resolve().parents[2]
CONFIG = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text("utf-8"))


def test_config_keeps_xsrf_cors_and_private_errors_on():
    server = CONFIG["server"]
    assert server["enableXsrfProtection"] is True
    assert server["enableCORS"] is True
    assert CONFIG["browser"]["gatherUsageStats"] is False
    assert CONFIG["client"]["showErrorDetails"] == "none"


def test_upload_limits_agree():
    """Streamlit's uploader refuses files over maxUploadSize × 10⁶ bytes; the app's own check is no looser."""
    assert CONFIG["server"]["maxUploadSize"] <= 10
    assert MAX_BYTES <= CONFIG["server"]["maxUploadSize"] * 1_000_000


def test_token_comparison_is_constant_time(monkeypatch):
    calls, real = [], hmac.compare_digest

    def spy(a, b):
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(roster_store.hmac, "compare_digest", spy)
    assert roster_store.token_matches("s3cret", "s3cret")
    assert not roster_store.token_matches("s3creX", "s3cret")
    assert len(calls) == 2


def test_admin_check_uses_the_server_token_only(monkeypatch):
    monkeypatch.setattr(admin, "ATTEMPTS", admin.FailedAttempts())
    monkeypatch.setenv("ZONE_ATLAS_ADMIN_TOKEN", "server-side")
    assert admin.is_admin("server-side")
    assert not admin.is_admin("server-sid")
    assert not admin.is_admin("")
    monkeypatch.delenv("ZONE_ATLAS_ADMIN_TOKEN")
    monkeypatch.setattr(admin, "configured_token", lambda: None)
    assert not admin.is_admin("")  # no token configured: nobody is admin, not even with an empty guess
    assert not admin.is_admin(None)


@pytest.mark.parametrize("text", [":material/home:", ":smile:", ":red[x]", "https://evil.example", "www.evil.example",
                                  "a@evil.example"])
def test_md_escape_breaks_shortcodes_and_autolinks(text):
    """The browser test (tests/browser/test_hostile_input.py) shows the effect; this pins the mechanism."""
    escaped = md_escape(text)
    assert escaped.replace(WORD_JOINER, "").replace("\\", "") == text
    assert WORD_JOINER in escaped


def test_md_html_keeps_html_text_on_one_line_and_escaped():
    assert md_html('<b a="1">x\n\ny</b>') == "&lt;b a=&quot;1&quot;&gt;x  y&lt;/b&gt;"


def test_repeated_wrong_tokens_close_the_gate_for_a_while(monkeypatch):
    now = [1000.0]
    attempts = admin.FailedAttempts(clock=lambda: now[0])
    monkeypatch.setattr(admin, "ATTEMPTS", attempts)
    monkeypatch.setenv("ZONE_ATLAS_ADMIN_TOKEN", "server-side")
    for _ in range(admin.MAX_FAILURES):
        assert not admin.is_admin("guess")
    assert not admin.is_admin("server-side")  # even the right token waits: no brute force at full speed
    now[0] += admin.LOCKOUT_SECONDS
    assert admin.is_admin("server-side")
    assert attempts.locked_for() == 0


def test_a_few_wrong_tokens_do_not_lock_the_admin_out(monkeypatch):
    monkeypatch.setattr(admin, "ATTEMPTS", admin.FailedAttempts())
    monkeypatch.setenv("ZONE_ATLAS_ADMIN_TOKEN", "server-side")
    for _ in range(admin.MAX_FAILURES - 1):
        assert not admin.is_admin("typo")
    assert admin.is_admin("server-side")


@pytest.mark.parametrize("env, problem", [
    ({"ZONE_ATLAS_TILE_URL": "http://tiles.local/{z}/{x}/{y}.png"}, "ATTRIBUTION"),
    ({"ZONE_ATLAS_TILE_URL": "javascript:alert(1)//{z}{x}{y}", "ZONE_ATLAS_TILE_ATTRIBUTION": "x"}, "http"),
    ({"ZONE_ATLAS_TILE_URL": "http://tiles.local/tiles.png", "ZONE_ATLAS_TILE_ATTRIBUTION": "x"}, "{z}"),
    ({"ZONE_ATLAS_DATABASE_URL": "mysql://atlas@db/atlas"}, "postgresql://"),
    ({"ZONE_ATLAS_DATABASE_URL": "db.internal:5432/atlas"}, "postgresql://"),
])
def test_a_broken_tile_setting_stops_the_server_before_anyone_sees_a_broken_map(env, problem):
    errors, _ = serve.deployment_problems(env)
    assert any(problem in e for e in errors), errors


def test_good_settings_pass_and_weak_ones_warn(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("x", encoding="utf-8")
    good = {"ZONE_ATLAS_TILE_URL": "https://tiles.agency.internal/{z}/{x}/{y}.png",
            "ZONE_ATLAS_TILE_ATTRIBUTION": "© 本单位测绘", "ZONE_ATLAS_ROSTER": str(roster),
            "ZONE_ATLAS_ADMIN_TOKEN": "a-long-random-admin-token"}
    assert serve.deployment_problems(good) == ([], [])
    errors, warnings = serve.deployment_problems({"ZONE_ATLAS_ADMIN_TOKEN": "1234", "ZONE_ATLAS_ROSTER": "/nope.csv"})
    assert errors == [] and len(warnings) == 2
    assert all("1234" not in w for w in warnings)  # the token itself is never printed
    database = {"ZONE_ATLAS_DATABASE_URL": "postgresql://atlas:pw@127.0.0.1:5432/atlas"}
    assert serve.deployment_problems(database) == ([], [])
    _, warnings = serve.deployment_problems({**database, "ZONE_ATLAS_ROSTER": str(roster)})
    assert len(warnings) == 1 and "ignored" in warnings[0]


def test_the_launcher_refuses_to_start_with_a_broken_tile_setting():
    env = {**os.environ, "ZONE_ATLAS_TILE_URL": "http://tiles.local/{z}/{x}/{y}.png"}
    env.pop("ZONE_ATLAS_TILE_ATTRIBUTION", None)
    done = subprocess.run([sys.executable, "-m", "ui.serve", "--server.port", "1"], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "ZONE_ATLAS_TILE_ATTRIBUTION" in done.stderr
