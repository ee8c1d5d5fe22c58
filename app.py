"""实验区地图 entry point: page config, the page registry and the shared sidebar. Pages live in pages/."""

from pathlib import Path

import streamlit as st

from loaders.roster import RosterError
from loaders.roster_store import StoreUnavailable
from ui import cached
from ui.text import builtin_chinese_html, md_escape, t

HERE = Path(__file__).parent

st.set_page_config(page_title=t("common.app_title"), page_icon=None, layout="wide")

PAGES = [
    st.Page(HERE / "pages" / "map.py", title=t("common.nav.map"), url_path="map", default=True),
    st.Page(HERE / "pages" / "compare.py", title=t("common.nav.compare"), url_path="compare"),
    st.Page(HERE / "pages" / "briefing.py", title=t("common.nav.briefing"), url_path="briefing"),
    st.Page(HERE / "pages" / "import_roster.py", title=t("common.nav.import"), url_path="import"),
    st.Page(HERE / "pages" / "about.py", title=t("common.nav.about"), url_path="about"),
]
navigation = st.navigation(PAGES)
# Streamlit's own English (placeholders, "No results", grid tooltips…) in Chinese on every page: ui/builtin_zh.js
st.html(builtin_chinese_html(), unsafe_allow_javascript=True)

with st.sidebar:
    st.markdown(f"**{md_escape(t('common.app_title'))}**  \n{md_escape(t('common.app_subtitle'))}")
cached.boundary_cache_ready()
try:
    cached.loaded_roster()
except RosterError as exc:  # the whole file is unusable: say why on every page (retried on the next run)
    st.error(md_escape(t("common.roster_unusable", path=cached.roster_store().label, error=exc)))
    st.stop()
except StoreUnavailable:  # the database is down and this server has never read the roster (retried next run)
    st.error(t("common.database_unreachable"))
    st.stop()
if cached.store_unavailable():  # the database is down: pages show the last roster this server read
    st.warning(t("common.database_down"))
navigation.run()
