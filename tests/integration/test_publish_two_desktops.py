"""Publishing reaches every desktop at its next call (of every team, or of one team first),
and rollback takes it back: two desktops, each with its own connection, on the real
PostgreSQL server."""

from __future__ import annotations

import shutil
import wave
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from agent_assist import app
from agent_assist.asr.model import LoadedModel, RecognizerSettings
from agent_assist.call.session import Analyzer
from agent_assist.events import Final, Flag
from agent_assist.paths import resources_dir
from agent_assist.publishing.bundle import bundle
from agent_assist.store.database import Database, open_database
from agent_assist.store.library_repo import LibraryRepository
from agent_assist.store.people_repo import SYSTEM, PeopleRepository
from tests.support import databases

pytestmark = [pytest.mark.real]

ADDED = "zh.agent.threat.purple_elephant"
RULE = f"""
- id: {ADDED}
  category: agent.threat
  patterns: [紫色 大象]
  explain: 测试用规则：培训师新加的一条。
"""
SENTENCE = "我们 会 派 紫色 大象 去 找 你"  # as Vosk prints it


@dataclass
class Desktop:
    """One collector's desktop: its own database connection and data folder, kept across
    calls as the running app keeps them."""

    db: Database
    data: Path
    packs: list[str] = field(default_factory=list)  # the pack each call got
    team_id: int | None = None  # the signed-in collector's team

    def call(self, monkeypatch: pytest.MonkeyPatch, sentence: str) -> set[str]:
        """Start a live call as the desktop does (``app.rules_session`` with its database)
        and say ``sentence``: the rule ids its flagger confirms."""
        monkeypatch.setenv("AGENT_ASSIST_DATA_DIR", str(self.data))
        got: list[Analyzer] = []
        build = app.live_analyzers

        def watched(spec: str) -> list[Analyzer]:
            self.packs.append(spec)
            got.extend(build(spec))
            return got

        monkeypatch.setattr(app, "live_analyzers", watched)
        model = LoadedModel(self.data, "stand-in", 16000, vosk_model=None, lang="zh-CN")
        _session, _audio = app.rules_session(
            app.file_source(silence(self.data / "line.wav"), ("agent",), 16000, realtime=False),
            model,
            RecognizerSettings(),
            None,  # the model's language's pack, as the desktop's settings leave it
            record_audio=False,
            db=self.db,
            team_id=self.team_id,
        )
        monkeypatch.setattr(app, "live_analyzers", build)
        flags = got[0].on_event(Final("agent", 0, sentence, 0, 900, 1000))
        return {f.rule_id for f in flags if isinstance(f, Flag) and f.state == "confirmed"}


def silence(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(16000)
        wav.writeframes(bytes(3200))
    return path


@pytest.fixture
def team_url(pg_database_url: str) -> str:
    databases.reset_schema(pg_database_url)
    return pg_database_url


@pytest.fixture
def desktops(team_url: str, tmp_path: Path) -> Iterator[tuple[Desktop, Desktop]]:
    first = Desktop(open_database(team_url), tmp_path / "desk-1")
    second = Desktop(open_database(team_url, upgrade=False), tmp_path / "desk-2")
    yield first, second
    first.db.close()
    second.db.close()


def changed_pack(tmp_path: Path) -> str:
    folder = tmp_path / "trainer" / "zh-CN"
    shutil.copytree(resources_dir() / "packs" / "zh-CN", folder)
    head = folder / "pack.yaml"
    text = head.read_text(encoding="utf-8")
    head.write_text(text.replace("version: 2026.11.1", "version: 2026.11.2"), encoding="utf-8")
    with (folder / "rules" / "agent_threat.yaml").open("a", encoding="utf-8") as rules:
        rules.write(RULE)
    return bundle(folder)


def both(
    desks: Sequence[Desktop], monkeypatch: pytest.MonkeyPatch, sentence: str
) -> list[set[str]]:
    return [desk.call(monkeypatch, sentence) for desk in desks]


def test_publish_and_rollback_reach_both_desktops_at_their_next_call(
    desktops: tuple[Desktop, Desktop],
    team_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first, second = desktops
    trainer_db = open_database(team_url, upgrade=False)
    try:
        tia = PeopleRepository(trainer_db).add_user(SYSTEM, "tia", "Tia", "trainer")
        library = LibraryRepository(trainer_db)

        before = both(desktops, monkeypatch, SENTENCE)
        assert [ADDED in flags for flags in before] == [False, False]
        assert first.packs == second.packs == ["zh-CN"]  # the shipped files

        library.publish(tia.as_actor(), "rule_pack", "zh-CN", "2026.11.2", changed_pack(tmp_path))
        after = both(desktops, monkeypatch, SENTENCE)
        assert [ADDED in flags for flags in after] == [True, True]
        for desk in desktops:  # each desktop unpacked it into its own data folder
            assert Path(desk.packs[-1]).is_relative_to(desk.data / "published" / "rule_pack")
        # What the shipped pack flags, the published one still flags.
        assert [flags - {ADDED} for flags in after] == before

        assert library.rollback(tia.as_actor(), "rule_pack", "zh-CN") is None
        back = both(desktops, monkeypatch, SENTENCE)
        assert back == before
        assert first.packs[-1] == second.packs[-1] == "zh-CN"

        library.activate(tia.as_actor(), "rule_pack", "zh-CN", "2026.11.2")
        assert [ADDED in flags for flags in both(desktops, monkeypatch, SENTENCE)] == [True, True]
        assert first.packs[-1] == first.packs[1]  # the unpacked version is used again
    finally:
        trainer_db.close()


SCRIPT = """
  - id: en.test.published_opening
    stage: any
    segments: any
    purpose: opening
    lines:
      - Good morning, this is {agent_name} with {bank_name}.
"""


def script_ids(folder: Path) -> set[str]:
    from agent_assist.rules.taxonomy import load_taxonomy
    from agent_assist.script_library import load_library

    library = load_library(folder / "scripts.yaml", load_taxonomy().keys())
    return {script.id for script in library.scripts}


def test_the_script_panel_follows_the_published_library(
    desktops: tuple[Desktop, Desktop],
    team_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from agent_assist.publishing.active import scripts_for_call

    def at_call_start() -> list[set[str]]:
        # What the desktop's call start asks for its script panel (run.follow_scripts).
        found = []
        for desk in desktops:
            monkeypatch.setenv("AGENT_ASSIST_DATA_DIR", str(desk.data))
            found.append(script_ids(scripts_for_call(desk.db, "en-US")))
        return found

    folder = tmp_path / "trainer" / "en-US"
    shutil.copytree(resources_dir() / "scripts" / "en-US", folder)
    with (folder / "scripts.yaml").open("a", encoding="utf-8") as scripts:
        scripts.write(SCRIPT)
    trainer_db = open_database(team_url, upgrade=False)
    try:
        tia = PeopleRepository(trainer_db).add_user(SYSTEM, "tia", "Tia", "trainer")
        library = LibraryRepository(trainer_db)
        shipped = at_call_start()
        assert ["en.test.published_opening" in ids for ids in shipped] == [False, False]

        library.publish(tia.as_actor(), "script_library", "en-US", "2026.11.2", bundle(folder))
        published = at_call_start()
        assert [ids - shipped[0] for ids in published] == [{"en.test.published_opening"}] * 2

        library.rollback(tia.as_actor(), "script_library", "en-US")
        assert at_call_start() == shipped
    finally:
        trainer_db.close()


def test_a_version_for_one_team_reaches_only_that_teams_desktops(
    team_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    trainer_db = open_database(team_url)
    people = PeopleRepository(trainer_db)
    red, blue = people.ensure_team(SYSTEM, "red"), people.ensure_team(SYSTEM, "blue")
    shared = tmp_path / "desk"  # one data folder serving users of both teams
    desks = (
        Desktop(open_database(team_url, upgrade=False), shared, team_id=red),
        Desktop(open_database(team_url, upgrade=False), shared, team_id=blue),
    )
    try:
        tia = people.add_user(SYSTEM, "tia", "Tia", "trainer").as_actor()
        library = LibraryRepository(trainer_db)
        before = both(desks, monkeypatch, SENTENCE)

        library.publish(tia, "rule_pack", "zh-CN", "2026.11.2", changed_pack(tmp_path), team_id=red)
        tried = both(desks, monkeypatch, SENTENCE)
        assert [ADDED in flags for flags in tried] == [True, False]
        assert desks[1].packs[-1] == "zh-CN"  # blue still runs the shipped files

        # Every team moves to it: blue follows; red's own row changes nothing for red.
        library.activate(tia, "rule_pack", "zh-CN", "2026.11.2")
        assert [ADDED in flags for flags in both(desks, monkeypatch, SENTENCE)] == [True, True]
        library.rollback(tia, "rule_pack", "zh-CN")  # every team's: back to the shipped files
        assert [ADDED in flags for flags in both(desks, monkeypatch, SENTENCE)] == [True, False]

        assert library.rollback(tia, "rule_pack", "zh-CN", team_id=red) is None
        assert both(desks, monkeypatch, SENTENCE) == before
        assert [desk.packs[-1] for desk in desks] == ["zh-CN", "zh-CN"]
    finally:
        for desk in desks:
            desk.db.close()
        trainer_db.close()
