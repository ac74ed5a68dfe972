"""The teams tests' fixtures: one real server per module with two filled teams."""
import pytest

from support.teams import two_teams


@pytest.fixture(scope="module")
def teams(company):
    return two_teams(company)
