"""The pre-dial check for stored cases: one contact policy and calendar per pack.

The policy is the active published version of the case's pack for the actor's team (as
the actor's call start picks it), read once per guard and team: a worklist or a command
sees one version throughout.
"""

from __future__ import annotations

from datetime import datetime

from agent_assist.compliance.calendar import HolidayCalendar, calendar_for
from agent_assist.compliance.check import CaseFacts, Verdict, check, lookback
from agent_assist.compliance.local_time import debtor_zones
from agent_assist.compliance.policy import ContactPolicy, load_policy
from agent_assist.publishing.active import pack_for_call
from agent_assist.rules.registry import resolve_pack
from agent_assist.store.contacts_repo import ContactFacts, ContactRepository
from agent_assist.store.database import Database
from agent_assist.store.records import Actor


class ContactGuard:
    def __init__(self, repo: ContactRepository, db: Database | None = None) -> None:
        """``db``: where the team's published packs are (None: the shipped packs only)."""
        self.repo = repo
        self._db = db
        self._packs: dict[tuple[str, int | None], tuple[ContactPolicy, HolidayCalendar]] = {}

    def facts(self, actor: Actor, spec: str) -> ContactFacts:
        """A case by id (digits) or by the bank's reference."""
        if spec.isdigit():
            return self.repo.facts(actor, int(spec))
        return self.repo.facts_by_ref(actor, spec)

    def verdict(self, actor: Actor, facts: ContactFacts, when: datetime) -> Verdict:
        policy, calendar = self._pack(facts.language, actor.team_id)
        zones = debtor_zones(policy, facts.time_zone, facts.region)
        history = self.repo.call_history(actor, facts.case_id, when - lookback(policy))
        return check(policy, calendar, CaseFacts(facts.status, zones), history, when)

    def _pack(self, language: str, team_id: int | None) -> tuple[ContactPolicy, HolidayCalendar]:
        # The case has no team of its own here: the actor's team dials it.
        key = (language, team_id)
        if key not in self._packs:
            spec = pack_for_call(self._db, language, team_id=team_id)
            policy = load_policy(resolve_pack(spec))
            self._packs[key] = (policy, calendar_for(policy))
        return self._packs[key]
