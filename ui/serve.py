"""Start the dashboard: `python -m ui.serve [streamlit run options]` (what `make run` does).

Why not plain `streamlit run app.py`: when a folder named `pages/` sits beside the entry script, Streamlit 1.67
starts every server in the legacy multipage mode (PagesManager.uses_pages_directory) until some session's run
reaches `st.navigation`. If the very first request is a deep link such as /compare, the legacy router runs
pages/compare.py directly — without app.py's page config and sidebar — and keeps doing so. Declaring the
st.navigation mode before the server starts makes deep links work from the first request.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Mapping
from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli

APP = Path(__file__).resolve().parent.parent / "app.py"


TILE_PLACEHOLDERS = ("{z}", "{x}", "{y}")
MIN_TOKEN_LENGTH = 16


def deployment_problems(env: Mapping[str, str]) -> tuple[list[str], list[str]]:
    """(errors that stop the server, warnings) for the ZONE_ATLAS_* settings — checked before the first user
    arrives, so a mistyped tile server fails at start, not as a broken map for everyone."""
    errors, warnings = [], []
    tile_url = env.get("ZONE_ATLAS_TILE_URL", "")
    if tile_url:
        if not re.match(r"^(https?://[^/\s]+/|/)", tile_url):
            errors.append("ZONE_ATLAS_TILE_URL must be an http(s):// address of the agency's tile server "
                          "(or a path on this server)")
        if not all(p in tile_url for p in TILE_PLACEHOLDERS):
            errors.append("ZONE_ATLAS_TILE_URL needs the {z}, {x} and {y} placeholders")
        if not env.get("ZONE_ATLAS_TILE_ATTRIBUTION", "").strip():
            errors.append("ZONE_ATLAS_TILE_URL is set: ZONE_ATLAS_TILE_ATTRIBUTION must name the map's source")
    database = env.get("ZONE_ATLAS_DATABASE_URL", "").strip()
    if database and not re.match(r"^postgres(ql)?(\+psycopg)?://", database):
        errors.append("ZONE_ATLAS_DATABASE_URL must be a postgresql://user:password@host:port/database address")
    roster = env.get("ZONE_ATLAS_ROSTER", "")
    if roster and database:
        warnings.append("ZONE_ATLAS_ROSTER is ignored while ZONE_ATLAS_DATABASE_URL is set (the roster is in the "
                        "database; `python -m loaders.db import-files` moves a file roster there)")
    elif roster and not Path(roster).is_file():
        warnings.append(f"ZONE_ATLAS_ROSTER={roster} is not a file: every page will say so until it is")
    token = env.get("ZONE_ATLAS_ADMIN_TOKEN", "")
    if token and len(token) < MIN_TOKEN_LENGTH:
        warnings.append(f"ZONE_ATLAS_ADMIN_TOKEN is shorter than {MIN_TOKEN_LENGTH} characters: easy to guess")
    return errors, warnings


def main(argv: list[str] | None = None) -> None:
    errors, warnings = deployment_problems(os.environ)
    for line in warnings:
        print(f"warning: {line}", file=sys.stderr)
    if errors:
        print("\n".join(f"error: {line}" for line in errors), file=sys.stderr)
        sys.exit(2)
    PagesManager.uses_pages_directory = False
    args = list(sys.argv[1:] if argv is None else argv)
    sys.argv = ["streamlit", "run", str(APP), *args]
    sys.exit(cli.main())


if __name__ == "__main__":
    main()
