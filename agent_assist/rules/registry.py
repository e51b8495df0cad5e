"""Finding rule packs, and holding the active one across edits and reloads.

A pack is named either by a bundled id (``zh-CN``, ``en-US``: a folder under
``resources/packs``) or by the path of any folder holding a ``pack.yaml``.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from pathlib import Path

from agent_assist.errors import UserError
from agent_assist.paths import resources_dir
from agent_assist.rules.loader import PackError, Problem, load_pack
from agent_assist.rules.model import RulePack
from agent_assist.rules.taxonomy import Category


def packs_dir() -> Path:
    return resources_dir() / "packs"


def bundled_packs() -> tuple[str, ...]:
    """Ids of the packs shipped with the app, sorted."""
    folder = packs_dir()
    if not folder.is_dir():
        return ()
    return tuple(sorted(p.name for p in folder.iterdir() if (p / "pack.yaml").is_file()))


def resolve_pack(spec: str) -> Path:
    """The folder of the pack named by ``spec``: a bundled id first, else a folder path.

    A bundled id wins over a same-named folder in the working directory; write
    ``./zh-CN`` to mean the folder. A path to a ``pack.yaml`` means its folder.
    """
    bundled = bundled_packs()
    if spec in bundled:  # membership, so "../x" can never escape the packs folder
        return packs_dir() / spec
    path = Path(spec).expanduser()
    if path.is_file() and path.name == "pack.yaml":
        return path.parent
    if path.is_dir():
        return path
    known = ", ".join(bundled) if bundled else "none installed"
    raise UserError(
        f"no rule pack {spec!r}: it is neither a bundled pack ({known}) nor a folder. "
        "Give a bundled pack id or the path of a folder containing pack.yaml."
    )


class PackHolder:
    """The active rule pack. :meth:`reload` swaps in a new version only if it is entirely valid.

    Readers take :attr:`pack` once per use and keep that object: it is immutable,
    and replacing the attribute is atomic, so a reader never sees a mix of versions.
    """

    def __init__(self, folder: Path, *, taxonomy: Mapping[str, Category] | None = None) -> None:
        """Load the pack in ``folder``; raises :class:`~agent_assist.rules.loader.PackError`."""
        self._taxonomy = taxonomy
        self._lock = threading.Lock()  # one reload at a time, so the last one to finish wins
        self._folder = folder
        self._pack = load_pack(folder, taxonomy)

    @classmethod
    def open(cls, spec: str, *, taxonomy: Mapping[str, Category] | None = None) -> PackHolder:
        return cls(resolve_pack(spec), taxonomy=taxonomy)

    @property
    def pack(self) -> RulePack:
        return self._pack

    @property
    def folder(self) -> Path:
        return self._folder

    def reload(self, folder: Path | None = None) -> tuple[Problem, ...]:
        """Load the pack again (or the one in ``folder``) and make it active.

        Returns the problems found; when there are any, nothing changes and the
        previous good pack stays active.
        """
        with self._lock:
            target = self._folder if folder is None else folder
            try:
                pack = load_pack(target, self._taxonomy)
            except PackError as exc:
                return exc.problems
            self._folder, self._pack = target, pack
            return ()
