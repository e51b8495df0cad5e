"""Load a rule pack folder (``pack.yaml`` + ``rules/*.yaml``) into an immutable RulePack.

Every problem is collected with the file, line and column of the YAML node it
concerns, so ``agent-assist rules check`` lists all of them in one run. The
pack is built only when there are none: a broken pack never half-loads. The
YAML is composed, not loaded, because loaded Python values have lost their
positions. The format is specified in ``docs/rule-packs.md``.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from dataclasses import fields as dataclass_fields
from pathlib import Path
from typing import Literal, cast

from yaml import MappingNode, Node, ScalarNode, SequenceNode

from agent_assist.errors import UserError
from agent_assist.rules.model import (
    Examples,
    Exclusion,
    Language,
    PackInfo,
    Pattern,
    RequiredStatement,
    Rule,
    RulePack,
    Severity,
    SpeakerRole,
    ToneSettings,
)
from agent_assist.rules.patterns import PatternError, parse_cue, parse_pattern
from agent_assist.rules.taxonomy import SEVERITIES, SIDES, Category, load_taxonomy
from agent_assist.rules.yamlfile import Problem, YamlFile

__all__ = ["PackError", "Problem", "load_pack"]

ExclusionKind = Literal["before", "after", "around", "utterance"]
SPEAKERS = ("agent", "debtor", "any")
LANGUAGES = ("zh", "en")
DEFAULT_GAP: dict[str, int] = {"zh": 6, "en": 3}  # characters for Chinese, words for English
FORMS = ("before", "after", "around", "utterance")
RULE_REQUIRED = ("id", "category", "patterns", "explain")
RULE_OPTIONAL = (
    "speaker",
    "severity",
    "exclude",
    "default_exclusions",
    "tolerant",
    "reply",
    "examples",
)
# Every tone setting but the speaker is a number, in the order ToneSettings declares them.
TONE_NUMBERS = tuple(item.name for item in dataclass_fields(ToneSettings) if item.name != "speaker")


class PackError(UserError):
    """A pack with problems; ``problems`` lists them all, in file and line order."""

    def __init__(self, folder: Path, problems: list[Problem]) -> None:
        self.folder = folder
        self.problems = tuple(problems)
        lines = "\n".join(str(problem) for problem in self.problems)
        count = f"{len(self.problems)} problem{'s' if len(self.problems) != 1 else ''}"
        super().__init__(f"rule pack {folder} was not loaded ({count}):\n{lines}")


@dataclass
class _Head:
    """What pack.yaml gives the rules: defaults for gaps and exclusions."""

    info: PackInfo
    gap: int
    cooldown_s: float = 10.0
    defaults: dict[str, tuple[Exclusion, ...]] = field(default_factory=dict)
    required: tuple[RequiredStatement, ...] = ()
    tone: ToneSettings = field(default_factory=ToneSettings)


def load_pack(folder: Path, taxonomy: Mapping[str, Category] | None = None) -> RulePack:
    """Validate and load the pack in ``folder``; raises :class:`PackError` listing every problem."""
    taxonomy = load_taxonomy() if taxonomy is None else taxonomy
    head_file = YamlFile(folder, "pack.yaml")
    head = _read_head(head_file, folder.resolve().name)
    files = [head_file]
    rules: list[Rule] = []
    first_seen: dict[str, str] = {}  # rule id -> where it was first defined
    paths = sorted(p for p in (folder / "rules").glob("*") if p.suffix in (".yaml", ".yml"))
    for path in paths:
        f = YamlFile(folder, path.relative_to(folder).as_posix())
        files.append(f)
        for node in f.items(f.compose(), "a rules file (a list of rules)") or []:
            rules.append(_read_rule(f, node, head, taxonomy, first_seen))
    if not paths and not head_file.problems:
        head_file.report_at(1, 1, "the pack has no rules: add rules/*.yaml files")
    problems = [problem for f in files for problem in f.sorted_problems()]
    if problems:
        raise PackError(folder, problems)
    return RulePack(
        info=head.info,
        rules=tuple(rules),
        required=head.required,
        tone=head.tone,
        cooldown_s=head.cooldown_s,
        path=str(folder),
    )


def _read_head(f: YamlFile, folder_name: str) -> _Head:
    root = f.compose()
    if root is None and not f.problems:
        f.report_at(1, 1, "pack.yaml is empty: it needs at least a `pack:` section")
    optional = ("settings", "default_exclusions", "required_statements", "tone")
    top = f.mapping(root, "pack.yaml", ("pack",), optional)
    info = _read_info(f, top.get("pack"), folder_name)
    settings = f.mapping(top.get("settings"), "settings", (), ("cooldown_s", "gap"))
    gap = DEFAULT_GAP[info.language]
    if "gap" in settings:
        gap = f.integer(settings["gap"], "gap", minimum=1, default=gap)
    head = _Head(info=info, gap=gap)
    if "cooldown_s" in settings:
        head.cooldown_s = f.number(settings["cooldown_s"], "cooldown_s")
    sides = f.mapping(top.get("default_exclusions"), "default_exclusions", (), SIDES)
    head.defaults = {side: _exclusions(f, node) for side, node in sides.items()}
    statements: list[RequiredStatement] = []
    first_seen: dict[str, str] = {}
    for node in f.items(top.get("required_statements"), "required_statements") or []:
        statements.append(_read_required(f, node, gap, first_seen))
    head.required = tuple(statements)
    if "tone" in top:
        head.tone = _read_tone(f, top["tone"])
    return head


def _read_info(f: YamlFile, node: Node | None, folder_name: str) -> PackInfo:
    keys = ("id", "language", "jurisdiction", "version", "title")
    fields = f.mapping(node, "the `pack` section", keys, ("sources",))
    pack_id = f.text(fields["id"], "id") if "id" in fields else folder_name
    if "id" in fields and f.is_string(fields["id"]) and pack_id != folder_name:
        f.report(
            fields["id"], f"pack id {pack_id!r} does not match its folder name {folder_name!r}"
        )
    language = f.pick(fields, "language", LANGUAGES, "zh")

    return PackInfo(
        id=pack_id,
        language=cast(Language, language),
        jurisdiction=f.get_text(fields, "jurisdiction", raw=True),
        version=f.get_text(fields, "version", raw=True),
        title=f.get_text(fields, "title"),
        sources=f.strings(fields.get("sources"), "sources"),
    )


def _read_rule(
    f: YamlFile,
    node: Node,
    head: _Head,
    taxonomy: Mapping[str, Category],
    first_seen: dict[str, str],
) -> Rule:
    fields = f.mapping(node, "a rule", RULE_REQUIRED, RULE_OPTIONAL)
    rule_id = _unique_id(f, fields, first_seen, "rule")
    category_id = f.get_text(fields, "category", blank=False)
    category = taxonomy.get(category_id)
    if category is None and "category" in fields and category_id.strip():
        close = difflib.get_close_matches(category_id, list(taxonomy), n=3, cutoff=0.75)
        hint = f"did you mean {' or '.join(close)}?" if close else "see resources/taxonomy.yaml"
        f.report(fields["category"], f"unknown category {category_id!r}; {hint}")
    side = category.speaker if category else "agent"
    speaker = f.pick(fields, "speaker", SPEAKERS, side)
    if category and speaker not in (side, "any"):
        f.report(
            fields["speaker"],
            f"speaker {speaker!r} contradicts category {category_id!r}, which the {side} "
            f"says; use {side} or any, or leave speaker out",
        )
    severity = f.pick(fields, "severity", SEVERITIES, category.severity if category else "info")
    exclusions = _exclusions(f, fields.get("exclude"))
    if "default_exclusions" not in fields or f.flag(
        fields["default_exclusions"], "default_exclusions"
    ):
        exclusions += head.defaults.get(side, ())
    examples = f.mapping(fields.get("examples"), "examples", (), ("should_flag", "should_not_flag"))
    reply = fields.get("reply")
    return Rule(
        id=rule_id,
        category=category_id,
        speaker=cast(SpeakerRole, speaker),
        severity=cast(Severity, severity),
        patterns=_patterns(f, fields.get("patterns"), head.gap),
        exclusions=exclusions,
        explanation=f.get_text(fields, "explain", blank=False),
        reply=None if reply is None or f.is_null(reply) else f.text(reply, "reply"),
        examples=Examples(
            should_flag=f.strings(examples.get("should_flag"), "should_flag"),
            should_not_flag=f.strings(examples.get("should_not_flag"), "should_not_flag"),
        ),
        tolerant=f.flag(fields["tolerant"], "tolerant") if "tolerant" in fields else True,
        file=f.rel,
        line=f.line(node),
    )


def _unique_id(f: YamlFile, fields: dict[str, Node], first_seen: dict[str, str], noun: str) -> str:
    if "id" not in fields:
        return ""
    value = f.text(fields["id"], "id", blank=False)
    if value in first_seen:
        f.report(fields["id"], f"duplicate {noun} id {value!r} (first at {first_seen[value]})")
    elif value:
        first_seen[value] = f"{f.rel}:{f.line(fields['id'])}"
    return value


def _read_required(
    f: YamlFile, node: Node, gap: int, first_seen: dict[str, str]
) -> RequiredStatement:
    required, optional = ("id", "within_s", "patterns"), ("speaker", "severity", "explanation")
    fields = f.mapping(node, "a required statement", required, optional)
    severity = f.pick(fields, "severity", SEVERITIES, "warning")
    speaker = f.pick(fields, "speaker", SPEAKERS, "agent")
    within_s = 0.0
    if "within_s" in fields:
        within_s = f.number(fields["within_s"], "within_s", positive=True)
    return RequiredStatement(
        id=_unique_id(f, fields, first_seen, "required statement"),
        speaker=cast(SpeakerRole, speaker),
        within_s=within_s,
        patterns=_patterns(f, fields.get("patterns"), gap),
        explanation=f.get_text(fields, "explanation"),
        severity=cast(Severity, severity),
    )


def _read_tone(f: YamlFile, node: Node) -> ToneSettings:
    fields = f.mapping(node, "tone", (), ("speaker", *TONE_NUMBERS))
    speaker = f.pick(fields, "speaker", SPEAKERS, "agent")
    defaults = ToneSettings()

    def number(key: str) -> float:
        return f.number(fields[key], key) if key in fields else float(getattr(defaults, key))

    return ToneSettings(cast(SpeakerRole, speaker), *(number(key) for key in TONE_NUMBERS))


def _patterns(f: YamlFile, node: Node | None, gap: int) -> tuple[Pattern, ...]:
    items = f.items(node, "patterns")
    if items == [] and node is not None:
        f.report(node, "patterns is empty: give at least one pattern")
    found: list[Pattern] = []
    for item in items or []:
        text_node: Node = item
        within = gap
        if isinstance(item, MappingNode):
            fields = f.mapping(item, "a pattern", ("pattern",), ("within",))
            if "within" in fields:
                within = f.integer(fields["within"], "within", minimum=1, default=gap)
            if "pattern" not in fields:
                continue
            text_node = fields["pattern"]
        elif not isinstance(item, ScalarNode):
            f.report(item, "a pattern is a string, not a list: quote patterns that start with `[`")
            continue
        text = f.text(text_node, "a pattern")
        try:
            found.append(parse_pattern(text, within, line=f.line(text_node)))
        except PatternError as exc:
            if f.is_string(text_node):  # otherwise f.text has reported the wrong type
                f.report(text_node, exc.message, offset=exc.offset)
    return tuple(found)


def _exclusions(f: YamlFile, node: Node | None) -> tuple[Exclusion, ...]:
    found: list[Exclusion] = []
    for item in f.items(node, "exclusions") or []:
        reported = len(f.problems)
        fields = f.mapping(item, "an exclusion", (), (*FORMS, "window"))
        forms = [form for form in FORMS if form in fields]
        if not forms and len(f.problems) > reported:
            continue  # an unknown form (or not a mapping) was reported already
        if len(forms) != 1:
            got = f"got {' and '.join(forms)}" if forms else "got none"
            f.report(item, f"an exclusion has exactly one of {', '.join(FORMS)}; {got}")
            continue
        kind = forms[0]
        window = 0
        if kind == "utterance" and "window" in fields:
            f.report(fields["window"], "`window` does not apply to `utterance` exclusions")
        elif kind != "utterance" and "window" not in fields:
            f.report(item, f"a `{kind}` exclusion needs `window: N` (units from the match)")
        elif "window" in fields:
            window = f.integer(fields["window"], "window", minimum=0, default=0)
        cues: list[str] = []
        cue_list = fields[kind]
        entries = f.texts(cue_list, f"`{kind}` cues")
        if f.is_null(cue_list) or (isinstance(cue_list, SequenceNode) and not cue_list.value):
            f.report(cue_list, f"`{kind}` has no cues")
        for text, cue_node in entries:
            try:
                cues.extend(parse_cue(text))
            except PatternError as exc:
                f.report(cue_node, exc.message, offset=exc.offset)
        kind_literal = cast(ExclusionKind, kind)
        found.append(Exclusion(kind=kind_literal, cues=tuple(dict.fromkeys(cues)), window=window))
    return tuple(found)
