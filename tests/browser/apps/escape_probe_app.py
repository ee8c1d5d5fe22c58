"""Every hostile payload through the app's own escaping (ui.text.md_escape, ui.maps.legend) into each kind of
element the pages use for user text, so a browser test can read what Streamlit's renderer actually made of it."""

import streamlit as st

from tests.browser.hostile import LINKS, PAYLOADS
from ui.maps import legend
from ui.text import md_escape, md_link

st.set_page_config(page_title="escape probe", layout="wide")

for name, payload in PAYLOADS.items():
    with st.container(key=f"md_{name}"):
        st.markdown(md_escape(payload))
    with st.container(key=f"caption_{name}"):
        st.caption(md_escape(payload))
    with st.container(key=f"warning_{name}"):
        st.warning(md_escape(payload))
    with st.container(key=f"heading_{name}"):
        st.markdown(f"### {md_escape(payload)}")

with st.container(key="legend"):
    from geo.styling import LegendEntry

    legend([LegendEntry(payload, "#b3261e", "", 1) for payload in PAYLOADS.values()])
for name, (url, _) in LINKS.items():  # web addresses from the data (a source_url column), as the zone card shows them
    with st.container(key=f"link_{name}"):
        st.caption("来源：" + md_link(url))
st.caption("probe ready")
