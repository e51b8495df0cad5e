"""Downloading and installing Vosk models: resumable, checksum-verified, unpacked atomically.

This is the only module of the app that uses the network.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import shutil
import tempfile
import threading
import urllib.request
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from email.message import Message
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Protocol
from urllib.error import HTTPError

from agent_assist import __version__
from agent_assist.asr.catalogue import CatalogueEntry, by_name
from agent_assist.asr.locate import ADD_HINT, is_model_dir, missing_model_files
from agent_assist.errors import FetchError, ModelError

Progress = Callable[[int, int | None], None]

DOWNLOADS_DIR = ".downloads"
CHUNK_BYTES = 64 * 1024
TIMEOUT_S = 30.0
_MB = 1_000_000


class Response(Protocol):
    status: int
    headers: Message

    def read(self, amt: int, /) -> bytes: ...

    def close(self) -> None: ...


# Called like urllib.request.urlopen(request, timeout=...).
Opener = Callable[..., Response]


class FetchCancelled(FetchError):
    """The download was stopped on request; the partial file is kept for resuming."""


def part_path(entry: CatalogueEntry, models_dir: Path) -> Path:
    """Where the download of ``entry`` is kept until it is complete and verified."""
    return models_dir / DOWNLOADS_DIR / f"{entry.name}.zip.part"


def fetch_model(
    entry: CatalogueEntry,
    models_dir: Path,
    *,
    progress: Progress | None = None,
    url: str | None = None,
    opener: Opener = urllib.request.urlopen,
    cancel: threading.Event | None = None,
) -> Path:
    """Download, verify and install ``entry``; return its folder (a no-op if installed).

    An interrupted download resumes on the next call. ``url`` is a mirror to use
    instead of the catalogue URL; the catalogue size and checksum still apply.
    """
    source = url or entry.url
    if source is None:
        raise FetchError(
            f"the {entry.lang} model is not downloaded by the app; "
            f"run `pip install {entry.name}` or `{ADD_HINT}`"
        )
    dest = models_dir / entry.name
    if is_model_dir(dest):
        return dest
    _check_free(dest)
    part = part_path(entry, models_dir)
    try:
        part.parent.mkdir(parents=True, exist_ok=True)
        _download(_Job(entry, source, part, progress, opener, cancel))
        if not entry.matches_file(part):
            part.unlink()
            raise FetchError(
                f"the download of {entry.name} from {source} was corrupt (its size or SHA-256 "
                "checksum does not match the catalogue) and was deleted; run the same command again"
            )
        try:
            return _install_archive(part, models_dir, entry.name, source)
        finally:
            # Installed, or verified yet not installable: keeping it would not help a retry.
            part.unlink(missing_ok=True)
    except OSError as exc:
        raise FetchError(
            f"could not write the model into {models_dir} ({exc.strerror or exc}); "
            "free some disk space or choose another folder with --models-dir"
        ) from exc


def add_model(path: Path, models_dir: Path) -> Path:
    """Install a model folder or a ``.zip`` of one into ``models_dir``; return its new folder."""
    source = path.expanduser()
    try:
        if source.is_dir():
            return _add_folder(source, models_dir)
        if source.is_file() and (source.suffix.lower() == ".zip" or zipfile.is_zipfile(source)):
            entry = by_name(_zip_stem(source))
            if entry is not None and entry.sha256 is not None and not entry.matches_file(source):
                raise FetchError(
                    f"{source} is not the official {entry.name} archive (its size or SHA-256 "
                    "checksum does not match); download it again"
                )
            return _install_archive(source, models_dir, entry.name if entry else None, str(source))
    except OSError as exc:
        raise ModelError(f"could not install {source} into {models_dir} ({exc})") from exc
    if source.exists():
        raise ModelError(f"{source} is neither a Vosk model folder nor a .zip archive of one")
    raise ModelError(f"{source} does not exist")


def _add_folder(source: Path, models_dir: Path) -> Path:
    missing = missing_model_files(source)
    if missing:
        raise ModelError(
            f"{source} is not a Vosk model folder: missing {', '.join(missing)}; nothing was added"
        )
    dest = models_dir / source.resolve().name
    if dest.exists() and dest.resolve() == source.resolve():
        return dest
    models_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".add-", dir=models_dir))
    try:
        copy = staging / dest.name
        shutil.copytree(source, copy)
        return _move_into_place(copy, dest)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


@dataclass(frozen=True)
class _Job:
    entry: CatalogueEntry
    url: str
    part: Path
    progress: Progress | None
    opener: Opener
    cancel: threading.Event | None


def _download(job: _Job) -> None:
    entry, part = job.entry, job.part
    # Two rounds: a stale or foreign part file costs at most one restart from zero.
    for _ in range(2):
        have = part.stat().st_size if part.exists() else 0
        if have and entry.size_bytes is not None and have >= entry.size_bytes:
            if entry.matches_file(part):
                return
            part.unlink()
            have = 0
        if _transfer(job, have):
            return
        # HTTP 416: nothing lies past our offset, so the part is complete or not this file.
        if entry.matches_file(part):
            return
        part.unlink()


def _transfer(job: _Job, have: int) -> bool:
    """Fetch the archive from byte ``have`` into the part file; False if the server says 416."""
    headers = {"User-Agent": f"agent-assist/{__version__}"}
    if have:
        headers["Range"] = f"bytes={have}-"
    try:
        response = job.opener(urllib.request.Request(job.url, headers=headers), timeout=TIMEOUT_S)
    except HTTPError as exc:
        exc.close()
        if exc.code == 416 and have:
            return False
        raise _network_error(job.url, f"the server answered HTTP {exc.code} {exc.reason}") from exc
    except (OSError, http.client.HTTPException) as exc:
        raise _network_error(job.url, _reason(exc)) from exc
    with contextlib.closing(response):
        if response.status != 206:
            have = 0  # the server ignored Range: start over
        elif not response.headers.get("Content-Range", "").startswith(f"bytes {have}-"):
            job.part.unlink()
            raise FetchError(
                f"the server sent the wrong part of {job.url}; "
                "run the same command again to download it from the start"
            )
        length = response.headers.get("Content-Length", "")
        total = have + int(length) if length.isdigit() else job.entry.size_bytes
        have = _write_body(job, response, have, total)
    if total is not None and have < total:
        raise _interrupted(have, total, "the connection closed early")
    return True


def _write_body(job: _Job, response: Response, have: int, total: int | None) -> int:
    """Append the response body to the part file (from scratch if ``have`` is 0)."""
    with job.part.open("ab" if have else "wb") as out:
        if job.progress is not None:
            job.progress(have, total)
        while True:
            if job.cancel is not None and job.cancel.is_set():
                raise FetchCancelled(
                    f"download cancelled after {_mb(have, total)}; "
                    "run the same command again to resume"
                )
            try:
                chunk = response.read(CHUNK_BYTES)
            except (OSError, http.client.HTTPException) as exc:
                raise _interrupted(have, total, _reason(exc)) from exc
            if not chunk:
                return have
            out.write(chunk)
            have += len(chunk)
            if job.progress is not None:
                job.progress(have, total)


def _install_archive(archive: Path, models_dir: Path, name: str | None, label: str) -> Path:
    """Unpack into a hidden folder inside ``models_dir``, check it, then rename into place."""
    models_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".unpack-", dir=models_dir))
    try:
        try:
            with zipfile.ZipFile(archive) as zf:
                _check_members(zf, label)
                zf.extractall(staging)
        except (zipfile.BadZipFile, EOFError) as exc:
            raise FetchError(
                f"{label} is not a readable zip archive ({exc}); nothing was installed"
            ) from exc
        root = staging
        children = [c for c in staging.iterdir() if c.name != "__MACOSX"]
        if not is_model_dir(staging) and len(children) == 1 and children[0].is_dir():
            root = children[0]
        missing = missing_model_files(root)
        if missing:
            raise FetchError(
                f"{label} does not contain a Vosk model (missing {', '.join(missing)}); "
                "nothing was installed"
            )
        folder = name or (root.name if root != staging else _zip_stem(archive))
        return _move_into_place(root, models_dir / folder)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _check_members(zf: zipfile.ZipFile, label: str) -> None:
    # zipfile would quietly rewrite such names; an archive containing them is not a model zip.
    for info in zf.infolist():
        name = info.filename.replace("\\", "/")
        if name.startswith("/") or PureWindowsPath(name).drive or ".." in PurePosixPath(name).parts:
            raise FetchError(
                f"refusing {label}: its entry {info.filename!r} points outside the model folder; "
                "nothing was installed"
            )


def _check_free(dest: Path) -> None:
    if is_model_dir(dest):
        raise FetchError(
            f"a model named {dest.name} is already installed at {dest}; "
            "delete that folder first to replace it"
        )
    if dest.exists():
        raise FetchError(
            f"{dest} exists but is not a complete model (missing "
            f"{', '.join(missing_model_files(dest))}); delete it and run the same command again"
        )


def _move_into_place(src: Path, dest: Path) -> Path:
    _check_free(dest)
    os.replace(src, dest)
    return dest


def _zip_stem(path: Path) -> str:
    return path.name[:-4] if path.name.lower().endswith(".zip") else path.stem


def _reason(exc: BaseException) -> str:
    reason = getattr(exc, "reason", None)
    return str(reason or exc) or type(exc).__name__


def _mb(done: int, total: int | None) -> str:
    return f"{done / _MB:.1f}" + (f" of {total / _MB:.1f} MB" if total is not None else " MB")


def _interrupted(done: int, total: int | None, reason: str) -> FetchError:
    return FetchError(
        f"download interrupted after {_mb(done, total)} ({reason}); "
        "run the same command again to resume"
    )


def _network_error(url: str, reason: str) -> FetchError:
    return FetchError(
        f"could not download {url} ({reason}); check the internet connection, or download "
        f"the zip in a browser and run `{ADD_HINT}`"
    )
