"""A realistic, deterministic demo data set (people, dialogues: ``resources/demo``).

It goes through the code real data takes: the case import, the live rule engine
and call recorder with masking, the review repository, so its flags are the ones
the product really raises. Repositories stamp rows with the current time; the
demo moves the stamps onto its own calendar (the 30 days before ``TODAY``), so a
seed always gives the same rows apart from surrogate keys and the audit log.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from functools import cache
from typing import Any, cast
from zoneinfo import ZoneInfo

import yaml
from sqlalchemy import func, select, update

from agent_assist.events import CallEnded, CallStarted, Event, Final
from agent_assist.paths import resources_dir
from agent_assist.privacy import mask_text, mask_value
from agent_assist.rules.live import LiveFlagger, Matcher
from agent_assist.rules.loader import load_pack
from agent_assist.rules.matcher import compile_pack
from agent_assist.rules.model import RulePack
from agent_assist.rules.registry import resolve_pack
from agent_assist.rules.required import RequirementTracker, requirements_pack
from agent_assist.store import tables as t
from agent_assist.store.call_log import CallOps, Masker, Op, apply_op
from agent_assist.store.calls_repo import CallRepository
from agent_assist.store.cases_repo import CaseInput, CaseRepository
from agent_assist.store.database import Database
from agent_assist.store.people_repo import SYSTEM, PeopleRepository
from agent_assist.store.recorder import CallRecorder
from agent_assist.store.records import Actor, Role

TODAY = date(2026, 11, 27)  # the demo's "today": its calls fall in the 30 days before
IMPORTED_AT = datetime(2026, 11, 26, 22, 30, tzinfo=UTC)  # the bank's nightly case list
REF_PREFIX = "DEMO-"  # on debtor and case refs, so demo rows never pass for a bank's
LANGS = ("zh", "en")  # the language teams: sections of the YAML files
CALLS = 120
OLDER_PROMISES = 35  # promises taken on calls before the demo's recorded ones
SEGMENTS = {"prime": 25, "near-prime": 30, "subprime": 30, "small-business": 15}
STAGE_WEIGHTS = (30, 20, 15, 10, 8, 7, 10)  # M1 … M6, M6+
# After these a case is contacted in writing only.
WRITING_ONLY = {"cease_requested", "attorney_represented", "deceased", "bankrupt"}


@dataclass
class Staff:
    username: str
    name: str
    role: Role
    team: str | None  # a language team
    staff_no: str
    actor: Actor = SYSTEM


@dataclass
class DemoCase:
    lang: str
    item: CaseInput
    female: bool
    phone: str  # unmasked: a debtor may read it out on a call, masked on the way in
    id: int = 0


def load_demo(db: Database, *, seed: int = 7) -> str:
    """Load the demo data set into ``db``; returns a one-line summary of it."""
    names = [s.username for s in demo_staff().values() if s.role != "admin"]  # admin may exist
    with db.session(readonly=True) as session:
        loaded = session.scalar(select(func.count()).where(t.User.username.in_(names)))
    if loaded:
        return "demo already loaded: " + summary(db)
    loader = _Loader(db, random.Random(seed))
    loader.add_people()
    loader.add_cases()
    loader.add_calls()
    loader.add_contacts_and_promises()
    loader.review()
    # Imported here: a drill's pacing comes from call.demo, which imports this module.
    from agent_assist.store.demo_drills import add_drills

    add_drills(db, {s.username: s.actor for s in loader.staff.values()}, loader.rng)
    return summary(db)


def summary(db: Database) -> str:
    """Counts of the demo's rows: "2 teams, 9 users, 200 debtors, …"."""
    cases = select(t.Case.id).where(t.Case.external_ref.startswith(REF_PREFIX))
    calls = select(t.Call.id).where(t.Call.case_id.in_(cases))
    staff = select(t.User.id).where(t.User.username.in_(list(demo_staff())))
    count = select(func.count())
    queries = {
        "teams": count.where(t.Team.name.in_([demo_setup(k)["team"] for k in LANGS])),
        "users": count.where(t.User.username.in_(list(demo_staff()))),
        "debtors": count.where(t.Debtor.external_ref.startswith(REF_PREFIX)),
        "cases": count.select_from(cases.subquery()),
        "calls": count.select_from(calls.subquery()),
        "segments": count.where(t.Segment.call_id.in_(calls)),
        "flags": count.where(t.FlagRow.call_id.in_(calls), t.FlagRow.state != "retracted"),
        "promises": count.where(t.Promise.case_id.in_(cases)),
        "drills": count.where(t.DrillSession.user_id.in_(staff)),
    }
    with db.session(readonly=True) as session:
        return ", ".join(f"{session.scalar(q) or 0:,} {name}" for name, q in queries.items())


class _Loader:
    """Builds the demo step by step from one random stream, so each step is reproducible."""

    def __init__(self, db: Database, rng: random.Random) -> None:
        self.db, self.rng = db, rng
        self.staff = demo_staff()
        self.cases: list[DemoCase] = []
        # Written after the calls, in this order: (case, who, channel, outcome, call, when)
        self.contacts: list[tuple[DemoCase, Actor, str, str, str | None, datetime]] = []
        # (case, who, amount, due, call, when)
        self.promises: list[tuple[DemoCase, Actor, Decimal, date, str | None, datetime]] = []
        # (language, call, start, the rules its reviewer finds wrongly flagged)
        self.flagged: list[tuple[str, str, datetime, frozenset[str]]] = []

    def add_people(self) -> None:
        people = PeopleRepository(self.db)
        teams = {k: people.ensure_team(SYSTEM, demo_setup(k)["team"]) for k in LANGS}
        with self.db.session() as session:
            existing = dict(session.execute(select(t.User.username, t.User.id)).all())
        for s in self.staff.values():
            team_id = teams[s.team] if s.team else None
            if s.username in existing:
                s.actor = Actor(existing[s.username], s.role, team_id)
            else:
                user = people.add_user(SYSTEM, s.username, s.name, s.role, team_id=team_id)
                s.actor = user.as_actor()

    def add_cases(self) -> None:
        taken = {s.name for s in self.staff.values()}  # no debtor shares a collector's name
        self.cases = [case for lang in LANGS for case in self._cases_of(lang, taken)]
        CaseRepository(self.db).upsert_many(SYSTEM, [c.item for c in self.cases], source="demo")
        demo = t.Case.external_ref.startswith(REF_PREFIX)
        with self.db.session() as session:
            ids = dict(session.execute(select(t.Case.external_ref, t.Case.id).where(demo)).all())
            session.execute(update(t.Case).where(demo).values(updated_at=IMPORTED_AT))
        for case in self.cases:
            case.id = ids[case.item.case_ref]

    def _cases_of(self, lang: str, taken: set[str]) -> list[DemoCase]:
        rng, setup, names, zh = (
            self.rng,
            demo_setup(lang),
            demo_yaml("people.yaml")[lang],
            lang == "zh",
        )
        country = setup["region"]
        collectors = [
            s.username for s in self.staff.values() if (s.team, s.role) == (lang, "collector")
        ]
        statuses = [s for s, n in setup["statuses"].items() for _ in range(n)]
        rng.shuffle(statuses)
        cases = []
        for n, status in enumerate(statuses, 1):
            female = rng.random() < 0.5
            name = ""
            while not name or name in taken:
                given = rng.choice(names["female" if female else "male"])
                family = rng.choice(names["surnames" if zh else "last"])
                name = family + given if zh else f"{given} {family}"
            taken.add(name)
            if zh:
                region, area = rng.choice(names["regions"])
                tz, national_id = "Asia/Shanghai", _resident_id(rng, area, female)
                phones = [rng.choice(names["mobile_prefixes"]) + f"{rng.randrange(10**8):08d}"]
            else:
                region, tz, codes = rng.choice(names["states"])
                area, group, serial = (
                    rng.randint(100, 665),
                    rng.randint(1, 99),
                    rng.randrange(10**4),
                )
                national_id = f"{area}-{group:02d}-{serial:04d}"  # an SSN
                # 555-0100…0199 is kept for fiction: no real subscriber's number.
                phones = [f"({rng.choice(codes)}) 555-01{rng.randrange(100):02d}"]
            if rng.random() < 0.3:  # a second number: work, or an older one
                phones.append(phones[0][:-2] + f"{rng.randrange(100):02d}")
            segment = rng.choices(list(SEGMENTS), weights=list(SEGMENTS.values()))[0]
            kind = "small-business" if segment == "small-business" else "consumer"
            product, code, low, high = rng.choice(setup["products"][kind])
            principal = Decimal(rng.randrange(low, high, 100 if zh else 50))
            worse = segment in ("subprime", "small-business")  # these fall further behind
            bucket = min(6, rng.choices(range(7), weights=STAGE_WEIGHTS)[0] + worse)
            dpd = 181 + rng.randrange(360) if bucket == 6 else 30 * bucket + rng.randint(1, 30)
            # Missed instalments pile up; from M6+ the whole balance is due, with fees.
            share = (
                rng.uniform(1.02, 1.18) if bucket == 6 else (bucket + 1) * rng.uniform(0.04, 0.1)
            )
            overdue = Decimal(0) if status == "closed" else principal * Decimal(f"{share:.4f}")
            item = CaseInput(
                case_ref=f"{REF_PREFIX}{country}-{code}-{n:05d}",
                debtor_ref=f"{REF_PREFIX}{country}-{n:06d}",
                name=name,
                national_id=mask_value(national_id, "national_id", country),
                phones=tuple(mask_value(p, "phone", country) for p in phones),
                region=region,
                time_zone=tz,
                segment=segment,
                language=setup["language"],
                product=product,
                currency=setup["currency"],
                principal=principal,
                overdue_amount=overdue.quantize(Decimal("0.01")),
                days_past_due=dpd,
                stage="M6+" if bucket >= 5 else f"M{bucket + 1}",  # the import's stages: M0…M5, M6+
                status=status,
                assigned_username=None if status == "closed" else rng.choice(collectors),
            )
            cases.append(DemoCase(lang, item, female, phones[0]))
        return cases

    def add_calls(self) -> None:
        pools: dict[tuple[str, str], list[DemoCase]] = {}
        for case in self.cases:
            pools.setdefault((case.lang, case.item.status or "active"), []).append(case)
        for pool in pools.values():
            self.rng.shuffle(pool)
        calls = []
        for _ in range(CALLS):
            lang = "zh" if self.rng.random() < 0.62 else "en"
            script = self._pick(demo_yaml("dialogues.yaml")[lang])
            status = script.get("status") or "active"
            if not pools.get((lang, status)):  # each case in it had its call: an ordinary one
                script = self._pick(
                    [s for s in demo_yaml("dialogues.yaml")[lang] if "status" not in s]
                )
                status = "active"
            pool = pools[(lang, status)]
            # A status call goes to a case once; active ones repeat only if all were called.
            case = pool.pop() if len(pool) > 1 or status != "active" else pool[0]
            calls.append((self._work_time(case, 30), case, script))
        for start, case, script in sorted(calls, key=lambda c: c[0]):
            self._record_call(start, case, script)

    def _pick(self, scripts: list[dict[str, Any]]) -> dict[str, Any]:
        return self.rng.choices(scripts, weights=[s["weight"] for s in scripts])[0]

    def _work_time(self, case: DemoCase, days: int) -> datetime:
        """A moment in the ``days`` before TODAY in working hours, the office's and the debtor's."""
        office, home = ZoneInfo(demo_setup(case.lang)["office_tz"]), ZoneInfo(case.item.time_zone)
        while True:
            day = TODAY - timedelta(days=self.rng.randint(1, days))
            at = datetime.combine(day, time(9), office) + timedelta(
                seconds=self.rng.randrange(36000)
            )
            if day.weekday() != 6 and time(8, 30) <= at.astimezone(home).time() <= time(20, 30):
                return at.astimezone(UTC)

    def _record_call(self, start: datetime, case: DemoCase, script: dict[str, Any]) -> None:
        setup, collector = demo_setup(case.lang), self.staff[str(case.item.assigned_username)]
        local_day = start.astimezone(ZoneInfo(setup["office_tz"])).date()
        amount, due = Decimal(0), local_day
        if promise := script.get("promise"):
            amount = demo_promise_amount(case, Decimal(str(promise["share"])))
            due = local_day + timedelta(days=promise["days"])
        dpd = max(1, case.item.days_past_due - (TODAY - local_day).days)
        values = demo_placeholders(case, collector, amount, due) | {"dpd": str(dpd)}
        call_id = uuid.UUID(int=self.rng.getrandbits(128), version=4).hex
        pack, flags, required = _engine(setup["pack"])
        analyzers = (
            LiveFlagger(flags, cooldown_s=pack.cooldown_s),
            RequirementTracker(pack.required, required),
        )
        actor, writer = collector.actor, _Writer(self.db)
        owner = {"user_id": actor.user_id, "team_id": actor.team_id, "case_id": case.id}
        recorder = CallRecorder(CallOps(_mask(case.lang), **owner), writer)
        # As in CallSession: what an analyzer derives follows its event, except at the end.
        for event in self._events(call_id, start, setup, script["turns"], values):
            derived: list[Event] = [d for a in analyzers for d in a.on_event(event)]
            for out in [*derived, event] if isinstance(event, CallEnded) else [event, *derived]:
                recorder.record(out)
        repo = CallRepository(self.db, _mask(case.lang))
        repo.wrap_up(actor, call_id, script["outcome"], script["notes"])
        ended = start + timedelta(milliseconds=writer.ops[-1]["duration_ms"])
        self.contacts.append((case, actor, "call", script["outcome"], call_id, ended))
        if promise:
            self.promises.append((case, actor, amount, due, call_id, ended))
        if any(op["op"] == "flag" for op in writer.ops):
            wrong = frozenset(script.get("false_positives", ()))
            self.flagged.append((case.lang, call_id, start, wrong))

    def _events(
        self, call_id: str, start: datetime, setup: dict[str, Any], turns: list[Any], values: Any
    ) -> Iterator[Event]:
        rng, speakers = self.rng, ("agent", "debtor")
        yield CallStarted(
            call_id, speakers, setup["source"], setup["model"], 16000, start.isoformat()
        )
        at = rng.randint(1200, 3500)  # ringing, then "hello"
        said = dict.fromkeys(speakers, 0)
        for turn in turns:
            ((who, line),) = turn.items()
            speaker, text = ("agent" if who == "A" else "debtor"), line.format_map(values)
            end = at + int(sum(c.isalnum() for c in text) / setup["chars_per_s"] * 1000)
            end += rng.randint(200, 600)
            heard = end + rng.randint(250, 700)  # the recogniser closes an utterance a bit later
            confidence = round(rng.uniform(0.8, 0.97), 3)
            yield Final(speaker, said[speaker], text, at, end, heard, confidence=confidence)
            said[speaker] += 1
            at = end + rng.randint(300, 1400)
        yield CallEnded("completed", at + rng.randint(400, 1500))

    def add_contacts_and_promises(self) -> None:
        rng, promised = self.rng, {p[0].item.case_ref for p in self.promises}
        for case in self.cases:
            if case.item.assigned_username is None:  # closed: off the collectors' lists
                continue
            collector = self.staff[case.item.assigned_username].actor
            writing = case.item.status in WRITING_ONLY
            kinds = [
                c for c in demo_setup(case.lang)["contacts"] if not writing or c[0] == "letter"
            ]
            for _ in range(rng.choices(range(5), weights=(10, 25, 30, 20, 15))[0]):
                channel, outcome = rng.choice(kinds)
                actor = collector if channel == "call" else SYSTEM  # texts, letters: automated
                when = self._work_time(case, 30)
                self.contacts.append((case, actor, channel, outcome, None, when))
        fresh = [c for c in self.cases if c.item.status == "active"]
        for case in rng.sample(
            [c for c in fresh if c.item.case_ref not in promised], OLDER_PROMISES
        ):
            made = self._work_time(case, 60)
            collector = self.staff[str(case.item.assigned_username)].actor
            amount = demo_promise_amount(
                case, Decimal(rng.choice(("0.1", "0.2", "0.25", "0.5", "1")))
            )
            due = made.date() + timedelta(days=rng.randint(3, 14))
            self.contacts.append((case, collector, "call", "promise_to_pay", None, made))
            self.promises.append((case, collector, amount, due, None, made))
        repo = CaseRepository(self.db)
        with self.db.session() as session:
            before = session.scalar(select(func.max(t.ContactAttempt.id))) or 0
        for case, actor, channel, outcome, call_id, _ in self.contacts:
            repo.log_contact(actor, case.id, channel, outcome, call_id=call_id)
        promise_stamps = []
        for case, actor, amount, due, call_id, made in self.promises:
            row = repo.add_promise(actor, case.id, amount, due, call_id=call_id)
            resolved = None
            if due < TODAY:  # the nightly payment file settles it the day after
                repo.resolve_promise(actor, row.id, "kept" if rng.random() < 0.55 else "broken")
                resolved = datetime.combine(due + timedelta(days=1), time(2), UTC)
            promise_stamps.append({"id": row.id, "created_at": made, "resolved_at": resolved})
        with self.db.session() as session:
            new = select(t.ContactAttempt.id).where(t.ContactAttempt.id > before)
            ids = session.scalars(new.order_by(t.ContactAttempt.id)).all()
            stamps = [{"id": i, "at": c[5]} for i, c in zip(ids, self.contacts, strict=True)]
            session.execute(update(t.ContactAttempt), stamps)
            session.execute(update(t.Promise), promise_stamps)

    def review(self) -> None:
        """Team leads review most flagged calls older than a week; newer ones wait in the queue."""
        reviews: list[dict[str, Any]] = []
        notes: list[dict[str, Any]] = []
        for lang, call_id, start, wrong in self.flagged:
            if (TODAY - start.date()).days < 7 or self.rng.random() < 0.25:
                continue
            setup, repo = demo_setup(lang), CallRepository(self.db, _mask(lang))
            lead = next(
                s.actor for s in self.staff.values() if (s.team, s.role) == (lang, "team_lead")
            )
            rows = select(t.FlagRow.id, t.FlagRow.rule_id, t.FlagRow.category, t.FlagRow.severity)
            with self.db.session() as session:
                query = rows.where(t.FlagRow.call_id == call_id)
                flags = session.execute(query.order_by(t.FlagRow.t_ms, t.FlagRow.id)).all()
            penalty, first, issues = 0, None, []
            for row_id, rule_id, category, severity in flags:
                upheld = rule_id not in wrong
                repo.set_verdict(lead, call_id, row_id, "upheld" if upheld else "false_positive")
                if upheld and category in setup["categories"]:  # the collector's own doing
                    penalty += {"critical": 30, "warning": 15}.get(severity, 5)
                    first = first or row_id
                    if setup["categories"][category] not in issues:
                        issues.append(setup["categories"][category])
            what = setup["separator"].join(issues)
            text = setup["review_issues"].format(what=what) if issues else setup["review_ok"]
            at = start + timedelta(days=self.rng.randint(1, 3), minutes=self.rng.randint(30, 300))
            score = max(10, 100 - penalty - self.rng.randint(0, 8))
            reviews.append({"id": repo.review(lead, call_id, summary=text, score=score), "at": at})
            if issues:
                coaching = setup["coaching"].format(what=what)
                note = repo.coach(lead, call_id, coaching, flag_row_id=first)
                notes.append({"id": note, "at": at + timedelta(minutes=5)})
        with self.db.session() as session:
            for table, stamps in ((t.Review, reviews), (t.CoachingNote, notes)):
                if stamps:
                    session.execute(update(table), stamps)


@dataclass
class _Writer:
    """Applies each write operation at once, as a desktop does while the database is up."""

    db: Database
    ops: list[Op] = field(default_factory=list)

    def write(self, op: Op) -> None:
        apply_op(self.db, op)
        self.ops.append(op)


@cache
def demo_yaml(name: str) -> dict[str, Any]:
    with (resources_dir() / "demo" / name).open(encoding="utf-8") as f:
        data: dict[str, Any] = yaml.safe_load(f)
    return data


def demo_setup(lang: str) -> dict[str, Any]:
    return cast(dict[str, Any], demo_yaml("setup.yaml")[lang])


def demo_staff() -> dict[str, Staff]:
    return {row[0]: Staff(*row) for row in demo_yaml("setup.yaml")["users"]}


@cache
def _engine(spec: str) -> tuple[RulePack, Matcher, Matcher]:
    pack = load_pack(resolve_pack(spec))
    return pack, compile_pack(pack), compile_pack(requirements_pack(pack))


def _mask(lang: str) -> Masker:
    region: str = demo_setup(lang)["region"]
    return lambda text: mask_text(text, region)


def _resident_id(rng: random.Random, area: str, female: bool) -> str:
    """A made-up 18-character PRC resident id with a valid GB 11643 check character."""
    # Born 1985-2003: every area code in people.yaml was in use by then.
    born = date(1985, 1, 1) + timedelta(days=rng.randrange(19 * 365))
    body = f"{area}{born:%Y%m%d}{rng.randrange(100):02d}{rng.randrange(int(not female), 10, 2)}"
    total = sum(int(d) * pow(2, 17 - i, 11) for i, d in enumerate(body))
    return body + "10X98765432"[total % 11]


def demo_promise_amount(case: DemoCase, share: Decimal) -> Decimal:
    step = 100 if case.lang == "zh" else 10  # promises come in round figures
    return Decimal(max(step, round(case.item.overdue_amount * share / step) * step))


def demo_placeholders(case: DemoCase, agent: Staff, promise: Decimal, due: date) -> dict[str, str]:
    setup, item = demo_setup(case.lang), case.item
    family = item.name[0] if case.lang == "zh" else item.name.split()[-1]
    digits = [setup["digits"][int(d)] for d in case.phone if d.isdigit()]
    groups, at = [], 0
    for size in setup["phone_groups"]:
        groups.append(setup["digit_sep"].join(digits[at : at + size]))
        at += size
    pronouns: dict[str, str] = setup["she" if case.female else "he"]
    month, weekday = setup["months"][due.month - 1], setup["weekdays"][due.weekday()]
    return pronouns | {
        "title": setup["title"].format(family=family, **pronouns),
        "debtor": item.name,
        "agent": agent.name,
        "agent_surname": agent.name[0],
        "agent_no": agent.staff_no,
        "bank": setup["bank"],
        "agency": setup["agency"],
        "product": item.product,
        "card4": f"{int(item.case_ref[-5:]) * 7919 % 10000:04d}",
        "due": setup["due"].format(month=month, weekday=weekday, day=due.day),
        "overdue": setup["money"].format(whole=int(item.overdue_amount), exact=item.overdue_amount),
        "promise": setup["money"].format(whole=int(promise), exact=promise),
        "phone": setup["group_sep"].join(groups),
    }
