"""A pack or library folder as one text, and back: what the database stores per version.

The text is a YAML mapping ``{relative posix path: file text}``, keys sorted, texts in
literal block style where YAML can give them back unchanged (double-quoted otherwise),
so the same files always give the same text and unpacking restores them byte for byte.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path, PurePosixPath, PureWindowsPath

import yaml

from agent_assist.errors import UserError

PATTERN = "*.yaml"
# libyaml is several times faster than the pure-Python parser, with the same results.
_LOADER: type[yaml.SafeLoader] | type[yaml.CSafeLoader] = getattr(
    yaml, "CSafeLoader", yaml.SafeLoader
)


class BundleError(UserError):
    """A folder that cannot be bundled, or a text that is not a bundle."""


class _Literal(str):
    """A file text to be written in literal block style."""


class _Quoted(str):
    """A file text YAML's literal style would not give back unchanged (e.g. trailing spaces)."""


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(
    _Literal, lambda dumper, text: dumper.represent_scalar("tag:yaml.org,2002:str", text, "|")
)
_Dumper.add_representer(
    _Quoted, lambda dumper, text: dumper.represent_scalar("tag:yaml.org,2002:str", text, '"')
)


def bundle(folder: Path) -> str:
    """Every ``*.yaml`` file under ``folder`` (hidden files and folders left out) as one text."""
    if not folder.is_dir():
        raise BundleError(f"{folder} is not a folder; give the folder holding the YAML files")
    files: dict[str, str] = {}
    for path in sorted(folder.rglob(PATTERN)):
        rel = path.relative_to(folder)
        if not path.is_file() or any(part.startswith(".") for part in rel.parts):
            continue  # editors' lock and backup files
        try:
            files[rel.as_posix()] = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            raise BundleError(f"{path} is not UTF-8 text; save it as UTF-8") from None
    return _dump(files)


def unbundle(text: str) -> dict[str, str]:
    """The files of a bundle: relative posix path → file text. Refuses paths that would
    leave the folder they are unpacked into."""
    try:
        loaded = yaml.load(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        raise BundleError(f"not a bundle of YAML files: {exc}") from None
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise BundleError("not a bundle of YAML files: expected a mapping of path → file text")
    files: dict[str, str] = {}
    for path, content in loaded.items():
        if not isinstance(path, str) or not isinstance(content, str):
            raise BundleError(f"not a bundle of YAML files: {path!r} is not a path with its text")
        if not stays_inside(path):
            raise BundleError(f"the bundle names the file {path!r}, which is outside its folder")
        files[path] = content
    return files


def write_bundle(text: str, folder: Path) -> None:
    """Unpack ``text`` as ``folder``, which is replaced as a whole: the files are written
    to a temporary folder beside it, then renamed into place, so nobody ever reads half
    a version."""
    files = unbundle(text)
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    try:
        for rel, content in files.items():
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content.encode("utf-8"))
        if folder.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{folder.name}.old.", dir=folder.parent))
            os.rename(folder, old / folder.name)
            os.rename(staging, folder)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.rename(staging, folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _dump(files: dict[str, str]) -> str:
    styled = {path: _styled(content) for path, content in files.items()}
    return yaml.dump(
        styled, Dumper=_Dumper, allow_unicode=True, sort_keys=True, default_flow_style=False
    )


def _styled(content: str) -> str:
    # The emitter itself falls back to quoting what literal style cannot hold; the reading
    # back catches the rest (a lone U+0085 is read as a line break).
    literal = yaml.dump({"t": _Literal(content)}, Dumper=_Dumper, allow_unicode=True)
    if yaml.load(literal, Loader=_LOADER) == {"t": content}:
        return _Literal(content)
    return _Quoted(content)


def stays_inside(path: str) -> bool:
    """Whether ``path`` names a file inside its folder on every system it may be written
    on (relative, forward slashes, no ``..``)."""
    posix = PurePosixPath(path)
    escapes = (
        posix.is_absolute()
        or PureWindowsPath(path).drive != ""
        or "\\" in path
        or ".." in posix.parts
        or posix.as_posix() != path  # "a//b.yaml", "./a.yaml", "a/": not written by bundle()
        or path in ("", ".")
    )
    return not escapes
