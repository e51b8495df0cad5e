"""``agent-assist drill``: a drill played end to end with piped answers, on SQLite."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from agent_assist.cli import main
from agent_assist.store.database import Database, open_database
from agent_assist.store.drills_repo import DrillRepository
from agent_assist.store.people_repo import SYSTEM
from tests.core.store.builders import team_of
from tests.core.training.test_drill import EN_GOOD, ZH_GOOD


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    url = f"sqlite:///{tmp_path / 'drills.db'}"
    monkeypatch.setenv("AGENT_ASSIST_DB_URL", url)
    db = open_database(url)
    team_of(db)  # ann, bo (collectors, red), lee (red lead), kim (blue lead), tia (trainer)
    yield db
    db.close()


def pipe(monkeypatch: pytest.MonkeyPatch, *answers: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("".join(f"{a}\n" for a in answers)))


def test_a_drill_played_end_to_end(
    store: Database, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    pipe(monkeypatch, *ZH_GOOD)
    assert main(["drill", "run", "zh.short_overdue", "--as", "ann"]) == 0
    out = capsys.readouterr().out
    assert "debtor> 喂，哪位？" in out
    assert f"you> {ZH_GOOD[0]}" in out
    assert "score 100.0 / 100" in out
    (drill,) = DrillRepository(store, str).history(SYSTEM)
    detail = DrillRepository(store, str).get(SYSTEM, drill.id)
    assert [t.speaker for t in detail.turns] == ["debtor", "agent"] * 4
    assert detail.turns[1].text == ZH_GOOD[0]
    assert (drill.username, drill.pack_ref, drill.score) == ("ann", "zh-CN", 100.0)
    assert detail.report is not None
    assert detail.report["complete"] is True

    assert main(["drill", "report", str(drill.id), "--as", "lee"]) == 0
    shown = capsys.readouterr().out
    assert f" 2 agent> {ZH_GOOD[0]}" in shown
    assert "score 100.0 / 100" in shown


def test_a_threat_is_named_and_scores_low(
    store: Database, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    pipe(monkeypatch, EN_GOOD[0], "Pay today or we will come to your workplace.")
    assert main(["drill", "run", "en.short_overdue", "--as", "bo"]) == 0
    out = capsys.readouterr().out
    assert "! critical en.agent.threat.home_or_work_visit" in out
    assert "debtor> Don't talk to me like that. I'm going to file a complaint." in out
    (drill,) = DrillRepository(store, str).history(SYSTEM)
    assert drill.score is not None
    assert drill.score <= 40
    detail = DrillRepository(store, str).get(SYSTEM, drill.id)
    assert detail.turns[3].flags[0]["rule_id"] == "en.agent.threat.home_or_work_visit"


class _Interrupted(io.StringIO):
    """Standard input on which the trainee presses Ctrl+C at the second answer."""

    def __init__(self, first: str) -> None:
        super().__init__(first + "\n")
        self.reads = 0

    def readline(self, size: int | None = -1) -> str:  # type: ignore[override]
        self.reads += 1
        if self.reads > 1:
            raise KeyboardInterrupt
        return super().readline()


@pytest.mark.parametrize("stop", ["eof", "ctrl_c"])
def test_an_early_end_keeps_the_turns_and_a_partial_report(
    stop: str,
    store: Database,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    if stop == "eof":
        pipe(monkeypatch, ZH_GOOD[0])
    else:
        monkeypatch.setattr("sys.stdin", _Interrupted(ZH_GOOD[0]))
    assert main(["drill", "run", "zh.business_failure", "--as", "ann"]) == 0
    assert "(ended early: scored on the turns so far)" in capsys.readouterr().out
    (drill,) = DrillRepository(store, str).history(SYSTEM)
    detail = DrillRepository(store, str).get(SYSTEM, drill.id)
    assert len(detail.turns) == 3
    assert drill.ended_at is not None
    assert detail.report is not None
    assert detail.report["complete"] is False


def test_history_and_reports_follow_roles(
    store: Database, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    pipe(monkeypatch, ZH_GOOD[0])
    assert main(["drill", "run", "zh.wrong_party", "--as", "ann"]) == 0
    capsys.readouterr()
    assert main(["drill", "history", "--as", "lee"]) == 0
    assert "\tann\tzh.wrong_party\tscore " in capsys.readouterr().out
    assert main(["drill", "history", "--as", "kim"]) == 0
    assert capsys.readouterr().out == ""
    assert main(["drill", "report", "1", "--as", "bo"]) == 2
    assert "belongs to another trainee" in capsys.readouterr().err
    assert main(["drill", "history", "--as", "bo", "--user", "ann"]) == 2


def test_the_scenarios_are_listed_and_a_wrong_name_is_explained(
    store: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["drill", "list", "--language", "en-US"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 6
    assert all(line.split("\t")[1] == "en-US" for line in lines)
    assert main(["drill", "run", "zh.nope", "--as", "ann"]) == 2
    assert "drill list" in capsys.readouterr().err
    assert main(["drill", "run", "zh.short_overdue", "--as", "nobody"]) == 2
    assert "no active user named 'nobody'" in capsys.readouterr().err
    assert DrillRepository(store, str).history(SYSTEM) == []  # nothing half-stored
