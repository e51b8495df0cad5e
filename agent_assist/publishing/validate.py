"""Checking what is published with the loaders the desktops use, so a broken version is
refused at the trainer's desk and never reaches a call.

A folder is checked as the files it would publish (its bundle), through the same check
as the trainer's editor (:mod:`agent_assist.publishing.draft`): both list the same
problems, worded the same. Loading a pack takes a while, so the texts found good are
remembered by their SHA-256: publishing the bundle just checked does not load it again.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from agent_assist.errors import UserError
from agent_assist.publishing.bundle import bundle, unbundle
from agent_assist.publishing.draft import (
    SCRIPTS_FILE,
    DraftProblem,
    check_library,
    check_pack,
)
from agent_assist.rules.taxonomy import load_taxonomy
from agent_assist.store.library_repo import Kind, content_digest

NOUN = {"rule_pack": "rule pack", "script_library": "script library"}
_REMEMBERED = 8  # bundles found good: a trainer publishes one or two at a time


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
    return check_folder(kind, folder)[0]


def check_folder(kind: Kind, folder: Path) -> tuple[Identity, str]:
    """:func:`identify`, with the bundle it checked: the text to publish (publishing it
    does not load it again)."""
    if kind == "script_library" and not (folder / SCRIPTS_FILE).is_file():
        raise UserError(f"{folder} has no {SCRIPTS_FILE}: give the script library's folder")
    # A pack's folder is named after its id: the loader checks the two agree.
    name = folder.resolve().name
    content = bundle(folder)
    return _checked(kind, name, content), content


def check_content(kind: Kind, ref: str, content: str) -> Identity:
    """Load a bundle as ``ref``; raises a UserError saying what is wrong (its loader's
    problems, or an id other than ``ref``)."""
    found = _checked(kind, ref, content)
    if found.ref != ref:
        raise UserError(
            f"the {NOUN[kind]} says it is {found.ref!r}, not {ref!r}: publish it as {found.ref}"
        )
    return found


_good: OrderedDict[tuple[str, str, str], Identity] = OrderedDict()  # newest last
_good_lock = threading.Lock()  # publishing checks on worker threads


def _checked(kind: Kind, name: str, content: str) -> Identity:
    """What ``_check`` says of the bundle ``content`` loaded as ``name``; the same text
    found good before under the same kind and name is not loaded again."""
    # A pack is loaded as the folder ``name``, which must be its id; a library's ``name``
    # only words its problems.
    key = (kind, name if kind == "rule_pack" else "", content_digest(content))
    with _good_lock:
        found = _good.get(key)
        if found is not None:
            _good.move_to_end(key)
            return found
    found = _check(kind, name, unbundle(content))  # outside the lock: it takes a while
    with _good_lock:
        _good[key] = found
        while len(_good) > _REMEMBERED:
            _good.popitem(last=False)
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
