"""Checking what is published with the loaders the desktops use, so a broken version is
refused at the trainer's desk and never reaches a call."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from agent_assist.errors import UserError
from agent_assist.publishing.bundle import write_bundle
from agent_assist.rules.yamlfile import Problem

if TYPE_CHECKING:
    from agent_assist.store.library_repo import Kind

SCRIPTS_FILE = "scripts.yaml"
MESSAGES_FILE = "messages.yaml"
POLICY_FILE = "contact_policy.yaml"
NOUN = {"rule_pack": "rule pack", "script_library": "script library"}


class InvalidVersion(UserError):
    """A pack or library the loader refuses; ``problems`` lists every one, paths relative
    to the pack or library folder."""

    def __init__(self, what: str, problems: tuple[Problem, ...]) -> None:
        self.problems = problems
        count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        lines = "\n".join(str(problem) for problem in problems)
        super().__init__(
            f"{what} was not published ({count}); fix them and publish again:\n{lines}"
        )


@dataclass(frozen=True)
class Identity:
    """What a folder says it is: the id it is published under and its own version."""

    ref: str  # the pack id, or the script library's language
    version: str


def identify(kind: Kind, folder: Path) -> Identity:
    """Load ``folder`` with the real loader and say what it is; raises :class:`InvalidVersion`
    (every problem, ``file:line:col: message``) when a desktop would refuse it."""
    try:
        return _load(kind, folder)
    except UserError as exc:
        problems: tuple[Problem, ...] | None = getattr(exc, "problems", None)
        if not problems:
            raise
        shown = tuple(_relative(problem, folder) for problem in problems)
        raise InvalidVersion(f"the {NOUN[kind]} {folder.name}", shown) from None


def check_content(kind: Kind, ref: str, content: str) -> Identity:
    """Unpack a bundle beside nothing else and load it as ``ref``; raises a UserError saying
    what is wrong (its loader's problems, or an id other than ``ref``)."""
    with tempfile.TemporaryDirectory(prefix="agent-assist-publish-") as scratch:
        # A pack's folder is named after its id: the loader checks the two agree.
        folder = Path(scratch) / ref
        write_bundle(content, folder)
        found = identify(kind, folder)
    if found.ref != ref:
        raise UserError(
            f"the {NOUN[kind]} says it is {found.ref!r}, not {ref!r}: publish it as {found.ref}"
        )
    return found


def _load(kind: Kind, folder: Path) -> Identity:
    # Imported here: the loaders pull in the matcher's text tools, which CLI commands
    # without publishing do not need.
    from agent_assist.rules.taxonomy import load_taxonomy

    if kind == "rule_pack":
        from agent_assist.compliance.policy import load_policy
        from agent_assist.rules.loader import load_pack

        pack = load_pack(folder)
        if (folder / POLICY_FILE).is_file():
            load_policy(folder)
        return Identity(pack.info.id, pack.info.version)
    from agent_assist.messaging.templates import load_library as load_messages
    from agent_assist.script_library import load_library

    if not (folder / SCRIPTS_FILE).is_file():
        raise UserError(f"{folder} has no {SCRIPTS_FILE}: give the script library's folder")
    library = load_library(folder / SCRIPTS_FILE, load_taxonomy().keys())
    if (folder / MESSAGES_FILE).is_file():
        load_messages(folder / MESSAGES_FILE)
    return Identity(library.language, library.version)


def _relative(problem: Problem, folder: Path) -> Problem:
    try:
        path = problem.path.relative_to(folder)
    except ValueError:
        return problem
    return Problem(path, problem.line, problem.col, problem.message)
