"""A spoken drill in the trainer window's Drills tab with the real Korean model: the
trainee's answer is espeak-ng's Korean threat replayed from a WAV file through the call
session (as a microphone would deliver it), the test-only Korean pack flags it as it is
decided, and the drill is stored as a spoken one with a low score."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from agent_assist import app
from agent_assist.asr.model import LoadedModel, RecognizerSettings
from agent_assist.call.session import CallSession
from agent_assist.rules.taxonomy import load_taxonomy
from agent_assist.store.database import open_database
from agent_assist.store.drills_repo import DrillRepository
from agent_assist.store.people_repo import SYSTEM
from agent_assist.training.scenario import load_scenario
from agent_assist.ui.trainer.drill_controller import DrillController
from agent_assist.ui.trainer.drill_panel import DrillPanel
from agent_assist.ui.trainer.drill_voices import DrillVoices
from tests.core.store.builders import team_of
from tests.integration.test_desktop_end_to_end import threat_call_with_lead_in
from tests.support.korean import THREAT_RULE

pytestmark = [pytest.mark.real, pytest.mark.slow]

SCENARIO = Path(__file__).parents[1] / "data" / "training" / "mini-ko" / "threat.yaml"


def test_a_spoken_answer_is_decoded_flagged_and_stored(
    qtbot: QtBot, korean_model: LoadedModel, tmp_path: Path
) -> None:
    wav = threat_call_with_lead_in(tmp_path / "answer.wav")
    db = open_database(f"sqlite:///{tmp_path / 'drills.db'}")

    def listen_for(_language: str) -> CallSession:
        source = app.file_source(wav, ("agent", "debtor"), korean_model.sample_rate, False)
        return app.call_session(source, korean_model, RecognizerSettings(), app.TONE_LEVEL_MS)

    voices = DrillVoices(False, lambda language: language == "ko-KR", lambda _l: None, listen_for)
    scenario = load_scenario(SCENARIO, load_taxonomy().keys())
    panel = DrillPanel()
    qtbot.addWidget(panel)
    ann = team_of(db)[0].as_actor()
    controller = DrillController(
        panel, DrillRepository(db, str), ann, scenarios=lambda: [scenario], voices=voices
    )
    try:
        controller.refresh()
        qtbot.waitUntil(lambda: panel.scenarios.count() == 1, timeout=20_000)
        assert panel.by_voice.isEnabled()
        panel.by_voice.setChecked(True)
        panel.start.click()
        qtbot.waitUntil(lambda: panel.report.toPlainText() != "", timeout=120_000)
        shown = [panel.lines.item(i).text() for i in range(panel.lines.count())]
        assert shown[0] == "Debtor: 여보세요?"
        assert shown[1].startswith("You: ")
        assert any(line.startswith(f"⚠ {THREAT_RULE}") for line in shown)
        qtbot.waitUntil(lambda: controller.history.rowCount() == 1, timeout=20_000)
        (drill,) = DrillRepository(db, str).history(SYSTEM)
        report = DrillRepository(db, str).get(SYSTEM, drill.id).report
        assert report is not None
        assert report["mode"] == "voice"
        assert [flag["rule_id"] for flag in report["flags"]] == [THREAT_RULE]
        assert (drill.score or 0) <= 40
    finally:
        panel.close()
        controller.deleteLater()
        gc.collect()  # on the main thread
        db.close()
