"""Checking what is published with the loaders the desktops use, so a broken version is
refused at the trainer's desk and never reaches a call.

A folder is checked as the files it would publish (its bundle), through the same check
as the trainer's editor (:mod:`agent_assist.publishing.draft`): both list the same
problems, worded the same.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from agent_assist.errors import UserError
from agent_assist.publishing.bundle import unbundle
from agent_assist.publishing.draft import (
    SCRIPTS_FILE,
    DraftProblem,
    check_library,
    check_pack,
    read_files,
)
from agent_assist.rules.taxonomy import load_taxonomy

if TYPE_CHECKING:
    from agent_assist.store.library_repo import Kind

NOUN = {"rule_pack": "rule pack", "script_library": "script library"}


class InvalidVersion(UserError):
    """A pack or library the loader refuses; ``problems`` lists every one, paths relative
    to the pack or library folder."""

    def __init__(self, what: str, problems: tuple[DraftProblem, ...]) -> None:
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
    """Load the files ``folder`` would publish with the real loaders and say what they are;
    raises :class:`InvalidVersion` (every problem, ``file:line:col: message``) when a
    desktop would refuse them."""
    if kind == "script_library" and not (folder / SCRIPTS_FILE).is_file():
        raise UserError(f"{folder} has no {SCRIPTS_FILE}: give the script library's folder")
    # A pack's folder is named after its id: the loader checks the two agree.
    name = folder.resolve().name
    return _check(kind, name, read_files(folder))


def check_content(kind: Kind, ref: str, content: str) -> Identity:
    """Load a bundle as ``ref``; raises a UserError saying what is wrong (its loader's
    problems, or an id other than ``ref``)."""
    found = _check(kind, ref, unbundle(content))
    if found.ref != ref:
        raise UserError(
            f"the {NOUN[kind]} says it is {found.ref!r}, not {ref!r}: publish it as {found.ref}"
        )
    return found


def _check(kind: Kind, name: str, files: Mapping[str, str]) -> Identity:
    if kind == "rule_pack":
        pack = check_pack(files, name)
        if pack.pack is not None:
            return Identity(pack.pack.info.id, pack.pack.info.version)
        problems = pack.problems
    else:
        library = check_library(files, load_taxonomy().keys())
        if library.library is not None:
            return Identity(library.library.language, library.library.version)
        problems = library.problems
    raise InvalidVersion(f"the {NOUN[kind]} {name}", problems)
