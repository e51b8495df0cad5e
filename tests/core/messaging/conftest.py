"""Fixtures of the messaging tests."""

from __future__ import annotations

import pytest

from agent_assist.store.database import Database
from tests.core.messaging.builders import Team


@pytest.fixture
def team(db: Database) -> Team:
    """A team with a case each for ann and bo, on SQLite and PostgreSQL."""
    return Team(db)
