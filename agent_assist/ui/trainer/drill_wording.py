"""A drill's session report worded in the window's language.

The report (as ``training/report.py`` builds it and the store keeps it) carries English
sentences for the terminal (each component's ``detail``, the ``practise`` list); the
window words them again from the structured fields instead, so a Chinese window reads
Chinese. The explanations and tone messages come from the pack, in the pack's language.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication

from agent_assist.training.report import PENALTY
from agent_assist.ui.display_names import category_name
from agent_assist.ui.review.names import severity_name


def _names() -> dict[str, str]:
    return {
        "compliance": QCoreApplication.translate("DrillController", "Compliance"),
        "required": QCoreApplication.translate("DrillController", "Required lines"),
        "replies": QCoreApplication.translate("DrillController", "Suggested replies"),
        "tone": QCoreApplication.translate("DrillController", "Tone"),
    }


def report_text(report: dict[str, Any]) -> str:
    """The whole report: the score, each component with its detail, what to practise."""
    score = f"{report['score']:.1f}"
    head = (
        QCoreApplication.translate("DrillController", "Score {0} / 100").format(score)
        if report["complete"]
        else QCoreApplication.translate(
            "DrillController", "Score {0} / 100 (ended early: scored on the turns so far)"
        ).format(score)
    )
    names = _names()
    lines = [head]
    for c in report["components"]:
        shown = "–" if c["score"] is None else f"{c['score']:.1f}"
        name = names.get(c["name"], c["name"])
        lines.append(f"  {name}: {shown} ({detail(report, c['name'])})")
    advice = practise(report)
    if advice:
        lines.append(QCoreApplication.translate("DrillController", "What to practise:"))
        lines += [f"  • {line}" for line in advice]
    return "\n".join(lines)


def detail(report: dict[str, Any], component: str) -> str:
    """What a component's score is made of, from the report's notes."""
    worded = _DETAILS.get(component)
    return "" if worded is None else worded(report)


def _compliance(report: dict[str, Any]) -> str:
    flags = report["flags"]
    counts = [
        QCoreApplication.translate("DrillController", "{0} {1}").format(
            n, severity_name(level).lower()
        )
        for level in PENALTY  # in the order the terminal report counts them
        if (n := sum(f["severity"] == level for f in flags))
    ]
    if not counts:
        return QCoreApplication.translate("DrillController", "no flags raised")
    return QCoreApplication.translate("DrillController", "flags raised: {0}").format(
        QCoreApplication.translate("DrillController", ", ").join(counts)
    )


def _required(report: dict[str, Any]) -> str:
    notes = report["required"]
    if not notes:
        return QCoreApplication.translate("DrillController", "no required lines")
    covered = sum(bool(n["covered"]) for n in notes)
    return QCoreApplication.translate("DrillController", "{0} of {1} said").format(
        covered, len(notes)
    )


def _replies(report: dict[str, Any]) -> str:
    notes = report["replies"]
    if not notes:
        return QCoreApplication.translate(
            "DrillController", "no debtor cue asked for a suggested reply"
        )
    used = sum(bool(n["used"]) for n in notes)
    return QCoreApplication.translate("DrillController", "{0} of {1} used").format(used, len(notes))


def _tone(report: dict[str, Any]) -> str:
    if report["mode"] == "typed":
        return QCoreApplication.translate("DrillController", "not measured: typed answers")
    count = len(report["tone"])
    return (
        QCoreApplication.translate("DrillController", "1 calm-down cue")
        if count == 1
        else QCoreApplication.translate("DrillController", "{0} calm-down cues").format(count)
    )


_DETAILS: dict[str, Callable[[dict[str, Any]], str]] = {
    "compliance": _compliance,
    "required": _required,
    "replies": _replies,
    "tone": _tone,
}


def practise(report: dict[str, Any]) -> list[str]:
    """What to practise, in the order the terminal report gives it, without repeats."""
    advice = [
        QCoreApplication.translate("DrillController", "Do not say “{0}” ({1}): {2}").format(
            f["said"], f["rule_id"], f["explanation"]
        )
        for f in report["flags"]
    ]
    advice += [
        QCoreApplication.translate("DrillController", "Say it ({0}): {1}").format(
            n["id"], n["explanation"]
        )
        for n in report["required"]
        if not n["covered"]
    ]
    advice += [
        QCoreApplication.translate(
            "DrillController", "When the debtor shows “{0}”, answer like: “{1}”"
        ).format(category_name(n["cue"]), n["best_line"])
        for n in report["replies"]
        if not n["used"]
    ]
    advice += [note["message"] for note in report["tone"]]
    if not report["complete"]:
        advice.append(
            QCoreApplication.translate(
                "DrillController",
                "Finish the scenario: the drill ended before the debtor's last line.",
            )
        )
    return list(dict.fromkeys(advice))
