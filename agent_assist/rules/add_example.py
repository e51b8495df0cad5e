"""Adding an example sentence to a rule's ``examples`` in its pack file, the file otherwise
kept byte for byte: its comments, quoting, indentation and line endings.

The new line goes where the YAML parser's marks say the rule's example list ends.
(A whole-file round trip through ruamel.yaml would re-indent every rule of the bundled
packs: it cannot tell a top-level ``- id:`` list from the ones nested in a rule.) The
file is replaced atomically, the pack loaded again with the real loader, and the file
restored if it does not load. Then the example is run through the matcher the way
``agent-assist rules test`` runs it, so the trainer learns at once whether the rule
already does what the example declares.
"""

from __future__ import annotations

import difflib
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import get_args

import yaml
from yaml import MappingNode, Node, ScalarNode, SequenceNode

from agent_assist.errors import UserError
from agent_assist.paths import write_atomically
from agent_assist.rules.loader import PackError, load_pack
from agent_assist.rules.model import ExampleKind, Rule, RulePack
from agent_assist.rules.taxonomy import Category

EXAMPLE_KINDS: tuple[str, ...] = get_args(ExampleKind)
_BOM = "\ufeff"
_WIDE = sys.maxsize  # never fold an example over two lines


@dataclass(frozen=True)
class AddedExample:
    rule_id: str
    kind: ExampleKind
    text: str  # as written into the file (white space runs made single spaces)
    file: Path
    added: bool  # False: the rule had this example already
    behaves: bool  # the rule fires on it (should_flag) or does not (should_not_flag)

    @property
    def advice(self) -> str:
        """What the trainer does next when the example does not behave yet."""
        if self.behaves:
            return ""
        if self.kind == "should_not_flag":
            return (
                f"{self.rule_id} still flags this sentence: give the rule an exclusion (or a "
                "narrower pattern) so that `agent-assist rules test` passes"
            )
        return (
            f"{self.rule_id} does not flag this sentence yet: add a pattern that covers it "
            "so that `agent-assist rules test` passes"
        )


def add_example(
    folder: Path,
    rule_id: str,
    kind: str,
    text: str,
    *,
    taxonomy: Mapping[str, Category] | None = None,
) -> AddedExample:
    """Add ``text`` to the ``kind`` examples of ``rule_id`` in the pack in ``folder``."""
    if kind not in EXAMPLE_KINDS:
        raise UserError(f"an example is {' or '.join(EXAMPLE_KINDS)}, not {kind!r}")
    example_kind: ExampleKind = "should_flag" if kind == "should_flag" else "should_not_flag"
    words = " ".join(text.split())
    if not words:
        raise UserError("the example is empty: give the words of the sentence")
    try:
        pack = load_pack(folder, taxonomy)
    except PackError as exc:
        raise UserError(f"{exc}\nFix the pack first, then add the example.") from None
    rule = _rule(pack, rule_id)
    path = folder / rule.file
    added = words not in getattr(rule.examples, example_kind)
    if added:
        original = path.read_bytes()
        source = original.decode("utf-8")  # the loader read it, so it is UTF-8
        bom = _BOM if source.startswith(_BOM) else ""
        edited = bom + with_example(source.removeprefix(_BOM), rule_id, example_kind, words)
        write_atomically(path, edited.encode("utf-8"), fsync=True, keep_mode=True)
        try:
            pack = load_pack(folder, taxonomy)
        except PackError as exc:
            write_atomically(path, original, fsync=True, keep_mode=True)
            raise UserError(
                f"adding the example would break the pack, so {rule.file} was left as it "
                f"was:\n{exc}"
            ) from None
    return AddedExample(
        rule_id, example_kind, words, path, added, _behaves(pack, rule_id, example_kind, words)
    )


def with_example(source: str, rule_id: str, kind: ExampleKind, words: str) -> str:
    """``source`` (a rules file's text) with ``words`` appended to the rule's ``kind``."""
    rule = _rule_node(yaml.compose(source, Loader=yaml.SafeLoader), rule_id)
    newline = "\r\n" if "\r\n" in source else "\n"
    examples = _value(rule, "examples")
    if examples is None:
        indent = " " * rule.start_mark.column
        block = ["examples:", f"  {kind}:", f"    - {_block_scalar(words)}"]
        return _insert_after(source, _last_line(rule), [indent + b for b in block], newline)
    if _is_null(examples):
        return _replace_node(source, examples, "{" + f"{kind}: [{_flow_scalar(words)}]" + "}")
    if not isinstance(examples, MappingNode):
        raise UserError(f"the examples of {rule_id} are not a mapping: fix the rule first")
    listed = _value(examples, kind)
    if listed is not None:
        return _append(source, listed, f"{kind} of {rule_id}", words, newline)
    if examples.flow_style:
        return _flow_append(source, examples, f"{kind}: [{_flow_scalar(words)}]")
    indent = " " * examples.start_mark.column
    block = [f"{kind}:", f"  - {_block_scalar(words)}"]
    return _insert_after(source, _last_line(examples), [indent + b for b in block], newline)


def _append(source: str, listed: Node, what: str, words: str, newline: str) -> str:
    """``words`` added at the end of the example list ``listed``."""
    if _is_null(listed):
        return _replace_node(source, listed, f"[{_flow_scalar(words)}]")
    if not isinstance(listed, SequenceNode):
        raise UserError(f"{what} is not a list: fix the rule first")
    if listed.flow_style or not listed.value:
        return _flow_append(source, listed, _flow_scalar(words))
    line = " " * listed.start_mark.column + "- " + _block_scalar(words)
    return _insert_after(source, _last_line(listed), [line], newline)


def _rule(pack: RulePack, rule_id: str) -> Rule:
    for rule in pack.rules:
        if rule.id == rule_id:
            return rule
    close = difflib.get_close_matches(rule_id, [r.id for r in pack.rules], n=3, cutoff=0.6)
    hint = f"did you mean {' or '.join(close)}?" if close else "check the rule's id"
    raise UserError(f"pack {pack.info.id} has no rule {rule_id!r}; {hint}")


def _rule_node(root: Node | None, rule_id: str) -> MappingNode:
    if isinstance(root, SequenceNode):
        for item in root.value:
            id_node = _value(item, "id") if isinstance(item, MappingNode) else None
            if isinstance(id_node, ScalarNode) and id_node.value == rule_id:
                assert isinstance(item, MappingNode)
                return item
    raise UserError(f"rule {rule_id} is not in its file any more: reload the pack")


def _value(mapping: MappingNode, key: str) -> Node | None:
    for key_node, value in mapping.value:
        if isinstance(key_node, ScalarNode) and key_node.value == key:
            found: Node = value
            return found
    return None


def _is_null(node: Node) -> bool:
    return isinstance(node, ScalarNode) and node.tag == "tag:yaml.org,2002:null"


def _last_line(node: Node) -> int:
    """The 0-based line where ``node``'s last scalar ends. A collection's own end mark
    may lie past the comments that follow it; its last scalar's does not."""
    while True:
        if isinstance(node, MappingNode) and node.value:
            node = node.value[-1][1]
        elif isinstance(node, SequenceNode) and node.value:
            node = node.value[-1]
        else:
            break
    end = node.end_mark
    return end.line - 1 if end.column == 0 and end.line > node.start_mark.line else end.line


def _insert_after(source: str, line: int, new: list[str], newline: str) -> str:
    lines = source.splitlines(keepends=True)
    if lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += newline
    lines[line + 1 : line + 1] = [text + newline for text in new]
    return "".join(lines)


def _replace_node(source: str, node: Node, text: str) -> str:
    start, end = node.start_mark.index, node.end_mark.index
    return source[:start] + (" " if start == end else "") + text + source[end:]


def _flow_append(source: str, node: Node, entry: str) -> str:
    """Add ``entry`` before the closing bracket of a flow list or mapping."""
    assert isinstance(node, SequenceNode | MappingNode)
    close = node.end_mark.index - 1
    separator = ", " if node.value else ""
    return source[:close] + separator + entry + source[close:]


def _block_scalar(words: str) -> str:
    """``words`` as a list item in block style: plain when YAML allows, quoted otherwise."""
    item: str = yaml.safe_dump([words], allow_unicode=True, width=_WIDE, default_flow_style=False)
    return item.removeprefix("- ").rstrip("\n")


def _flow_scalar(words: str) -> str:
    quoted: str = yaml.safe_dump(words, allow_unicode=True, width=_WIDE, default_style='"')
    return quoted.rstrip("\n")


def _behaves(pack: RulePack, rule_id: str, kind: ExampleKind, words: str) -> bool:
    # Imported here: the matcher's text tools take a while to import, and only this needs them.
    from agent_assist.rules.explain import example_speaker
    from agent_assist.rules.matcher import compile_pack
    from agent_assist.rules.quality import scan

    speaker = example_speaker(_rule(pack, rule_id))
    fired = rule_id in {flag.rule_id for flag in scan(compile_pack(pack), words, speaker)}
    return fired if kind == "should_flag" else not fired
