"""What a desktop runs at a call start: its team's active version of a rule pack or script
library (the team's own, else every team's), unpacked once into the data folder, or the
files shipped with the app.

Each call start asks the database one question (the active version's id and SHA-256, by
an indexed key); a version is fetched and unpacked only the first time it is seen, under
``<data>/published/<kind>/<ref>/<sha256>/<ref>/`` (a pack's folder is named after its id),
so a repeated version costs nothing more and ``app.compiled_pack`` compiles it once. A
database that is away never stops a call: the last version unpacked is used (or the
shipped files), and the server is not asked again for ``RETRY_S``, so calls do not wait
on its timeout one after another.

The version last seen is kept in a pointer per scope (``active.json`` for desktops
without a team, ``active-team-<id>.json`` for a team's), so users of two teams sharing one
data folder never follow each other's version when the database is away. When a new
version is unpacked, older ones of the same ref are deleted, except the version active
before it (a call that started on it may still read its files) and the versions any
pointer names now or named just before (another process sharing the data folder may run
them).
"""

from __future__ import annotations

import json
import logging
import re
import shutil
import threading
import time
import weakref
from pathlib import Path
from typing import overload

from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from agent_assist import paths
from agent_assist.errors import UserError
from agent_assist.publishing.bundle import write_bundle
from agent_assist.store.database import Database
from agent_assist.store.library_repo import Kind, LibraryRepository
from agent_assist.store.migrate import one_line

log = logging.getLogger(__name__)

POINTER = "active.json"  # the version last seen active, for when the database is away
_POINTERS = "active*.json"  # every scope's pointer
RETRY_S = 30.0
_unpacking = threading.Lock()  # one thread unpacks a version; the others then find it
_SHA256 = re.compile(r"[0-9a-f]{64}")
_away_since: weakref.WeakKeyDictionary[Database, float] = weakref.WeakKeyDictionary()


def published_dir() -> Path:
    return paths.data_dir() / "published"


def pointer_name(team_id: int | None) -> str:
    """The pointer file of a scope: desktops without a team follow every team's version."""
    return POINTER if team_id is None else f"active-team-{team_id}.json"


def followed_refs(kind: Kind) -> tuple[str, ...]:
    """The ids desktops follow published versions of: the rule packs shipped with the app
    (``pack_for_call``), the languages with a shipped script library (``scripts_for_call``)."""
    from agent_assist.rules.registry import bundled_packs

    if kind == "rule_pack":
        return bundled_packs()
    folder = paths.resources_dir() / "scripts"
    if not folder.is_dir():
        return ()
    return tuple(sorted(p.name for p in folder.iterdir() if (p / "scripts.yaml").is_file()))


def active_folder(
    db: Database | None,
    kind: Kind,
    ref: str,
    *,
    root: Path | None = None,
    team_id: int | None = None,
) -> Path | None:
    """The folder of the version of ``ref`` the desktops of ``team_id`` run (the team's
    own, else every team's); None: the shipped files."""
    if db is None:
        return None
    home = (root or published_dir()) / kind / ref
    pointer = home / pointer_name(team_id)
    since = _away_since.get(db)
    if since is not None and time.monotonic() - since < RETRY_S:
        return _last_known(pointer, ref)
    try:
        folder = _follow(LibraryRepository(db), kind, ref, pointer, team_id)
    except SQLAlchemyError as exc:
        _away_since[db] = time.monotonic()
        why = _first_line(exc)
        log.warning("the database did not answer (%s); %s", why, _fallback(pointer, ref))
        return _last_known(pointer, ref)
    except (UserError, OSError) as exc:
        why = _fallback(pointer, ref)
        log.warning("the active %s could not be unpacked (%s); %s", ref, exc, why)
        return _last_known(pointer, ref)
    _away_since.pop(db, None)
    return folder


@overload
def pack_for_call(
    db: Database | None, spec: str, *, root: Path | None = None, team_id: int | None = None
) -> str: ...
@overload
def pack_for_call(
    db: Database | None, spec: None, *, root: Path | None = None, team_id: int | None = None
) -> None: ...
def pack_for_call(
    db: Database | None, spec: str | None, *, root: Path | None = None, team_id: int | None = None
) -> str | None:
    """The pack a call runs for ``spec``: a bundled id follows the active version of the
    desktop's team (``team_id``; None: every team's); a folder named explicitly (a trainer
    trying one out), "none" and None are kept as given."""
    if spec is None or spec not in followed_refs("rule_pack"):
        return spec
    folder = active_folder(db, "rule_pack", spec, root=root, team_id=team_id)
    return spec if folder is None else str(folder)


def scripts_for_call(
    db: Database | None, language: str, *, root: Path | None = None, team_id: int | None = None
) -> Path:
    """The folder of the script library a call in ``language`` shows (``scripts.yaml``, and
    ``messages.yaml`` with the bank's stage mapping), as ``pack_for_call`` picks a pack."""
    folder = active_folder(db, "script_library", language, root=root, team_id=team_id)
    return folder if folder is not None else paths.resources_dir() / "scripts" / language


def version_family(folder: Path) -> Path:
    """What the versions of one pack or library share: ``<kind>/<ref>`` for an unpacked
    published version, else the folder itself (shipped files, a folder named explicitly)."""
    sha, home = folder.parent, folder.parent.parent
    return home if _SHA256.fullmatch(sha.name) and home.name == folder.name else folder


def _follow(
    library: LibraryRepository, kind: Kind, ref: str, pointer: Path, team_id: int | None
) -> Path | None:
    active = library.active(kind, ref, team_id=team_id)
    if active is None:
        pointer.unlink(missing_ok=True)
        return None
    home = pointer.parent
    folder = home / active.sha256 / ref
    with _unpacking:
        before = _read_pointer(pointer)
        unpacked = not folder.is_dir()
        if unpacked:
            write_bundle(library.content(kind, ref, active.version).content, folder)
            log.info("unpacked %s %s into %s", ref, active.version, folder)
        seen = {"version": active.version, "sha256": active.sha256}
        if before is not None and before.get("sha256") not in (None, active.sha256):
            seen["previous"] = before["sha256"]  # other scopes' removals keep it too
        elif before is not None and before.get("previous"):
            seen["previous"] = before["previous"]
        if before != seen:
            paths.write_atomically(pointer, json.dumps(seen))
        if unpacked:
            _remove_old_versions(home, active.sha256, before)
    return folder


def _remove_old_versions(home: Path, active: str, before: dict[str, str] | None) -> None:
    """Delete the unpacked versions in ``home`` but ``active``, the one active before it
    and those any scope's pointer names (now or just before). Another process may be
    deleting or reading the same folders: a failure is logged, never raised."""
    try:
        versions = [p for p in home.iterdir() if p.is_dir() and _SHA256.fullmatch(p.name)]
        versions.sort(key=lambda p: p.stat().st_mtime_ns, reverse=True)
        pointers = [_read_pointer(p) for p in home.glob(_POINTERS)]
    except OSError as exc:
        log.warning("old versions in %s were not looked at (%s)", home, exc)
        return
    keep = {active}
    if before is not None and before.get("sha256"):
        keep.add(before["sha256"])
    for seen in pointers:  # this scope's (just written) and the other scopes'
        if seen is not None:
            keep.update(sha for sha in (seen.get("sha256"), seen.get("previous")) if sha)
    others = [p.name for p in versions if p.name != active]
    if len(keep) == 1 and others:
        # Nothing said which version ran before (the shipped files did, or the pointer was
        # lost): the one unpacked last stands for it.
        keep.add(others[0])
    for old in versions:
        if old.name in keep:
            continue
        try:
            shutil.rmtree(old)
        except OSError as exc:
            log.warning("the old version %s was not removed (%s)", old, exc)
        else:
            log.info("removed the old version %s", old)


def _last_known(pointer: Path, ref: str) -> Path | None:
    seen = _read_pointer(pointer)
    if seen is None:
        return None
    folder = pointer.parent / seen.get("sha256", "") / ref
    return folder if seen.get("sha256") and folder.is_dir() else None


def _fallback(pointer: Path, ref: str) -> str:
    folder = _last_known(pointer, ref)
    return f"using the last active version ({folder})" if folder else "using the shipped files"


def _read_pointer(pointer: Path) -> dict[str, str] | None:
    try:
        seen = json.loads(pointer.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return seen if isinstance(seen, dict) else None


def _first_line(exc: SQLAlchemyError) -> str:
    # The driver's own words; SQLAlchemy's message adds the statement and its parameters.
    return one_line(exc.orig) if isinstance(exc, DBAPIError) else type(exc).__name__
