"""``agent-assist bench publish`` on small counts: the figures it prints are real measurements."""

from __future__ import annotations

import json

import pytest

from agent_assist import app
from agent_assist.cli import main
from tests.conftest import require_real
from tests.support import databases


@pytest.fixture(autouse=True)
def _own_compiled_packs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app, "_compiled", {})  # the bench's packs stay out of other tests


def check_figures(figures: dict[str, object], backend: str) -> None:
    assert figures["backend"] == backend
    assert (figures["ref"], figures["runs"]) == ("zh-CN", 1)
    lookup = figures["lookup"]
    assert isinstance(lookup, dict)
    assert lookup["count"] == 5
    assert 0 < lookup["p50_ms"] <= lookup["p95_ms"] <= lookup["max_ms"]
    first = figures["first_call"]
    assert isinstance(first, dict)
    assert first["pack_ms"] > 0
    assert first["library_ms"] > 0
    assert first["total_ms"] == pytest.approx(first["pack_ms"] + first["library_ms"], abs=0.02)
    assert first["total_max_ms"] == pytest.approx(first["total_ms"], abs=0.02)  # one publish
    compiled = figures["compile"]
    assert isinstance(compiled, dict)
    assert compiled["median_s"] > 0
    assert compiled["cold_s"] > 0
    published = figures["publish"]
    assert isinstance(published, dict)
    assert published["pack_ms"] > 0
    assert published["library_ms"] > 0
    sizes = figures["bundle_kb"]
    assert isinstance(sizes, dict)
    assert sizes["rule_pack"] > sizes["script_library"] > 0
    away = figures["away"]
    assert isinstance(away, dict)
    assert away["first_ms"] > 0
    assert away["after"]["count"] == 5
    assert away["server_asked"] == 1  # within the back-off no call start asks again
    behind = figures["behind_writer"]
    if backend == "sqlite":
        assert isinstance(behind, dict)
        assert behind["hold_ms"] == 200
        assert behind["lookup_ms"] > 0
    else:
        assert behind is None  # a PostgreSQL read never waits for a writer


def test_on_sqlite_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", "publish", "--runs", "1", "--calls", "5", "--json"]) == 0
    check_figures(json.loads(capsys.readouterr().out), "sqlite")


def test_on_a_postgresql_server(capsys: pytest.CaptureFixture[str]) -> None:
    server = databases.server_url()
    require_real(databases.server_reachable(server), f"no PostgreSQL server at {server}")
    argv = ["bench", "publish", "--runs", "1", "--calls", "5", "--db-url", server, "--json"]
    assert main(argv) == 0
    check_figures(json.loads(capsys.readouterr().out), "postgresql")


def test_text_figures_name_the_targets(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", "publish", "--runs", "1", "--calls", "3"]) == 0
    out = capsys.readouterr().out
    assert "call-start look-up, nothing changed" in out
    assert "first call after a publish (fetch + unpack)" in out


def test_a_sqlite_url_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", "publish", "--db-url", "sqlite:///somewhere.db"]) == 2
    assert "PostgreSQL server's URL" in capsys.readouterr().err
