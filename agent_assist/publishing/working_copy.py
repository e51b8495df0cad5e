"""A trainer's working copy of a rule pack or script library: the folder the trainer window
edits, so the files installed with the app are never changed.

A working copy lives under ``<data>/drafts/<kind>/<ref>/`` (a pack's folder is named after
its id, as the loader wants). It is made on first use from the team's active published
version, or else from the shipped files, and then kept: it is the trainer's draft until
they publish it. What it was made from is noted beside its files (a hidden file, which
publishing leaves out), so the window can say so.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from agent_assist import paths
from agent_assist.errors import UserError
from agent_assist.publishing.bundle import bundle, write_bundle
from agent_assist.publishing.validate import NOUN
from agent_assist.store.library_repo import SHIPPED, Kind, LibraryRepository

log = logging.getLogger(__name__)

ORIGIN_FILE = ".working-copy.json"  # hidden: bundle() and so publishing skip it
_LAST_NUMBER = re.compile(r"(\d+)(?!.*\d)")


@dataclass(frozen=True)
class WorkingCopy:
    kind: Kind
    ref: str  # the pack id, or the library's language: what it is published under
    folder: Path
    # The published version it was made from, SHIPPED for the shipped files, None when not
    # recorded (a folder made by hand, or its note lost).
    started_from: str | None
    made_now: bool


def drafts_dir() -> Path:
    return paths.data_dir() / "drafts"


def open_working_copy(
    library: LibraryRepository,
    kind: Kind,
    ref: str,
    shipped: Path | None,
    *,
    root: Path | None = None,
) -> WorkingCopy:
    """The working copy of ``ref``, made now if there is none: from the active published
    version, else from the ``shipped`` folder."""
    folder = (root or drafts_dir()) / kind / ref
    if folder.is_dir():
        return WorkingCopy(kind, ref, folder, _read_origin(folder), made_now=False)
    active = library.active_content(kind, ref)
    if active is not None:
        content, started_from = active.content, active.meta.version
    elif shipped is not None and shipped.is_dir():
        content, started_from = bundle(shipped), SHIPPED
    else:
        raise UserError(
            f"nothing to start a working copy of the {NOUN[kind]} {ref} from: it is neither "
            "published nor shipped with the app; open its folder instead"
        )
    write_bundle(content, folder)  # whole or not at all
    _write_origin(folder, started_from)
    log.info("made the working copy %s from %s", folder, started_from)
    return WorkingCopy(kind, ref, folder, started_from, made_now=True)


def suggest_version(own: str, published: Collection[str]) -> str:
    """The version to publish a draft under: its own, or if that one is taken, its last
    number raised (``2026.11.1`` → ``2026.11.2``; ``.1`` added when it has no number)
    until the version is free."""
    version = own.strip() or "1"
    while version in published:
        if _LAST_NUMBER.search(version):
            version = _LAST_NUMBER.sub(lambda m: str(int(m.group(1)) + 1), version, count=1)
        else:
            version = f"{version}.1"
    return version


def _write_origin(folder: Path, started_from: str) -> None:
    paths.write_atomically(folder / ORIGIN_FILE, json.dumps({"started_from": started_from}))


def _read_origin(folder: Path) -> str | None:
    try:
        note = json.loads((folder / ORIGIN_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    found = note.get("started_from") if isinstance(note, dict) else None
    return found if isinstance(found, str) and found else None
