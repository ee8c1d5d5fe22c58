"""Read, normalise, validate and resolve zone rosters into plain DataFrames (no Streamlit, no geometry)."""
