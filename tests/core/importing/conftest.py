"""Import tests: sample files, made-up IDs, the users the samples assign cases to."""

from __future__ import annotations

from pathlib import Path

import pytest
from stdnum.cn import ric

from agent_assist.store.database import Database
from agent_assist.store.people_repo import SYSTEM, PeopleRepository

SAMPLES = Path(__file__).parents[2] / "data" / "imports"


def make_id(first17: str) -> str:
    """A resident ID that validates, for a made-up person (17 digits + computed check)."""
    return first17 + ric.calc_check_digit(first17 + "0")


@pytest.fixture
def users(db: Database) -> Database:
    """The database with the collectors the sample files assign cases to."""
    people = PeopleRepository(db)
    people.add_user(SYSTEM, "ann", "Ann Collector", "collector")
    people.add_user(SYSTEM, "bob", "Bob Collector", "collector")
    return db


def write_csv(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path
