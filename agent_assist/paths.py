"""Where the app keeps its files (per-user folders, bundled resources, models), and how it
replaces a file at once."""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from pathlib import Path
from typing import IO, Any

import platformdirs

APP_NAME = "agent-assist"
_PACKAGE_DIR = Path(__file__).resolve().parent
# A source checkout keeps resources/ and models/ beside the package.
_CHECKOUT_DIR = _PACKAGE_DIR.parent


def resources_dir() -> Path:
    """Bundled data (taxonomy, packs, demo): inside a wheel, or the checkout's resources/."""
    packaged = _PACKAGE_DIR / "resources"
    return packaged if packaged.is_dir() else _CHECKOUT_DIR / "resources"


def data_dir() -> Path:
    """Per-user data folder (database, logs); AGENT_ASSIST_DATA_DIR overrides it."""
    override = os.environ.get("AGENT_ASSIST_DATA_DIR")
    return Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME))


def models_dir() -> Path:
    """Folder of speech models.

    AGENT_ASSIST_MODELS_DIR overrides; a source checkout uses its models/ folder;
    an installed app uses the per-user data folder.
    """
    override = os.environ.get("AGENT_ASSIST_MODELS_DIR")
    if override:
        return Path(override)
    checkout_models = _CHECKOUT_DIR / "models"
    if (checkout_models / "README.md").is_file():
        return checkout_models
    return data_dir() / "models"


def log_dir() -> Path:
    return data_dir() / "logs"


def write_atomically(
    path: Path,
    content: str | bytes,
    *,
    newline: str | None = None,
    fsync: bool = False,
    keep_mode: bool = False,
) -> None:
    """Replace ``path`` with ``content`` at once, through a hidden staging file beside it:
    a reader never sees half a file.

    Text is written as UTF-8, its line endings translated as :func:`open` does with
    ``newline``; bytes as they are. ``fsync`` puts the data on disk before the rename, so a
    crash leaves the old file or the new one, whole. ``keep_mode`` gives the new file the
    old one's permissions (a new file otherwise gets the usual ones, as ``open`` makes it).
    """
    # A random name, created exclusively: two processes or threads never share one.
    staging = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        if isinstance(content, bytes):
            with staging.open("xb") as raw:
                raw.write(content)
                _flush(raw, fsync)
        else:
            with staging.open("x", encoding="utf-8", newline=newline) as text:
                text.write(content)
                _flush(text, fsync)
        if keep_mode:
            with contextlib.suppress(FileNotFoundError):
                os.chmod(staging, stat.S_IMODE(path.stat().st_mode))
        os.replace(staging, path)
    except BaseException:
        staging.unlink(missing_ok=True)
        raise


def _flush(out: IO[Any], fsync: bool) -> None:
    if fsync:
        out.flush()
        os.fsync(out.fileno())
