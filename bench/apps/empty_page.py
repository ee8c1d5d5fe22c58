"""The baseline for bench.page_speed: the smallest Streamlit page with a title, same page config as the dashboard."""

import streamlit as st

st.set_page_config(page_title="empty page", layout="wide")
st.title("空白页")
