"""Choosing scripts: cue, then stage, then segment, then general; the rule's reply first."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agent_assist.compliance.risk_model import SEGMENTS
from agent_assist.script_library import STAGES, ScriptLibrary, suggest
from tests.core.script_library.builders import HEAD, bundled, cue_ids, load_text, script

LIBRARY = HEAD + "".join(
    [
        script("open.any", purpose="opening"),
        script("open.late", stage="late", purpose="opening"),
        script("open.willing", segments="[able_willing]", purpose="opening"),
        script("hardship.any", cues="[debtor.hardship]"),
        script("hardship.mid", stage="[mid, late]", cues="[debtor.hardship]"),
        script("hardship.unable", segments="[unable_willing]", cues="[debtor.hardship]"),
        script("dispute.any", cues="[debtor.dispute]"),
        script("close.any", purpose="closing"),
        script("legal.consequence", stage="legal", cues="[debtor.refusal]"),
    ]
)


@pytest.fixture
def library(tmp_path: Path) -> ScriptLibrary:
    return load_text(tmp_path, LIBRARY)


@pytest.mark.parametrize(
    ("stage", "segment", "cue", "reply_id", "limit", "expected"),
    [
        # no cue yet: general scripts only; stage then segment lift one; file order breaks ties
        ("early", None, None, None, 5, ["open.any", "open.willing", "close.any"]),
        ("late", None, None, None, 2, ["open.late", "open.any"]),
        ("early", "able_willing", None, None, 2, ["open.willing", "open.any"]),
        ("late", "able_willing", None, None, 3, ["open.late", "open.willing", "open.any"]),
        # a cue: its replies first (stage-specific, then segment-specific), then general ones
        (
            "early",
            None,
            "debtor.hardship",
            None,
            3,
            ["hardship.any", "hardship.unable", "open.any"],
        ),
        ("mid", None, "debtor.hardship", None, 2, ["hardship.mid", "hardship.any"]),
        (
            "mid",
            "unable_willing",
            "debtor.hardship",
            None,
            4,
            ["hardship.mid", "hardship.unable", "hardship.any", "open.any"],
        ),
        ("mid", "able_unwilling", "debtor.hardship", None, 2, ["hardship.mid", "hardship.any"]),
        # another cue's replies never show; a script of another stage never shows
        ("mid", None, "debtor.dispute", None, 2, ["dispute.any", "open.any"]),
        ("mid", None, "debtor.refusal", None, 1, ["open.any"]),
        ("legal", None, "debtor.refusal", None, 1, ["legal.consequence"]),
        # the rule's reply id ranks first, even outside its stage
        ("early", None, "debtor.hardship", "dispute.any", 2, ["dispute.any", "hardship.any"]),
        ("early", None, "debtor.refusal", "legal.consequence", 1, ["legal.consequence"]),
        ("early", None, "debtor.hardship", "no.such.script", 1, ["hardship.any"]),
        ("early", None, None, None, 0, []),
    ],
)
def test_ranking(  # noqa: PLR0917  # one parameter per column of the table
    library: ScriptLibrary,
    stage: str,
    segment: str | None,
    cue: str | None,
    reply_id: str | None,
    limit: int,
    expected: list[str],
) -> None:
    found = suggest(library, stage=stage, segment=segment, cue=cue, limit=limit, reply_id=reply_id)
    assert [suggestion.script.id for suggestion in found] == expected


def test_a_suggestion_says_why_it_was_chosen(library: ScriptLibrary) -> None:
    found = suggest(
        library,
        stage="mid",
        segment="unable_willing",
        cue="debtor.hardship",
        limit=5,
        reply_id="dispute.any",
    )
    assert [(s.script.id, s.why) for s in found] == [
        ("dispute.any", ("reply",)),
        ("hardship.mid", ("cue", "stage")),
        ("hardship.unable", ("cue", "segment")),
        ("hardship.any", ("cue",)),
        ("open.any", ("general",)),
    ]


def test_purpose_narrows_the_choice(library: ScriptLibrary) -> None:
    found = suggest(library, stage="early", segment=None, cue=None, purpose="closing")
    assert [s.script.id for s in found] == ["close.any"]


@given(
    language=st.sampled_from(["zh-CN", "en-US"]),
    stage=st.sampled_from(STAGES),
    segment=st.none() | st.sampled_from(SEGMENTS),
    cue=st.none() | st.sampled_from(sorted(cue_ids())),
    limit=st.integers(min_value=0, max_value=8),
)
def test_suggestions_fit_the_call_and_are_deterministic(
    language: str, stage: str, segment: str | None, cue: str | None, limit: int
) -> None:
    library = bundled(language)
    found = suggest(library, stage=stage, segment=segment, cue=cue, limit=limit)
    assert found == suggest(library, stage=stage, segment=segment, cue=cue, limit=limit)
    assert len(found) <= limit
    ids = [s.script.id for s in found]
    assert len(set(ids)) == len(ids)
    for suggestion in found:
        chosen = suggestion.script
        assert not chosen.stages or stage in chosen.stages
        assert not chosen.segments or segment is None or segment in chosen.segments
        assert chosen.general or cue in chosen.cues
    # every answer to the cue comes before every general script
    kinds = [s.script.general for s in found]
    assert kinds == sorted(kinds)
