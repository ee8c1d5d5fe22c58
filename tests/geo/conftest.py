"""Shared real-data fixtures for geo tests: the bundled roster joined to boundaries, the theme catalogue, its tags.

Session-scoped (the join reads the boundary cache); a module defining its own fixture of the same name wins.
"""

import pytest

from geo.zones import zone_layer
from loaders.roster import load_roster
from loaders.themes import load_themes, theme_tags


@pytest.fixture(scope="session")
def zones():
    """The 31 units of 民函〔2019〕41号 (the tests below read their expectations off that document)."""
    return zone_layer(load_roster().zones.query("batch == '2019'").reset_index(drop=True))


@pytest.fixture(scope="session")
def all_zones():
    """Every row of the bundled roster: the 2019 document and the public lists (data/sources/public-lists)."""
    return zone_layer(load_roster().zones)


@pytest.fixture(scope="session")
def catalogue():
    return load_themes()


@pytest.fixture(scope="session")
def tags(zones, catalogue):
    return theme_tags(zones, catalogue)
