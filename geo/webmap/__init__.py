"""The interactive map: folium maps of the nation and a province, their compact layers, kept off the network."""
