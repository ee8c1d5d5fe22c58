"""Geography without Streamlit: the boundary cache, zones joined to it, web and print maps, the deck, statistics.

Subpackages, each importing only those listed before it: boundaries (the cache) → stats (figures) → webmap
(folium) and printmap (matplotlib) → deck (slides). Two modules stay here because every view shares them:
zones.py (the join every view starts from) and styling.py (the colours and legends both maps and the deck use).
"""
