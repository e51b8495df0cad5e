"""The debtor profile of a demo case: masked identity, what is owed, stage, promises, history."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, time
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from agent_assist.messaging.render import format_amount
from agent_assist.store.cases_repo import CaseRepository
from agent_assist.store.contacts_repo import ContactRepository
from agent_assist.store.database import Database, open_database
from agent_assist.store.demo import TODAY
from agent_assist.store.people_repo import PeopleRepository
from agent_assist.store.records import Actor, CaseRecord, PromiseRecord
from agent_assist.ui.controllers.profile_controller import ProfileController
from agent_assist.ui.display_names import outcome_name
from agent_assist.ui.views.profile_panel import ProfilePanel
from tests.support.databases import copy_sqlite


@dataclass(frozen=True)
class Demo:
    db: Database
    actor: Actor
    other: Actor
    case: CaseRecord
    promises: list[PromiseRecord]


@pytest.fixture(scope="module")
def demo(demo_db_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    db = open_database(copy_sqlite(demo_db_file, tmp_path_factory.mktemp("profile") / "demo.db"))
    people = PeopleRepository(db)
    user = people.find("zhang.wei")
    assert user is not None
    actor = user.as_actor()
    cases = CaseRepository(db)
    with_promises = [c for c in cases.assigned_to(actor) if cases.promises(actor, c.id)]
    assert with_promises, "the demo gives some of zhang.wei's cases a promise"
    case = with_promises[0]
    other = Actor(user.id + 10_000, "collector")  # a collector the case is not assigned to
    yield Demo(db, actor, other, case, cases.promises(actor, case.id))
    db.close()


# The demo's calls and contacts fall in the 30 days before its "today".
DEMO_NOW = datetime.combine(TODAY, time(9), UTC)


@pytest.fixture
def panel(qtbot: QtBot) -> ProfilePanel:
    shown = ProfilePanel()
    qtbot.addWidget(shown)
    return shown


@pytest.fixture
def controller(panel: ProfilePanel, demo: Demo) -> ProfileController:
    return ProfileController(
        panel, CaseRepository(demo.db), ContactRepository(demo.db), now=lambda: DEMO_NOW
    )


def test_the_profile_shows_the_masked_id_what_is_owed_the_stage_and_promises(
    qtbot: QtBot, panel: ProfilePanel, controller: ProfileController, demo: Demo
) -> None:
    case = demo.case
    with qtbot.waitSignal(controller.case_shown, timeout=2000) as shown:
        controller.show_case(
            demo.actor, case.id, segment="unable_willing", past_cues={"debtor.hardship": 2}
        )
    assert shown.args == [case]
    assert panel.case_ref.text() == case.external_ref
    assert case.debtor.national_id is not None
    assert "*" in case.debtor.national_id  # the store masked it
    assert panel.national_id.text() == case.debtor.national_id
    assert panel.overdue.text() == format_amount(case.overdue_amount, case.currency)
    assert panel.overdue.text().startswith("¥")
    assert panel.stage.text() == case.stage
    assert panel.segment.text() == "Willing, unable"
    assert panel.credit_tier.text() == (case.debtor.segment or "unknown")
    rows = [panel.promises.item(row).text() for row in range(panel.promises.count())]
    assert len(rows) == len(demo.promises)
    for row, promise in zip(rows, demo.promises, strict=True):
        assert promise.due_date.isoformat() in row
        assert format_amount(promise.amount, promise.currency) in row
        assert promise.status in row
    assert panel.flags.count() == 1
    assert "Hardship" in panel.flags.item(0).text()
    assert not panel.details.isHidden()
    assert panel.message.isHidden()


def test_contact_history_lists_the_case_s_recent_attempts_newest_first(
    panel: ProfilePanel, controller: ProfileController, demo: Demo
) -> None:
    since = DEMO_NOW.replace(year=DEMO_NOW.year - 1)
    attempts = ContactRepository(demo.db).call_history(demo.actor, demo.case.id, since)
    controller.show_case(demo.actor, demo.case.id)
    rows = [panel.contacts.item(row).text() for row in range(panel.contacts.count())]
    recent = [a for a in attempts if (DEMO_NOW - a.at).days < 30]
    assert recent, "the demo case with a promise was called in the demo's last 30 days"
    assert len(rows) == min(len(recent), 20)
    newest = recent[-1]
    assert rows[0].startswith(newest.at.astimezone().strftime("%Y-%m-%d %H:%M"))
    assert rows[0].endswith(outcome_name(newest.outcome))


def test_a_case_of_another_collector_shows_why_and_no_profile(
    qtbot: QtBot, panel: ProfilePanel, controller: ProfileController, demo: Demo
) -> None:
    controller.show_case(demo.actor, demo.case.id)
    with qtbot.assertNotEmitted(controller.case_shown):
        assert controller.show_case(demo.other, demo.case.id) is None
    assert not panel.message.isHidden()
    assert "assigned to another" in panel.message.text()
    assert panel.details.isHidden()
    assert panel.promises.count() == 0
