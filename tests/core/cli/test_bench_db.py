"""``agent-assist bench db`` on a small volume: the figures it prints are real measurements."""

from __future__ import annotations

import json

import pytest

from agent_assist.cli import main
from tests.conftest import require_real
from tests.support import databases


def test_bench_db_prints_one_json_object(capsys: pytest.CaptureFixture[str]) -> None:
    server = databases.server_url()
    require_real(databases.server_reachable(server), f"no PostgreSQL server at {server}")
    argv = ["bench", "db", "--calls", "300", "--flags", "1500", "--queries", "8"]
    argv += ["--writers", "2", "--ops", "3", "--interval-s", "0.01", "--pg-url", server, "--json"]
    assert main(argv) == 0
    figures = json.loads(capsys.readouterr().out)
    assert (figures["calls"], figures["flags"]) == (300, 1500)
    for backend in ("sqlite", "postgresql"):
        queue = figures[backend]["review_queue"]
        assert queue["count"] == 8
        assert 0 < queue["p50_ms"] <= queue["p95_ms"] <= queue["max_ms"]
    assert figures["postgresql"]["commit"]["count"] == 6
