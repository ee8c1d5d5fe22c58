"""Boundaries, joins, map builders and static snapshots (never imports Streamlit)."""
