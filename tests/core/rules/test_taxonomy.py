from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from agent_assist.errors import UserError
from agent_assist.rules.taxonomy import Category, load_taxonomy


def test_bundled_taxonomy() -> None:
    taxonomy = load_taxonomy()

    assert len(taxonomy) == 16
    threat = taxonomy["agent.threat"]
    assert threat == Category("agent.threat", "agent", "critical", threat.means)
    assert taxonomy["debtor.promise_to_pay"].speaker == "debtor"
    assert all(category.id == key for key, category in taxonomy.items())
    with pytest.raises(dataclasses.FrozenInstanceError):
        threat.severity = "info"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("categories: [a, b]\n", "expected a `categories:` mapping"),
        ("other: 1\n", "expected a `categories:` mapping"),
        ("categories:\n  agent.x: 3\n", "'agent.x': expected a mapping"),
        (
            "categories:\n  agent.x: {speaker: agent, severity: info, means: m, colour: red}\n",
            "unknown keys ['colour']",
        ),
        ("categories:\n  agent.x: {speaker: both, severity: info, means: m}\n", "speaker must be"),
        ("categories:\n  agent.x: {speaker: debtor, severity: info, means: m}\n", "contradicts"),
        ("categories:\n  agent.x: {speaker: agent, severity: low, means: m}\n", "severity must be"),
        ("categories:\n  agent.x: {speaker: agent, severity: info}\n", "`means` must be"),
        ("categories: {a: [\n", "cannot read the flag taxonomy"),
    ],
)
def test_malformed_taxonomy(tmp_path: Path, text: str, fragment: str) -> None:
    path = tmp_path / "taxonomy.yaml"
    path.write_text(text, encoding="utf-8")

    with pytest.raises(UserError) as caught:
        load_taxonomy(path)

    assert fragment in str(caught.value)
    assert str(path) in str(caught.value)


def test_missing_taxonomy(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="cannot read the flag taxonomy"):
        load_taxonomy(tmp_path / "absent.yaml")
