"""What the drills tab starts from: the bundled scenarios, a scenario's pack compiled as a
live call compiles it with the bundled script library; and the history table's model."""

from __future__ import annotations

from agent_assist import app
from agent_assist.rules.taxonomy import load_taxonomy
from agent_assist.script_library import ScriptLibrary, bundled_library_or_none
from agent_assist.store.drills_repo import DrillSummary
from agent_assist.training.drill import DrillRules
from agent_assist.training.scenario import Scenario, bundled_scenarios
from agent_assist.ui.rows_model import RowsModel


def bundled_drill_scenarios() -> list[Scenario]:
    return bundled_scenarios(load_taxonomy().keys())


def bundled_rules(scenario: Scenario) -> tuple[DrillRules, ScriptLibrary | None]:
    """The scenario's pack as a live call compiles it (slow the first time), and the
    bundled script library of its language if there is one."""
    rules = DrillRules(*app.compiled_pack(scenario.pack_spec()))
    return rules, bundled_library_or_none(scenario.language, load_taxonomy().keys())


class DrillHistoryModel(RowsModel[DrillSummary]):
    def columns(self) -> tuple[str, ...]:
        return (self.tr("When"), self.tr("Trainee"), self.tr("Scenario"), self.tr("Score"))

    def cells(self, d: DrillSummary) -> tuple[str, ...]:
        score = self.tr("unfinished") if d.ended_at is None else f"{d.score or 0:.1f}"
        when = d.started_at.astimezone().strftime("%Y-%m-%d %H:%M")
        return (when, d.username, d.scenario_id, score)
