"""``agent-assist publish``: rule packs and script libraries for every team or one team.

``folder`` publishes a pack or library folder (checked first with the loader the
desktops use) and makes it the version every team's desktops (or, with ``--team``, one
team's) run from their next call; ``versions``, ``activate``, ``rollback`` and ``diff``
manage what is published. Format and behaviour: docs/publishing.md.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeAlias

from agent_assist import app
from agent_assist.errors import UserError
from agent_assist.publishing.bundle import unbundle
from agent_assist.publishing.draft import (
    PACK_FILE,
    SCRIPTS_FILE,
    diff_files,
    read_files,
    shipped_files,
)
from agent_assist.publishing.validate import NOUN, check_folder, identify
from agent_assist.store.database import Database
from agent_assist.store.library_repo import (
    EVERY_TEAM,
    SHIPPED,
    Kind,
    LibraryRepository,
    Published,
)
from agent_assist.store.people_repo import PeopleRepository

# argparse's class is generic only to type checkers, hence the string.
Actions: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"

EXIT_SAME = 0
EXIT_DIFFERENT = 1  # `diff`, as diff(1)
ALL_TEAMS = "all teams"


def register(sub: Actions) -> None:
    parser = sub.add_parser(
        "publish",
        help="trainers: publish rule packs and script libraries to every desktop",
        description="Publish a rule pack or script library folder to the team's database, "
        "list, activate and roll back published versions, compare a folder with them. "
        "A version is active for every team, or with --team for one team's desktops, "
        "which then run it instead of every team's.",
    )
    actions = parser.add_subparsers(dest="publish_action", metavar="ACTION", required=True)

    folder = actions.add_parser(
        "folder",
        help="check and publish a pack or library folder, and make it active",
        description="Publish a rule pack (a folder with pack.yaml) or a script library (a "
        "folder with scripts.yaml) after checking it as the desktops load it.",
    )
    folder.add_argument("path", type=Path, metavar="FOLDER")
    _as(folder)
    folder.add_argument(
        "--version",
        metavar="VERSION",
        help="default: the folder's own version (pack.version / library.version)",
    )
    folder.add_argument(
        "--no-activate", action="store_true", help="publish only; `activate` makes it live later"
    )
    _team(folder)
    folder.set_defaults(func=run_folder)

    versions = actions.add_parser("versions", help="published versions, newest first")
    _ref(versions)
    _team(versions, "mark the version this team's desktops run (default: every team's)")
    versions.set_defaults(func=run_versions)

    activate = actions.add_parser("activate", help="make a published version the live one")
    _ref(activate)
    activate.add_argument("version", metavar="VERSION")
    _as(activate)
    _team(activate)
    activate.set_defaults(func=run_activate)

    rollback = actions.add_parser(
        "rollback",
        help="back to the version published before the live one (or --to)",
        description="Make the version published before the live one live again; from the "
        f"oldest, back to the files shipped with the app. --to {SHIPPED} goes there at once. "
        f"With --team, the team's own version goes back; past the versions newer than every "
        f"team's (or with --to {EVERY_TEAM}), the team follows every team's version again.",
    )
    _ref(rollback)
    rollback.add_argument("--to", metavar=f"VERSION|{SHIPPED}|{EVERY_TEAM}")
    _as(rollback)
    _team(rollback)
    rollback.set_defaults(func=run_rollback)

    diff = actions.add_parser(
        "diff",
        help="a folder against the live version (unified diff)",
        description="Show how a folder differs from the version desktops run now (the "
        "published one, or the shipped files). Exit status 0: the same, 1: different.",
    )
    diff.add_argument("path", type=Path, metavar="FOLDER")
    _team(diff, "against the version this team's desktops run (default: every team's)")
    diff.set_defaults(func=run_diff)


def _team(
    parser: argparse.ArgumentParser,
    what: str = "for this team's desktops only, instead of every team's",
) -> None:
    parser.add_argument("--team", metavar="NAME", help=what)


def _as(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--as", dest="username", metavar="USERNAME", required=True, help="a trainer or admin"
    )


def _ref(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "ref", metavar="ID", help="a pack id (zh-CN) or, with --scripts, a language"
    )
    parser.add_argument(
        "--scripts", action="store_true", help="the script library of ID, not its rule pack"
    )


def run_folder(args: argparse.Namespace) -> int:
    kind = kind_of(args.path)
    # Every problem listed before anything is sent; publishing the text checked here does
    # not load it again.
    found, content = check_folder(kind, args.path)
    version = args.version or found.version

    def publish(db: Database) -> int:
        library = LibraryRepository(db)
        team_id = _team_id(library, args.team)
        before = {v.version: v for v in library.versions(kind, found.ref)}
        actor = PeopleRepository(db).actor(args.username)
        published = library.publish(
            actor,
            kind,
            found.ref,
            version,
            content,
            activate=not args.no_activate,
            team_id=team_id,
        )
        noun = NOUN[kind]
        if published.version in before:
            print(f"{found.ref} {version} was published already with these files ({noun})")
        else:
            print(f"published {found.ref} {version} ({noun}, sha256 {published.sha256[:12]})")
        if args.no_activate:
            team = f" --team {args.team}" if args.team else ""
            print(
                f"not active: `agent-assist publish activate {found.ref} {version}{team}` "
                "makes it live"
            )
        else:
            _print_live(library, published, args.team)
        return 0

    return _with_store(publish)


def run_versions(args: argparse.Namespace) -> int:
    kind = _kind(args)

    def show(db: Database) -> int:
        library = LibraryRepository(db)
        live = library.active(kind, args.ref, team_id=_team_id(library, args.team))
        found = library.versions(kind, args.ref)
        for v in found:
            mark = "*" if live is not None and v.version == live.version else " "
            by = v.publisher or "?"
            when = f"{v.published_at:%Y-%m-%d %H:%M} UTC"
            where = f"  active for {scopes(v)}" if v.active_for else ""
            print(f"{mark} {v.version:<20} {when}  by {by:<16} {v.sha256[:12]}{where}")
        if live is None:
            who = f"team {args.team}" if args.team else args.ref
            print(f"* {who} runs the files shipped with the app")
        elif not found:
            print(f"{args.ref}: nothing published")
        return 0

    return _with_store(show)


def run_activate(args: argparse.Namespace) -> int:
    kind = _kind(args)

    def activate(db: Database) -> int:
        library = LibraryRepository(db)
        team_id = _team_id(library, args.team)
        published = library.activate(
            PeopleRepository(db).actor(args.username), kind, args.ref, args.version, team_id=team_id
        )
        _print_live(library, published, args.team)
        return 0

    return _with_store(activate)


def run_rollback(args: argparse.Namespace) -> int:
    kind = _kind(args)

    def rollback(db: Database) -> int:
        library = LibraryRepository(db)
        team_id = _team_id(library, args.team)
        actor = PeopleRepository(db).actor(args.username)
        back = library.rollback(actor, kind, args.ref, to=args.to, team_id=team_id)
        desktops = next_call(args.team)
        if back is not None:
            print(f"{args.ref} is back to {back.version}: {desktops}")
        elif args.team is None:
            print(f"{args.ref} is back to the files shipped with the app: {desktops}")
        else:
            every = library.active(kind, args.ref)
            runs = "the files shipped with the app" if every is None else every.version
            print(f"team {args.team} follows every team's {args.ref} again ({runs}): {desktops}")
        return 0

    return _with_store(rollback)


def run_diff(args: argparse.Namespace) -> int:
    kind = kind_of(args.path)
    found = identify(kind, args.path)
    mine = read_files(args.path)

    def compare(db: Database) -> int:
        library = LibraryRepository(db)
        live = library.active_content(kind, found.ref, team_id=_team_id(library, args.team))
        if live is None:
            theirs, label = shipped_files(kind, found.ref) or {}, f"{found.ref} (shipped)"
        else:
            theirs, label = unbundle(live.content), f"{found.ref}@{live.meta.version}"
        return write_diff(theirs, mine, label, str(args.path))

    return _with_store(compare)


def write_diff(theirs: dict[str, str], mine: dict[str, str], old: str, new: str) -> int:
    """Print a unified diff per file; 0 when nothing differs."""
    diff = diff_files(theirs, mine, old, new)
    sys.stdout.write(diff)
    return EXIT_DIFFERENT if diff else EXIT_SAME


def next_call(team: str | None) -> str:
    if team is None:
        return "every team's desktops run it from their next call"
    return f"every desktop of team {team} runs it from its next call"


def scopes(version: Published) -> str:
    """Where a version is active, as ``versions`` shows it."""
    return ", ".join(ALL_TEAMS if team is None else team for team in version.active_for)


def _print_live(library: LibraryRepository, published: Published, team: str | None) -> None:
    print(f"{published.ref} {published.version} is live: {next_call(team)}")
    if team is not None:
        return
    kind: Kind = "rule_pack" if published.kind == "rule_pack" else "script_library"
    listed = library.versions(kind, published.ref)
    own = sorted(t for v in listed for t in v.active_for if t is not None)
    if own:
        print(
            f"teams with a version of their own keep it: {', '.join(own)} "
            f"(`agent-assist publish rollback {published.ref} --team NAME --to {EVERY_TEAM}` "
            "makes one follow)"
        )


def _team_id(library: LibraryRepository, name: str | None) -> int | None:
    return None if name is None else library.team_named(name).id


def kind_of(folder: Path) -> Kind:
    """A rule pack holds pack.yaml, a script library scripts.yaml."""
    if (folder / PACK_FILE).is_file():
        return "rule_pack"
    if (folder / SCRIPTS_FILE).is_file():
        return "script_library"
    raise UserError(
        f"{folder} is neither a rule pack (no {PACK_FILE}) nor a script library (no "
        f"{SCRIPTS_FILE}); give the folder that holds one of them"
    )


def _kind(args: argparse.Namespace) -> Kind:
    return "script_library" if args.scripts else "rule_pack"


def _with_store(work: Callable[[Database], int]) -> int:
    db = app.open_store()
    try:
        return work(db)
    finally:
        db.close()
