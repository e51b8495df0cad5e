"""A database URL in an edited field: shown masked, its saved password put back."""

from __future__ import annotations

from agent_assist.store.url_masking import mask_password, restore_password

SAVED = "postgresql+psycopg://collector:p%40ss@db1:5432/agent"


def test_the_url_and_its_password_are_masked_wherever_they_appear() -> None:
    text = f"cannot reach {SAVED}: password p@ss (typed p%40ss) refused"
    assert mask_password(text, SAVED) == (
        "cannot reach postgresql+psycopg://collector:***@db1:5432/agent: "
        "password *** (typed ***) refused"
    )


def test_without_a_password_nothing_is_masked() -> None:
    for url in ("postgresql+psycopg://collector@db1/agent", "sqlite:///x.db", ""):
        assert mask_password(f"cannot reach {url}", url) == f"cannot reach {url}"


def test_a_url_that_is_not_valid_is_still_masked() -> None:
    url = "collector:p%40ss@db1/agent"  # its scheme forgotten
    assert mask_password(f"is {url} right?", url) == "is collector:***@db1/agent right?"
    port = "postgresql+psycopg://collector:secret@db1:port/agent"
    assert mask_password(f"is {port} right?", port) == "is postgresql+psycopg://*** right?"


def test_the_saved_password_comes_back_where_the_mask_is_left() -> None:
    shown = mask_password(SAVED, SAVED)
    assert shown == "postgresql+psycopg://collector:***@db1:5432/agent"
    assert restore_password(shown, SAVED) == SAVED
    moved = shown.replace("db1", "db2")
    assert restore_password(moved, SAVED) == SAVED.replace("db1", "db2")


def test_a_typed_password_or_url_is_kept_as_typed() -> None:
    typed = "postgresql+psycopg://collector:new@db2/agent"
    assert restore_password(typed, SAVED) == typed
    assert restore_password("postgresql+psycopg://collector:***@db2/agent", "") == (
        "postgresql+psycopg://collector:***@db2/agent"  # nothing saved to put back
    )
    assert restore_password("db2:port", SAVED) == "db2:port"
