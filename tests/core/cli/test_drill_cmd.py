"""``agent-assist drill``: a drill played end to end with piped answers, on SQLite."""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from agent_assist import app, paths
from agent_assist.cli import main
from agent_assist.cli.drill_cmd import KEPT
from agent_assist.publishing.bundle import bundle
from agent_assist.rules.registry import resolve_pack
from agent_assist.store.call_log import Op, apply_op
from agent_assist.store.database import Database, open_database
from agent_assist.store.drills_repo import DrillRepository
from agent_assist.store.library_repo import LibraryRepository
from agent_assist.store.people_repo import SYSTEM, PeopleRepository
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


class _Outage:
    """``apply_op`` with the server going away at the drill's third line: from then on
    every write fails as a real unreachable server does (connection refused)."""

    def __init__(self) -> None:
        self.down = False
        self._nowhere = create_engine("postgresql+psycopg://postgres@127.0.0.1:1/none")

    def __call__(self, db: Database, op: Op) -> None:
        if op["op"] == "drill_turn" and op["turn"] >= 3:
            self.down = True
        if self.down:
            with self._nowhere.connect():
                pass
        apply_op(db, op)


def test_a_drill_goes_on_when_the_database_goes_away_and_the_desktop_saves_it(
    store: Database, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    outage = _Outage()
    monkeypatch.setattr("agent_assist.store.call_log.apply_op", outage)
    monkeypatch.setattr("agent_assist.cli.drill_cmd.SPOOL_FLUSH_S", 0.2)
    pipe(monkeypatch, *ZH_GOOD)
    assert main(["drill", "run", "zh.short_overdue", "--as", "ann"]) == 0
    out, err = capsys.readouterr()
    assert err.count(KEPT) == 1
    assert "still not answering; this drill (7 writes) is kept on this computer" in err
    assert "score 100.0 / 100" in out  # the report is shown all the same
    assert "stored" not in out
    (drill,) = DrillRepository(store, str).history(SYSTEM)
    assert drill.ended_at is None
    assert len(DrillRepository(store, str).get(SYSTEM, drill.id).turns) == 2
    assert list((paths.data_dir() / "spool").glob("spool-*.jsonl"))

    # The server is back; the desktop's next call adopts the spool and replays the drill.
    monkeypatch.setattr("agent_assist.store.call_log.apply_op", apply_op)
    _recorder, writer = app.call_recorder(store, "zh-CN")
    try:
        assert writer.flush(timeout=30)
    finally:
        writer.close()
    (drill,) = DrillRepository(store, str).history(SYSTEM)
    detail = DrillRepository(store, str).get(SYSTEM, drill.id)
    assert [t.turn for t in detail.turns] == list(range(1, 9))
    assert drill.score == 100.0
    assert detail.report is not None
    assert detail.report["complete"] is True


def test_a_drill_is_scored_by_the_teams_published_pack(
    store: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("AGENT_ASSIST_DATA_DIR", str(tmp_path / "data"))
    publish_pack(store, tmp_path, "2026.12")
    pipe(monkeypatch, *ZH_GOOD)

    assert main(["drill", "run", "zh.short_overdue", "--as", "ann"]) == 0

    assert "scored by zh-CN 2026.12]" in capsys.readouterr().out
    (drill,) = DrillRepository(store, str).history(SYSTEM)
    assert (drill.pack_ref, drill.pack_version) == ("zh-CN", "2026.12")


def test_a_drill_is_scored_by_the_version_of_the_trainees_own_team(
    store: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("AGENT_ASSIST_DATA_DIR", str(tmp_path / "data"))
    publish_pack(store, tmp_path, "2026.12")  # every team's
    red = LibraryRepository(store).team_named("red").id
    publish_pack(store, tmp_path, "2026.12.1", team_id=red)

    pipe(monkeypatch, *ZH_GOOD)
    assert main(["drill", "run", "zh.short_overdue", "--as", "ann"]) == 0  # red
    assert "scored by zh-CN 2026.12.1]" in capsys.readouterr().out
    pipe(monkeypatch, *ZH_GOOD)
    assert main(["drill", "run", "zh.short_overdue", "--as", "kim"]) == 0  # blue
    assert "scored by zh-CN 2026.12]" in capsys.readouterr().out

    scored = {d.username: d.pack_version for d in DrillRepository(store, str).history(SYSTEM)}
    assert scored == {"ann": "2026.12.1", "kim": "2026.12"}


def publish_pack(db: Database, tmp_path: Path, version: str, team_id: int | None = None) -> None:
    """The shipped zh-CN pack published by the trainer as ``version`` (for ``team_id``)."""
    folder = tmp_path / version / "zh-CN"
    shutil.copytree(resolve_pack("zh-CN"), folder)
    head = folder / "pack.yaml"
    head.write_text(
        head.read_text(encoding="utf-8").replace("version: 2026.11.1", f"version: {version}"),
        encoding="utf-8",
    )
    tia = PeopleRepository(db).find("tia")
    assert tia is not None
    LibraryRepository(db).publish(
        tia.as_actor(), "rule_pack", "zh-CN", version, bundle(folder), team_id=team_id
    )
