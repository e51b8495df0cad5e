"""Role-play drill scenarios as validated, immutable values (``resources/training/``).

A scenario is the debtor's side of a call the trainee practises: the case facts the
trainee is briefed with, what the debtor says turn by turn (a turn may branch on what
the trainee just said or on a flag it raised), the lines the trainee must cover and the
debtor cues whose suggested replies count. Files are read node by node with
:class:`~agent_assist.rules.yamlfile.YamlFile`, so every problem is reported as
``file:line:col: message`` and a file with any problem is not loaded. Format:
docs/training.md.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from yaml import Node

from agent_assist.compliance.risk_model import SEGMENTS
from agent_assist.errors import UserError
from agent_assist.messaging.render import format_amount
from agent_assist.paths import resources_dir
from agent_assist.rules.loader import DEFAULT_GAP
from agent_assist.rules.model import Pattern
from agent_assist.rules.patterns import PatternError, parse_pattern
from agent_assist.rules.yamlfile import Problem, YamlFile
from agent_assist.script_library.model import STAGES

_LANGUAGE = re.compile(r"[a-z]{2}-[A-Z]{2}")
HEAD_KEYS = ("id", "title", "language", "pack", "stage")
BRIEF_KEYS = ("debtor", "amount", "currency", "days_overdue", "situation")
BRIEF_OPTIONAL = ("product", "goal")


class ScenarioError(UserError):
    """A scenario file with problems; ``problems`` lists every one, in line order."""

    def __init__(self, path: Path, problems: list[Problem]) -> None:
        self.problems = tuple(problems)
        lines = "\n".join(str(problem) for problem in self.problems)
        count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        super().__init__(f"drill scenario {path} was not loaded ({count}):\n{lines}")


@dataclass(frozen=True, slots=True)
class Brief:
    """What the trainee knows before the call (fictional people only)."""

    debtor: str
    amount: str  # as written in the file: "3200.00"
    currency: str
    days_overdue: int
    situation: str
    product: str = ""
    goal: str = ""


def brief_values(brief: Brief) -> dict[str, str | None]:
    """A script's variables as the scenario's brief gives them; the rest (the bank, the
    trainee's name) stay placeholders for the trainee to fill in aloud."""
    try:
        amount: str | None = format_amount(Decimal(brief.amount), brief.currency)
    except InvalidOperation:
        amount = None
    return {
        "debtor_name": brief.debtor,
        "overdue_amount": amount,
        "currency": brief.currency,
        "product": brief.product or None,
        "days_past_due": str(brief.days_overdue),
    }


@dataclass(frozen=True, slots=True)
class Branch:
    """Another line for a debtor turn, chosen when the trainee's previous answer raised
    one of ``flagged`` (taxonomy ids) or said one of ``heard`` (patterns)."""

    say: str
    flagged: tuple[str, ...] = ()
    heard: tuple[Pattern, ...] = ()
    end: bool = False  # the debtor hangs up after this line


@dataclass(frozen=True, slots=True)
class DebtorTurn:
    say: str
    branches: tuple[Branch, ...] = ()
    line: int = 0


@dataclass(frozen=True, slots=True)
class RequiredLine:
    """A line the trainee must say: one of the pack's required statements (``statement``,
    its patterns and deadline from the pack) or the scenario's own (``patterns``)."""

    id: str
    statement: bool  # True: the pack's required statement of this id
    patterns: tuple[Pattern, ...] = ()
    explanation: str = ""
    by_turn: int | None = None  # said within the trainee's first N answers
    line: int = 0


@dataclass(frozen=True, slots=True)
class Scenario:
    id: str
    title: str
    language: str  # zh-CN, en-US: the script library's language and the masking region
    pack: str  # a bundled pack id, or a folder relative to the scenario file
    stage: str  # the script library's stage: which replies are suggested
    segment: str | None
    brief: Brief
    turns: tuple[DebtorTurn, ...]
    required: tuple[RequiredLine, ...]
    replies: tuple[str, ...]  # debtor cues (taxonomy ids) whose suggested replies count
    path: str = ""

    def pack_spec(self) -> str:
        """What :func:`agent_assist.rules.registry.resolve_pack` takes for this scenario."""
        if self.path and ("/" in self.pack or self.pack.startswith(".")):
            return str((Path(self.path).parent / self.pack).resolve())
        return self.pack


def load_scenario(path: Path, cue_ids: Collection[str]) -> Scenario:
    """Validate and load one scenario; ``cue_ids`` are the taxonomy's category ids.

    Raises :class:`ScenarioError` listing every problem.
    """
    f = YamlFile(path.parent, path.name)
    root = f.compose()
    if root is None and not f.problems:
        f.report_at(1, 1, f"{path.name} is empty")
    top = f.mapping(root, path.name, ("scenario", "brief", "debtor"), ("required", "replies"))
    head = f.mapping(top.get("scenario"), "the `scenario` section", HEAD_KEYS, ("segment",))
    language = f.get_text(head, "language", blank=False)
    if "language" in head and language and not _LANGUAGE.fullmatch(language):
        f.report(head["language"], "language must look like zh-CN or en-US")
    gap = DEFAULT_GAP["zh" if language.startswith("zh") else "en"]
    stage = f.pick(head, "stage", STAGES, "early")
    segment = f.pick(head, "segment", SEGMENTS, "") or None
    brief = _brief(f, top.get("brief"))
    turns = [_turn(f, node, gap, cue_ids) for node in f.items(top.get("debtor"), "debtor") or []]
    if "debtor" in top and not turns and not f.problems:
        f.report(top["debtor"], "debtor is empty: give at least one line the debtor says")
    required = _required(f, top.get("required"), gap)
    replies = tuple(_cue(f, node, cue_ids) for node in f.items(top.get("replies"), "replies") or [])
    problems = f.sorted_problems()
    if problems:
        raise ScenarioError(path, problems)
    return Scenario(
        id=f.get_text(head, "id"),
        title=f.get_text(head, "title"),
        language=language,
        pack=f.get_text(head, "pack"),
        stage=stage,
        segment=segment,
        brief=brief,
        turns=tuple(turns),
        required=required,
        replies=tuple(dict.fromkeys(replies)),
        path=str(path),
    )


def _brief(f: YamlFile, node: Node | None) -> Brief:
    fields = f.mapping(node, "the `brief` section", BRIEF_KEYS, BRIEF_OPTIONAL)
    days = 0
    if "days_overdue" in fields:
        days = f.integer(fields["days_overdue"], "days_overdue", minimum=0, default=0)
    return Brief(
        debtor=f.get_text(fields, "debtor", blank=False),
        amount=f.get_text(fields, "amount", raw=True, blank=False),
        currency=f.get_text(fields, "currency", blank=False),
        days_overdue=days,
        situation=f.get_text(fields, "situation", blank=False),
        product=f.get_text(fields, "product"),
        goal=f.get_text(fields, "goal"),
    )


def _turn(f: YamlFile, node: Node, gap: int, cue_ids: Collection[str]) -> DebtorTurn:
    fields = f.mapping(node, "a debtor turn", ("say",), ("branches",))
    branches = []
    for item in f.items(fields.get("branches"), "branches") or []:
        branch = f.mapping(item, "a branch", ("say",), ("if_flagged", "if_heard", "end"))
        flagged = tuple(
            _cue(f, cue, cue_ids) for cue in f.items(branch.get("if_flagged"), "if_flagged") or []
        )
        heard = _patterns(f, branch.get("if_heard"), gap, "if_heard")
        if not flagged and not heard and "if_flagged" not in branch and "if_heard" not in branch:
            f.report(item, "a branch needs `if_flagged` or `if_heard`: when is it chosen?")
        end = f.flag(branch["end"], "end") if "end" in branch else False
        branches.append(Branch(f.get_text(branch, "say", blank=False), flagged, heard, end))
    return DebtorTurn(f.get_text(fields, "say", blank=False), tuple(branches), f.line(node))


def _required(f: YamlFile, node: Node | None, gap: int) -> tuple[RequiredLine, ...]:
    found: list[RequiredLine] = []
    seen: dict[str, int] = {}
    for item in f.items(node, "required") or []:
        fields = f.mapping(
            item, "a required line", (), ("statement", "id", "patterns", "explain", "by_turn")
        )
        by_turn = None
        if "by_turn" in fields:
            by_turn = f.integer(fields["by_turn"], "by_turn", minimum=1, default=1)
        if "statement" in fields:
            for key in ("id", "patterns", "explain"):
                if key in fields:
                    f.report(fields[key], f"`{key}` comes from the pack with `statement`: drop it")
            line_id, statement = f.get_text(fields, "statement", blank=False), True
            patterns: tuple[Pattern, ...] = ()
        else:
            missing = [key for key in ("id", "patterns", "explain") if key not in fields]
            if missing and fields:
                keys = ", ".join(f"`{key}`" for key in missing)
                f.report(item, f"a scenario line needs {keys} (or name a pack `statement`)")
            line_id, statement = f.get_text(fields, "id", blank=False), False
            patterns = _patterns(f, fields.get("patterns"), gap, "patterns")
        if line_id in seen:
            f.report(item, f"duplicate required line {line_id!r} (first at line {seen[line_id]})")
        elif line_id:
            seen[line_id] = f.line(item)
        found.append(
            RequiredLine(
                line_id, statement, patterns, f.get_text(fields, "explain"), by_turn, f.line(item)
            )
        )
    return tuple(found)


def _patterns(f: YamlFile, node: Node | None, gap: int, what: str) -> tuple[Pattern, ...]:
    items = f.items(node, what)
    if items == [] and node is not None:
        f.report(node, f"{what} is empty: give at least one pattern")
    found = []
    for text, item in f.texts(node, what) if items else []:
        try:
            found.append(parse_pattern(text, gap, line=f.line(item)))
        except PatternError as exc:
            f.report(item, exc.message, offset=exc.offset)
    return tuple(found)


def _cue(f: YamlFile, node: Node, cue_ids: Collection[str]) -> str:
    value = f.text(node, "a cue")
    if f.is_string(node) and value not in cue_ids:
        f.report(node, f"unknown cue {value!r}: cues are ids of resources/taxonomy.yaml")
    return value


# --- the bundled scenarios -------------------------------------------------


def scenarios_dir() -> Path:
    return resources_dir() / "training"


def bundled_scenarios(cue_ids: Collection[str], folder: Path | None = None) -> list[Scenario]:
    """Every scenario under ``folder`` (default: the bundled ones), by language then id."""
    root = folder if folder is not None else scenarios_dir()
    found = [load_scenario(path, cue_ids) for path in sorted(root.glob("*/*.yaml"))]
    return sorted(found, key=lambda s: (s.language, s.id))


def find_scenario(spec: str, cue_ids: Collection[str], folder: Path | None = None) -> Scenario:
    """A scenario by id among the bundled ones, or from a YAML file's path."""
    path = Path(spec).expanduser()
    if path.suffix in (".yaml", ".yml") and path.is_file():
        return load_scenario(path, cue_ids)
    scenarios = bundled_scenarios(cue_ids, folder)
    for scenario in scenarios:
        if scenario.id == spec:
            return scenario
    known = ", ".join(s.id for s in scenarios) or "none installed"
    raise UserError(
        f"no drill scenario {spec!r}: give a scenario id ({known}) or the path of a "
        "scenario file; `agent-assist drill list` shows them"
    )
