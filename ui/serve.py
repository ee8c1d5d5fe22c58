"""Start the dashboard: `python -m ui.serve [streamlit run options]` (what `make run` does).

Why not plain `streamlit run app.py`: when a folder named `pages/` sits beside the entry script, Streamlit 1.67
starts every server in the legacy multipage mode (PagesManager.uses_pages_directory) until some session's run
reaches `st.navigation`. If the very first request is a deep link such as /compare, the legacy router runs
pages/compare.py directly — without app.py's page config and sidebar — and keeps doing so. Declaring the
st.navigation mode before the server starts makes deep links work from the first request.
"""

from __future__ import annotations

import sys
from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli

APP = Path(__file__).resolve().parent.parent / "app.py"


def main(argv: list[str] | None = None) -> None:
    PagesManager.uses_pages_directory = False
    args = list(sys.argv[1:] if argv is None else argv)
    sys.argv = ["streamlit", "run", str(APP), *args]
    sys.exit(cli.main())


if __name__ == "__main__":
    main()
