"""The bundled zh-CN and en-US libraries: complete, answering every cue, never flagged."""

from __future__ import annotations

import re
from datetime import date
from functools import cache

import pytest

from agent_assist.messaging.render import BankDetails
from agent_assist.rules.loader import load_pack
from agent_assist.rules.quality import scan
from agent_assist.rules.registry import resolve_pack
from agent_assist.rules.taxonomy import load_taxonomy
from agent_assist.script_library import PURPOSES, STAGES, render_script
from tests.core.messaging.builders import EN_BANK, EN_CASE, ZH_BANK, ZH_CASE, matcher
from tests.core.script_library.builders import LANGUAGES, bundled

MINI_MIRANDA = (
    "This is an attempt to collect a debt, and any information obtained will be used for "
    "that purpose."
)
# What a location-only line must never carry: anything that tells of the debt.
DEBT_VARIABLES = {"overdue_amount", "currency", "due_date", "product", "days_past_due"}
DEBT_WORDS = {
    "zh-CN": ("欠", "逾期", "还款", "账单", "贷款", "催收"),
    "en-US": ("debt", "owe", "past due", "payment", "balance", "account", "collect"),
}


@cache
def pack_replies(language: str) -> frozenset[str]:
    pack = load_pack(resolve_pack(language))
    return frozenset(rule.reply for rule in pack.rules if rule.reply)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_reply_id_of_the_pack_is_in_the_library(language: str) -> None:
    replies = pack_replies(language)
    assert len(replies) >= 15  # the packs name many: an empty set would prove nothing
    missing = sorted(reply for reply in replies if bundled(language).get(reply) is None)
    assert missing == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_line_is_flagged_by_its_own_pack(language: str) -> None:
    library = bundled(language)
    case, bank, agent = (
        (ZH_CASE, ZH_BANK, "李明") if language == "zh-CN" else (EN_CASE, EN_BANK, "Sam Reed")
    )
    flagged = []
    for script in library.scripts:
        # filled as said, and with placeholders as shown when nothing is known
        for rendered in (
            render_script(
                script, library, case, agent_name=agent, bank=bank, due_date=date(2026, 12, 5)
            ),
            render_script(script, library, None, agent_name=None, bank=BankDetails()),
        ):
            for line in rendered.lines:
                for flag in scan(matcher(language), line, "agent"):
                    flagged.append((script.id, flag.rule_id, line))
    assert flagged == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_library_covers_every_stage_purpose_and_debtor_cue(language: str) -> None:
    library = bundled(language)
    assert library.language == language
    assert len(library.scripts) >= 40
    assert {purpose for s in library.scripts for purpose in (s.purpose,)} == set(PURPOSES)
    for stage in STAGES:
        assert any(stage in s.stages for s in library.scripts), stage
    debtor_cues = {c.id for c in load_taxonomy().values() if c.speaker == "debtor"}
    assert len(debtor_cues) == 11
    answered = {
        cue for s in library.scripts if s.purpose not in ("opening", "closing") for cue in s.cues
    }
    assert debtor_cues - answered == set()


def test_every_us_opening_gives_the_mini_miranda() -> None:
    openings = [s for s in bundled("en-US").scripts if s.purpose == "opening"]
    assert len(openings) >= 5
    for script in openings:
        assert any(MINI_MIRANDA in line for line in script.lines), script.id


@pytest.mark.parametrize("language", LANGUAGES)
def test_location_only_lines_never_tell_of_the_debt(language: str) -> None:
    scripts = [s for s in bundled(language).scripts if s.purpose == "location_only"]
    assert len(scripts) >= 2
    for script in scripts:
        assert not DEBT_VARIABLES & set(script.variables), script.id
        for line in script.lines:
            lowered = re.sub(r"\{[a-z_]+\}", "", line).casefold()  # {debtor_name} is no word
            assert not [w for w in DEBT_WORDS[language] if w in lowered], (script.id, line)
    wrong_party = f"{language[:2]}.reply.wrong_party_location_only"
    assert bundled(language).script(wrong_party).purpose == "location_only"
