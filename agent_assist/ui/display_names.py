"""What a collector reads for a flag category or a debtor segment: a short name in the
window's language.

The ids stay the contract (exports, reports and packs use them); the names are the
window's, translated like every other string of it.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def _names() -> dict[str, str]:
    return {
        "agent.threat": QCoreApplication.translate("Category", "Threat"),
        "agent.insult": QCoreApplication.translate("Category", "Insult"),
        "agent.false_legal": QCoreApplication.translate("Category", "False legal threat"),
        "agent.third_party_disclosure": QCoreApplication.translate(
            "Category", "Debt disclosed to a third party"
        ),
        "agent.harassment": QCoreApplication.translate("Category", "Harassment"),
        "debtor.evasion": QCoreApplication.translate("Category", "Evasion"),
        "debtor.wishful_thinking": QCoreApplication.translate("Category", "Wishful thinking"),
        "debtor.hardship": QCoreApplication.translate("Category", "Hardship"),
        "debtor.dispute": QCoreApplication.translate("Category", "Dispute"),
        "debtor.promise_to_pay": QCoreApplication.translate("Category", "Promise to pay"),
        "debtor.refusal": QCoreApplication.translate("Category", "Refusal to pay"),
        "debtor.wrong_party": QCoreApplication.translate("Category", "Wrong party"),
        "debtor.complaint_threat": QCoreApplication.translate("Category", "Complaint threat"),
        "debtor.vulnerability": QCoreApplication.translate("Category", "Vulnerable debtor"),
        "debtor.legal_representation": QCoreApplication.translate("Category", "Has a lawyer"),
        "debtor.cease_request": QCoreApplication.translate("Category", "Asks to stop calling"),
    }


def category_name(category_id: str) -> str:
    """The category's name, or its id when the taxonomy has grown past this list."""
    return _names().get(category_id, category_id)


def segment_name(segment: str) -> str:
    """The ability/willingness segment (compliance.priority) by name, or its id."""
    names = {
        "able_willing": QCoreApplication.translate("Segment", "Able and willing"),
        "able_unwilling": QCoreApplication.translate("Segment", "Able, unwilling"),
        "unable_willing": QCoreApplication.translate("Segment", "Willing, unable"),
        "unable_unwilling": QCoreApplication.translate("Segment", "Unable, unwilling"),
    }
    return names.get(segment, segment)


def purpose_name(purpose: str) -> str:
    """What a script is for (script_library.model.PURPOSES), by name, or its id."""
    names = {
        "opening": QCoreApplication.translate("Purpose", "Opening"),
        "identity": QCoreApplication.translate("Purpose", "Who is calling"),
        "amount": QCoreApplication.translate("Purpose", "What is owed"),
        "consequence": QCoreApplication.translate("Purpose", "Consequences"),
        "reply": QCoreApplication.translate("Purpose", "Reply"),
        "plan": QCoreApplication.translate("Purpose", "Repayment plan"),
        "verification": QCoreApplication.translate("Purpose", "Verification"),
        "location_only": QCoreApplication.translate("Purpose", "Someone else answered"),
        "escalation": QCoreApplication.translate("Purpose", "Escalate"),
        "closing": QCoreApplication.translate("Purpose", "Closing"),
    }
    return names.get(purpose, purpose)


def script_title(purpose: str, cues: tuple[str, ...]) -> str:
    """A suggested script's heading: its purpose, and for a reply the cue it answers."""
    if purpose == "reply" and cues:
        return f"{purpose_name(purpose)} · {category_name(cues[0])}"
    return purpose_name(purpose)


def outcome_name(outcome: str) -> str:
    """A contact attempt's outcome (the wrap-up's and the contact history's), by name."""
    names = {
        "promise_to_pay": QCoreApplication.translate("Outcome", "Promise to pay"),
        "refused": QCoreApplication.translate("Outcome", "Refused to pay"),
        "dispute": QCoreApplication.translate("Outcome", "Disputes the debt"),
        "callback": QCoreApplication.translate("Outcome", "Call back later"),
        "no_answer": QCoreApplication.translate("Outcome", "No answer"),
        "wrong_number": QCoreApplication.translate("Outcome", "Wrong number"),
        "third_party": QCoreApplication.translate("Outcome", "Reached a third party"),
        "cease_request": QCoreApplication.translate("Outcome", "Asked us to stop calling"),
        "attorney": QCoreApplication.translate("Outcome", "Represented by a lawyer"),
        # Attempts that reached nobody, and messages (the contact history's)
        "busy": QCoreApplication.translate("Outcome", "Busy"),
        "hung_up": QCoreApplication.translate("Outcome", "Hung up"),
        "voicemail": QCoreApplication.translate("Outcome", "Voicemail"),
        "disconnected": QCoreApplication.translate("Outcome", "Number disconnected"),
        "failed": QCoreApplication.translate("Outcome", "Failed"),
        "delivered": QCoreApplication.translate("Outcome", "Delivered"),
        "sent": QCoreApplication.translate("Outcome", "Sent"),
    }
    return names.get(outcome, outcome)


def status_name(status: str) -> str:
    """A case status (store.cases_repo.CASE_STATUSES), by name."""
    names = {
        "active": QCoreApplication.translate("CaseStatus", "active"),
        "disputed": QCoreApplication.translate("CaseStatus", "disputed"),
        "cease_requested": QCoreApplication.translate(
            "CaseStatus", "cease requested (no more calls)"
        ),
        "attorney_represented": QCoreApplication.translate("CaseStatus", "represented by a lawyer"),
        "deceased": QCoreApplication.translate("CaseStatus", "deceased"),
        "bankrupt": QCoreApplication.translate("CaseStatus", "bankrupt"),
        "closed": QCoreApplication.translate("CaseStatus", "closed"),
    }
    return names.get(status, status)


def promise_state_name(state: str) -> str:
    """A promise's state (store.cases_repo.PROMISE_STATUSES), by name."""
    names = {
        "pending": QCoreApplication.translate("PromiseState", "pending"),
        "kept": QCoreApplication.translate("PromiseState", "kept"),
        "broken": QCoreApplication.translate("PromiseState", "broken"),
    }
    return names.get(state, state)
