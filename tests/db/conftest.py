"""A throwaway PostgreSQL cluster for the tests in this folder (one per test worker), emptied before each test."""

import pytest

from loaders.roster_source import DatabaseRosterStore
from tests.services import PostgresCluster, postgres_bin


@pytest.fixture(scope="session")
def pg():
    if postgres_bin() is None:
        pytest.fail("PostgreSQL server programs are missing: run `make service-deps` (part of `make test`)")
    cluster = PostgresCluster.create()
    yield cluster
    cluster.destroy()


@pytest.fixture
def store(pg):
    """A database store on an empty database (schema created on first use)."""
    pg.reset()
    db = DatabaseRosterStore(pg.url)
    yield db
    db.engine.dispose()
