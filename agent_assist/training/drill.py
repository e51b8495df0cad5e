"""A role-play drill: the app plays the debtor, the trainee answers, the rules judge.

Every line goes through the rule engine of a live call: the pack's compiled rules in a
:class:`~agent_assist.rules.live.LiveFlagger` (the trainee as speaker ``agent``, the
debtor's lines as speaker ``debtor`` so their cues fire), its compiled required
statements, and a :class:`~agent_assist.rules.tone.ToneAnalyzer` (which has something
to judge only when the answers were spoken: word times and audio levels). Lines are
placed on a call timeline as a live call's would be: a typed answer lasts as long as
saying it at an unhurried pace, a spoken one as long as it was spoken.

The drill hands every line to ``on_turn`` as it happens (the store keeps it at once);
:meth:`Drill.report` can be asked at any time and scores the turns so far.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

from agent_assist.call.demo import Pace
from agent_assist.errors import UserError
from agent_assist.events import AudioLevel, Final, Flag, ToneCue
from agent_assist.rules.live import LiveFlagger, Matcher
from agent_assist.rules.matcher import compile_pack
from agent_assist.rules.model import Examples, Pattern, RequiredStatement, Rule, RulePack
from agent_assist.rules.required import said_in_time
from agent_assist.rules.tone import ToneAnalyzer
from agent_assist.script_library import ScriptLibrary, suggest
from agent_assist.script_library.render import fill_script
from agent_assist.script_library.select import WHY_CUE, WHY_REPLY
from agent_assist.training import report as r
from agent_assist.training.scenario import DebtorTurn, RequiredLine, Scenario, brief_values
from agent_assist.training.similarity import USED_AT, reply_coverage

AGENT, DEBTOR = "agent", "debtor"
SUGGESTIONS = 4  # as many scripts as the call window's script panel shows
_PACE = Pace()  # an unhurried collector: a typed answer lasts as long as saying it so


@dataclass(frozen=True, slots=True)
class DrillRules:
    """A pack as a live call uses it (``app.compiled_pack``): the pack, its compiled
    rules and its compiled required statements."""

    pack: RulePack
    flags: Matcher
    required: Matcher


@dataclass(frozen=True, slots=True)
class Turn:
    """One line of the drill as it happened."""

    number: int  # from 1, both speakers
    speaker: str
    text: str
    flags: tuple[Flag, ...]  # confirmed flags this line raised
    t_ms: int  # on the drill's call timeline


@dataclass(frozen=True, slots=True)
class Answered:
    turn: Turn
    tone: tuple[ToneCue, ...]
    next_line: str | None  # what the debtor says now; None: nothing more
    finished: bool  # the scenario is over (the last answer, or the debtor hung up)


@dataclass
class _Cue:
    turn: int
    category: str
    scripts: tuple[tuple[str, tuple[str, ...]], ...]  # (script id, its lines)


class Drill:
    def __init__(
        self,
        scenario: Scenario,
        rules: DrillRules,
        *,
        library: ScriptLibrary | None,
        mode: r.Mode = "typed",
        on_turn: Callable[[Turn], None] = lambda turn: None,
        pace: Pace = _PACE,
    ) -> None:
        self.scenario = scenario
        self.mode = mode
        self._pack = rules.pack
        self._required = rules.required
        self._statements = _statements(scenario, rules.pack)
        self._lines = {line.id: line for line in scenario.required}
        self._scenario_matcher = _scenario_matcher(scenario, rules.pack)
        self._flagger = LiveFlagger(rules.flags, cooldown_s=rules.pack.cooldown_s)
        self._tone = ToneAnalyzer(rules.pack.tone, rules.pack.info.language)
        self._library = library
        self._values = brief_values(scenario.brief)
        self._on_turn = on_turn
        self._pace = pace
        self._turns: list[Turn] = []
        self._answers = 0
        self._utterances = {AGENT: 0, DEBTOR: 0}
        self._clock_ms = pace.lead_in_ms
        self._next = 0  # index of the debtor's next turn
        self._cue: _Cue | None = None
        self._covered: dict[str, int] = {}  # required line id → turn said
        self._replies: dict[str, r.ReplyNote] = {}  # by cue
        self._tone_notes: list[r.ToneNote] = []
        self._flag_notes: list[r.FlagNote] = []
        self.finished = False

    # --- the conversation ----------------------------------------------------

    def begin(self) -> str:
        """The debtor's first line."""
        if self._turns:
            raise RuntimeError("a drill begins once")
        return self._debtor(self.scenario.turns[0])[0]

    def answer(self, text: str) -> Answered:
        """A typed answer."""
        if not text.strip():
            raise ValueError("an answer has words")
        start = self._clock_ms
        end = start + self._duration_ms(text)
        self._utterances[AGENT] += 1
        return self._answer(Final(AGENT, self._utterances[AGENT], text.strip(), start, end, end))

    def answer_final(self, final: Final) -> Answered:
        """A spoken answer: the recogniser's final result for the trainee."""
        if final.speaker != AGENT or not final.text.strip():
            raise ValueError("a spoken answer is a non-empty final result of the agent")
        return self._answer(final)

    def on_level(self, level: AudioLevel) -> None:
        """The trainee's audio level (spoken drills): loudness cues."""
        self._note_tone(self._tone.on_event(level))

    # --- inside ------------------------------------------------------------------

    def _answer(self, final: Final) -> Answered:
        if self.finished or not self._turns:
            raise RuntimeError("no debtor line is waiting for an answer")
        self._clock_ms = max(self._clock_ms, final.end_ms) + self._pace.pause_ms
        flags = self._flags(self._flagger.on_event(final))
        self._answers += 1
        turn = self._emit(AGENT, final.text, flags, final.t_ms)
        tone = self._note_tone(self._tone.on_event(final))
        heard = self._covers(final, turn.number)
        self._judge_reply(final.text, turn.number)
        for flag in flags:
            self._flag_notes.append(
                r.FlagNote(
                    turn.number,
                    flag.rule_id,
                    flag.category,
                    flag.severity,
                    flag.text[flag.start : flag.end],
                    flag.explanation,
                    r.PENALTY.get(flag.severity, 0),
                )
            )
        if self._next >= len(self.scenario.turns):
            self.finished = True
            return Answered(turn, tone, None, True)
        line, end = self._debtor(self.scenario.turns[self._next], flags, heard)
        self.finished = end  # the debtor hung up; else the trainee answers this line
        return Answered(turn, tone, line, self.finished)

    def _debtor(
        self, turn: DebtorTurn, flags: tuple[Flag, ...] = (), heard: frozenset[str] = frozenset()
    ) -> tuple[str, bool]:
        index = self._next
        self._next += 1
        say, end = turn.say, False
        raised = {flag.category for flag in flags}
        for b, branch in enumerate(turn.branches):
            if raised & set(branch.flagged) or f"branch:{index}:{b}" in heard:
                say, end = branch.say, branch.end
                break
        start = self._clock_ms
        stop = start + self._duration_ms(say)
        self._clock_ms = stop + self._pace.pause_ms
        self._utterances[DEBTOR] += 1
        final = Final(DEBTOR, self._utterances[DEBTOR], say, start, stop, stop)
        cues = self._flags(self._flagger.on_event(final))
        self._tone.on_event(final)
        number = self._emit(DEBTOR, say, cues, stop).number
        self._cue = self._reply_cue(cues, number)
        return say, end

    def _emit(self, speaker: str, text: str, flags: tuple[Flag, ...], t_ms: int) -> Turn:
        turn = Turn(len(self._turns) + 1, speaker, text, flags, t_ms)
        self._turns.append(turn)
        self._on_turn(turn)  # kept before the drill goes on
        return turn

    @staticmethod
    def _flags(events: list[Flag]) -> tuple[Flag, ...]:
        return tuple(flag for flag in events if flag.state == "confirmed")

    def _note_tone(self, events: list[ToneCue]) -> tuple[ToneCue, ...]:
        turn = self._turns[-1].number if self._turns else 0
        self._tone_notes.extend(r.ToneNote(turn, cue.kind, cue.message) for cue in events)
        return tuple(events)

    def _covers(self, final: Final, turn: int) -> frozenset[str]:
        """Mark the required lines this answer says; returns the branch patterns it said."""
        for statement in said_in_time(final, self._required, self._statements):
            self._cover(statement.id, turn)
        heard = set()
        for match in self._scenario_matcher.match(final.text, AGENT):
            if match.rule_id.startswith("branch:"):
                heard.add(match.rule_id)
            else:
                self._cover(match.rule_id, turn)
        return frozenset(heard)

    def _cover(self, line_id: str, turn: int) -> None:
        line = self._lines.get(line_id)
        if line is None or line_id in self._covered:
            return
        if line.by_turn is None or self._answers <= line.by_turn:
            self._covered[line_id] = turn

    def _reply_cue(self, cues: tuple[Flag, ...], turn: int) -> _Cue | None:
        if self._library is None:
            return None
        for flag in reversed(cues):  # the latest cue leads, as in the script panel
            if flag.category not in self.scenario.replies:
                continue
            found = suggest(
                self._library,
                stage=self.scenario.stage,
                segment=self.scenario.segment,
                cue=flag.category,
                reply_id=flag.reply,
                limit=SUGGESTIONS,
            )
            # Only what answers the cue: the general lines ranked after it are not a reply.
            found = [s for s in found if WHY_CUE in s.why or WHY_REPLY in s.why]
            if found:
                # As the trainee would say them: filled from the scenario's brief.
                scripts = tuple(
                    (s.script.id, fill_script(s.script, self._library, self._values).lines)
                    for s in found
                )
                return _Cue(turn, flag.category, scripts)
        return None

    def _judge_reply(self, answer: str, turn: int) -> None:
        cue, self._cue = self._cue, None
        if cue is None:
            return
        language = self._pack.info.language
        best, line = max(
            (reply_coverage(answer, text, language), text)
            for _, lines in cue.scripts
            for text in lines
        )
        ids = tuple(script_id for script_id, _ in cue.scripts)
        note = r.ReplyNote(cue.turn, cue.category, ids, line, round(best, 2), best >= USED_AT)
        # One note per cue: the debtor may show it again, and answering it once well is
        # what the drill asks; the first turn it came up stays the note's turn.
        earlier = self._replies.get(cue.category)
        if earlier is None or note.similarity > earlier.similarity:
            first = earlier.turn if earlier else note.turn
            self._replies[cue.category] = dataclasses.replace(note, turn=first)

    def _duration_ms(self, text: str) -> int:
        if self._pack.info.language == "zh":
            units = sum(1 for ch in text if ch.isalnum())
            return round(1000 * units / self._pace.zh_chars_per_s)
        return round(1000 * len(text.split()) / self._pace.en_words_per_s)

    # --- the report ---------------------------------------------------------------

    def report(self) -> r.DrillReport:
        """The session report on the turns so far (``complete`` once the scenario is over)."""
        flags = tuple(self._flag_notes)
        required = tuple(
            r.RequiredNote(line.id, self._explain(line), line.id in self._covered,
                           self._covered.get(line.id))
            for line in self.scenario.required
        )  # fmt: skip
        components = (
            r.compliance(flags),
            r.required_score(required),
            r.replies_score(tuple(self._replies.values())),
            self._tone_score(),
        )
        return r.DrillReport(
            scenario_id=self.scenario.id,
            title=self.scenario.title,
            language=self.scenario.language,
            pack=self._pack.info.id,
            pack_version=self._pack.info.version,
            mode=self.mode,
            complete=self.finished,
            score=r.overall(components, flags),
            components=components,
            lines=tuple(
                r.ReportLine(t.number, t.speaker, t.text, tuple(f.rule_id for f in t.flags))
                for t in self._turns
            ),
            flags=flags,
            required=required,
            replies=tuple(self._replies.values()),
            tone=tuple(self._tone_notes),
            practise=self._practise(flags, required),
        )

    def _explain(self, line: RequiredLine) -> str:
        statement = self._statements.get(line.id)
        return line.explanation if statement is None else statement.explanation

    def _tone_score(self) -> r.Component:
        if self.mode == "typed":
            return r.Component(r.TONE, None, r.WEIGHTS[r.TONE], "not measured: typed answers")
        count = len(self._tone_notes)
        score = float(max(0, 100 - r.TONE_PENALTY * count))
        detail = f"{count} calm-down cue{'s' if count != 1 else ''}"
        return r.Component(r.TONE, score, r.WEIGHTS[r.TONE], detail)

    def _practise(
        self, flags: tuple[r.FlagNote, ...], required: tuple[r.RequiredNote, ...]
    ) -> tuple[str, ...]:
        advice = [f"Do not say “{f.said}” ({f.rule_id}): {f.explanation}" for f in flags]
        advice += [f"Say it ({n.id}): {n.explanation}" for n in required if not n.covered]
        advice += [
            f"When the debtor shows {note.cue}, answer like: “{note.best_line}”"
            for note in self._replies.values()
            if not note.used
        ]
        advice += [f"{note.kind}: {note.message}" for note in self._tone_notes]
        if not self.finished:
            advice.append("Finish the scenario: the drill ended before the debtor's last line.")
        return tuple(dict.fromkeys(advice))


def _statements(scenario: Scenario, pack: RulePack) -> dict[str, RequiredStatement]:
    """The pack's required statements the scenario names, by id."""
    by_id = {statement.id: statement for statement in pack.required}
    unknown = [line for line in scenario.required if line.statement and line.id not in by_id]
    if unknown:
        where = ", ".join(f"line {line.line}: {line.id!r}" for line in unknown)
        known = ", ".join(by_id) or "none"
        raise UserError(
            f"drill scenario {scenario.path or scenario.id} names required statements the "
            f"pack {pack.info.id} does not have ({where}); the pack has: {known}"
        )
    return {line.id: by_id[line.id] for line in scenario.required if line.statement}


def _scenario_matcher(scenario: Scenario, pack: RulePack) -> Matcher:
    """The scenario's own patterns (required lines, branch cues) compiled for the pack's
    language, as the pack's required statements are."""
    rules = [
        _rule(line.id, "required", line.patterns)
        for line in scenario.required
        if not line.statement
    ]
    rules += [
        _rule(f"branch:{t}:{b}", "branch", branch.heard)
        for t, turn in enumerate(scenario.turns)
        for b, branch in enumerate(turn.branches)
        if branch.heard
    ]
    return compile_pack(RulePack(info=pack.info, rules=tuple(rules), path=scenario.path))


def _rule(rule_id: str, category: str, patterns: tuple[Pattern, ...]) -> Rule:
    return Rule(
        id=rule_id,
        category=category,
        speaker="agent",
        severity="info",
        patterns=patterns,
        exclusions=(),
        explanation="",
        reply=None,
        examples=Examples(),
    )
