"""A rule pack or script library being edited: its files held in memory, checked by the real
loaders, compared with what was published, and saved. Publishing checks a folder or a
bundle through the same functions (``validate``), so the trainer's editor, ``agent-assist
publish`` and the database refuse exactly the same things.

A draft is checked by writing it to a temporary folder and loading it there, so the
trainer's editor reports exactly what ``agent-assist rules check`` and a desktop would
(the loaders read files; a second, in-memory reader would drift from them). A draft's
files are those publishing bundles: every ``*.yaml`` of the folder. A pack of
about 90 rules checks in some 200 ms: fast enough to run on a worker thread after each
pause in typing.
"""

from __future__ import annotations

import difflib
import tempfile
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from agent_assist.compliance import policy
from agent_assist.compliance.policy import PolicyError, load_policy
from agent_assist.messaging import templates
from agent_assist.messaging.templates import TemplateError
from agent_assist.messaging.templates import load_library as load_messages
from agent_assist.paths import write_atomically
from agent_assist.publishing.bundle import bundle, stays_inside, unbundle
from agent_assist.rules.loader import PackError, load_pack
from agent_assist.rules.model import RulePack
from agent_assist.rules.registry import packs_dir
from agent_assist.rules.taxonomy import Category
from agent_assist.rules.yamlfile import Problem
from agent_assist.script_library import loader as scripts
from agent_assist.script_library.loader import ScriptLibraryError, library_path, load_library
from agent_assist.script_library.model import ScriptLibrary

if TYPE_CHECKING:
    from agent_assist.store.library_repo import Kind

# A draft's files: path relative to the pack folder, with forward slashes → text.
Files = Mapping[str, str]

# The files a pack or library folder is known by, as their loaders name them.
PACK_FILE = "pack.yaml"
RULES_FOLDER = "rules"
POLICY_FILE = policy.FILE
SCRIPTS_FILE = scripts.FILE_NAME
MESSAGES_FILE = templates.FILE_NAME


@dataclass(frozen=True, slots=True)
class DraftProblem:
    """A problem at a place in one of the draft's files (``file`` relative, 1-based line/col)."""

    file: str
    line: int
    col: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}: {self.message}"


@dataclass(frozen=True, slots=True)
class PackCheck:
    pack: RulePack | None  # None when there are problems: a broken pack never half-loads
    problems: tuple[DraftProblem, ...]


@dataclass(frozen=True, slots=True)
class LibraryCheck:
    library: ScriptLibrary | None
    problems: tuple[DraftProblem, ...]


def read_files(folder: Path) -> dict[str, str]:
    """The folder's files as a draft: the same files publishing bundles (every ``*.yaml``)."""
    return unbundle(bundle(folder))


def check_pack(
    files: Files, pack_id: str, taxonomy: Mapping[str, Category] | None = None
) -> PackCheck:
    """Load the draft ``files`` of pack ``pack_id`` with the real loaders; every problem found."""
    with tempfile.TemporaryDirectory(prefix="agent-assist-draft-") as temp:
        folder = Path(temp) / pack_id  # the loader checks the pack id against its folder name
        _write_all(folder, files)
        (folder / RULES_FOLDER).mkdir(exist_ok=True)
        pack: RulePack | None = None
        problems: list[Problem] = []
        try:
            pack = load_pack(folder, taxonomy)
        except PackError as exc:
            problems += exc.problems
        if POLICY_FILE in files:
            try:
                load_policy(folder)
            except PolicyError as exc:
                problems += exc.problems
        return PackCheck(None if problems else pack, _relative(folder, problems))


def check_library(files: Files, cue_ids: Collection[str]) -> LibraryCheck:
    """Load a draft script library (scripts.yaml, messages.yaml) with the real loaders."""
    with tempfile.TemporaryDirectory(prefix="agent-assist-draft-") as temp:
        folder = Path(temp)
        _write_all(folder, files)
        library: ScriptLibrary | None = None
        problems: list[Problem] = []
        try:
            library = load_library(folder / SCRIPTS_FILE, cue_ids)
        except ScriptLibraryError as exc:
            problems += exc.problems
        if MESSAGES_FILE in files:
            try:
                load_messages(folder / MESSAGES_FILE)
            except TemplateError as exc:
                problems += exc.problems
        return LibraryCheck(None if problems else library, _relative(folder, problems))


def save_files(folder: Path, files: Files) -> None:
    """Write each file atomically: a crash mid-save leaves every file whole, old or new."""
    for rel, text in files.items():
        path = folder / _safe(rel)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, text, newline="", fsync=True)


def diff_files(published: Files, draft: Files, old: str = "published", new: str = "draft") -> str:
    """A unified diff of every file that differs (added and removed files included), the
    two sides' paths under ``old`` and ``new``."""
    chunks: list[str] = []
    for rel in sorted(published.keys() | draft.keys()):
        before, after = published.get(rel), draft.get(rel)
        if before == after:
            continue
        lines = difflib.unified_diff(
            (before or "").splitlines(keepends=True),
            (after or "").splitlines(keepends=True),
            fromfile=f"{old}/{rel}" if before is not None else "/dev/null",
            tofile=f"{new}/{rel}" if after is not None else "/dev/null",
        )
        # A last line without its newline may be followed by the other side's lines.
        chunks.extend(
            line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
            for line in lines
        )
    return "".join(chunks)


def shipped_files(kind: Kind, ref: str) -> dict[str, str] | None:
    """The files shipped with the app under ``ref`` (what desktops run while nothing is
    published); None when the app ships nothing under that id."""
    folder = packs_dir() / ref if kind == "rule_pack" else library_path(ref).parent
    return read_files(folder) if folder.is_dir() else None


def _safe(rel: str) -> PurePosixPath:
    """``rel`` as a path inside the folder; anything else is a defect of the caller (a
    draft's paths come from :func:`read_files`)."""
    if not stays_inside(rel):
        raise ValueError(f"not a path inside the pack folder: {rel!r}")
    return PurePosixPath(rel)


def _write_all(folder: Path, files: Files) -> None:
    for rel, text in files.items():
        path = folder / _safe(rel)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _relative(folder: Path, problems: list[Problem]) -> tuple[DraftProblem, ...]:
    return tuple(DraftProblem(_rel(folder, p.path), p.line, p.col, p.message) for p in problems)


def _rel(folder: Path, path: Path) -> str:
    try:
        return path.relative_to(folder).as_posix()
    except ValueError:
        return path.name
