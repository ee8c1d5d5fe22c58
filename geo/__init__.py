"""Geography without Streamlit: the boundary cache, zones joined to it, web and print maps, the deck, statistics.

Each part imports only parts listed before it (tests/test_layout.py checks there is no circle): boundaries (the
cache) → zones.py (the join every view starts from) → stats (figures) → styling.py (colours and legends shared by
both maps and the deck) → webmap (folium) and printmap (matplotlib) → deck (slides). zones.py and styling.py stay
at this level because every view uses them; inside one consumer, its siblings would reach into it.
"""
