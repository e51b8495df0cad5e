"""Severities, flag states, verdicts and review states by name, in the window's language.

The ids stay the store's contract (``store.calls_repo``); the names are the window's.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from agent_assist.store.records import SEVERITY_RANK
from agent_assist.ui.display_names import category_name

SEVERITIES = tuple(sorted(SEVERITY_RANK, key=SEVERITY_RANK.__getitem__))  # info … critical
FLAG_STATES = ("raised", "confirmed", "retracted")
REVIEW_STATES = ("pending", "reviewed")
REQUIRED_STATEMENT = "required_statement"


def flag_category_name(category: str) -> str:
    """A flag's category by name; a required statement not said in time is stored as a
    flag of its own category (``store.call_log``)."""
    if category == REQUIRED_STATEMENT:
        return QCoreApplication.translate("Review", "Required statement missed")
    return category_name(category)


def severity_name(severity: str) -> str:
    names = {
        "info": QCoreApplication.translate("Review", "Info"),
        "warning": QCoreApplication.translate("Review", "Warning"),
        "critical": QCoreApplication.translate("Review", "Critical"),
    }
    return names.get(severity, severity)


def severity_of_rank(rank: int) -> str:
    """A call's most severe flag (``CallSummary.max_severity``: 0 none … 3 critical)."""
    return ("", *SEVERITIES)[rank] if 0 <= rank <= len(SEVERITIES) else str(rank)


def flag_state_name(state: str) -> str:
    names = {
        "raised": QCoreApplication.translate("Review", "Raised"),
        "confirmed": QCoreApplication.translate("Review", "Confirmed"),
        "retracted": QCoreApplication.translate("Review", "Retracted"),
    }
    return names.get(state, state)


def verdict_name(verdict: str | None) -> str:
    """A team lead's verdict on a flag (``calls_repo.VERDICTS``); None: not judged yet."""
    if verdict is None:
        return QCoreApplication.translate("Review", "Not judged")
    names = {
        "upheld": QCoreApplication.translate("Review", "Valid breach"),
        "false_positive": QCoreApplication.translate("Review", "False positive"),
        "needs_coaching": QCoreApplication.translate("Review", "Needs coaching"),
    }
    return names.get(verdict, verdict)


def review_state_name(state: str) -> str:
    names = {
        "none": QCoreApplication.translate("Review", "Nothing flagged"),
        "pending": QCoreApplication.translate("Review", "Unreviewed"),
        "reviewed": QCoreApplication.translate("Review", "Reviewed"),
    }
    return names.get(state, state)


def clock(t_ms: int) -> str:
    """A time in the call as m:ss (h:mm:ss past an hour)."""
    seconds = max(t_ms, 0) // 1000
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"
