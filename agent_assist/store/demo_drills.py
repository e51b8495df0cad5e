"""The demo's drills (``resources/demo/drills.yaml``): bundled scenarios answered by typing.

Each runs through the real drill (the live rule path, the script library's replies) and
is stored line by line as ``agent-assist drill run`` stores it, so its score and report
are the ones the product gives. The stamps are then moved onto the demo's calendar: the
lines at their place on the drill's own timeline.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select, update

from agent_assist.rules.taxonomy import load_taxonomy
from agent_assist.script_library import ScriptLibrary, bundled_library_or_none
from agent_assist.store.database import Database
from agent_assist.store.demo import LANGS, TODAY, _engine, _mask, demo_setup, demo_yaml
from agent_assist.store.drills_repo import DrillRepository
from agent_assist.store.records import Actor
from agent_assist.store.tables import DrillSession, DrillTurn
from agent_assist.training.drill import Drill, DrillRules, Turn
from agent_assist.training.scenario import Scenario, bundled_scenarios

WRAP_UP_MS = 20_000  # reading the report before the drill is closed


def add_drills(db: Database, actors: Mapping[str, Actor], rng: random.Random) -> None:
    """The collectors' drills of ``drills.yaml``, in the afternoons of the past weeks."""
    cues = load_taxonomy().keys()
    scenarios = {scenario.id: scenario for scenario in bundled_scenarios(cues)}
    libraries: dict[str, ScriptLibrary | None] = {}
    for lang in LANGS:
        office = ZoneInfo(demo_setup(lang)["office_tz"])
        repo = DrillRepository(db, _mask(lang))
        for drill in map(DemoDrill.of, demo_yaml("drills.yaml")[lang]):
            scenario = scenarios[drill.scenario]
            language = scenario.language
            if language not in libraries:  # found as the drill command finds it
                libraries[language] = bundled_library_or_none(language, cues)
            played = play_typed(
                repo,
                actors[drill.user],
                scenario,
                drill.answers,
                rules=DrillRules(*_engine(scenario.pack_spec())),  # compiled once, as the calls'
                library=libraries[language],
            )
            afternoon = datetime.combine(TODAY - timedelta(days=drill.days), time(14), office)
            at = afternoon + timedelta(minutes=rng.randrange(180))
            key = uuid.UUID(int=rng.getrandbits(128), version=4).hex
            stamp(db, played, at.astimezone(UTC), key)


@dataclass(frozen=True)
class DemoDrill:
    """One entry of ``drills.yaml``."""

    user: str
    scenario: str
    days: int  # before the demo's today
    answers: tuple[str, ...]

    @classmethod
    def of(cls, entry: Mapping[str, Any]) -> DemoDrill:
        answers = tuple(" ".join(str(a).split()) for a in entry["answers"])
        return cls(str(entry["user"]), str(entry["scenario"]), int(entry["days"]), answers)


@dataclass(frozen=True)
class Played:
    key: str  # the drill's, as the repository made it
    t_ms: tuple[int, ...]  # each stored line's place on the drill's timeline, in order


def play_typed(
    repo: DrillRepository,
    actor: Actor,
    scenario: Scenario,
    answers: Sequence[str],
    *,
    rules: DrillRules,
    library: ScriptLibrary | None,
) -> Played:
    """Play ``scenario`` with ``answers`` typed in turn and store it as the drill command
    does: the session opened once the drill is built, every line kept as it is said, the
    report (partial if the answers run out first) stored at the end."""
    kept: list[int] = []
    session: list[str] = []  # its key, once started

    def keep(turn: Turn) -> None:
        repo.keep(actor, session[0], turn)
        kept.append(turn.t_ms)

    drill = Drill(scenario, rules, library=library, mode="typed", on_turn=keep)
    info = rules.pack.info
    session.append(repo.start(actor, scenario.id, scenario.language, info.id, info.version))
    drill.begin()
    for answer in answers:
        if drill.finished:  # the debtor hung up
            break
        drill.answer(answer)
    report = drill.report()
    repo.finish(actor, session[0], report.score, report.to_dict())
    return Played(session[0], tuple(kept))


def stamp(db: Database, played: Played, started: datetime, key: str) -> None:
    """Put a stored drill at ``started``, each line at its place on the drill's timeline,
    under ``key`` (the repository's is random; the demo's come from its seed)."""
    last = max(played.t_ms, default=0)
    with db.session() as session:
        drill = session.scalar(select(DrillSession.id).where(DrillSession.key == played.key))
        session.execute(
            update(DrillSession)
            .where(DrillSession.id == drill)
            .values(
                key=key,
                started_at=started,
                ended_at=started + timedelta(milliseconds=last + WRAP_UP_MS),
            )
        )
        for number, t_ms in enumerate(played.t_ms, 1):
            session.execute(
                update(DrillTurn)
                .where(DrillTurn.session_id == drill, DrillTurn.turn == number)
                .values(at=started + timedelta(milliseconds=t_ms))
            )
