"""``agent-assist models``: list, download, add and locate speech models."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from agent_assist import paths
from agent_assist.asr.catalogue import CATALOGUE, lookup
from agent_assist.asr.fetch import add_model, fetch_model, part_path
from agent_assist.asr.locate import installed_models, is_model_dir, resolve_model

_MB = 1_000_000


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("models", help="list, download and add speech models")
    parser.add_argument(
        "--models-dir", type=Path, metavar="DIR", help="models folder (default: see `models path`)"
    )
    parser.set_defaults(func=_usage(parser))
    actions = parser.add_subparsers(dest="models_action", metavar="ACTION")

    actions.add_parser("list", help="show known and installed models").set_defaults(func=_list)

    fetch = actions.add_parser("fetch", help="download and install a model")
    fetch.add_argument("lang", help="language, e.g. zh-CN or en-US")
    fetch.add_argument("--url", help="download from this mirror instead (checksum still applies)")
    fetch.set_defaults(func=_fetch)

    add = actions.add_parser("add", help="install a model folder or .zip you downloaded")
    add.add_argument("path", type=Path)
    add.set_defaults(func=_add)

    where = actions.add_parser("path", help="print the models folder, or a model's folder")
    where.add_argument("lang", nargs="?")
    where.set_defaults(func=_path)


def _usage(parser: argparse.ArgumentParser) -> Callable[[argparse.Namespace], int]:
    def handler(args: argparse.Namespace) -> int:
        parser.print_help(sys.stderr)
        return 2

    return handler


def _models_dir(args: argparse.Namespace) -> Path:
    override: Path | None = args.models_dir
    return override if override is not None else paths.models_dir()


def _list(args: argparse.Namespace) -> int:
    models_dir = _models_dir(args)
    installed = installed_models(models_dir)
    rows = [("LANG", "NAME", "SIZE", "STATUS", "PATH")]
    for entry in CATALOGUE:
        match = next((m for m in installed if m.name == entry.name), None)
        size = f"{entry.size_bytes / _MB:.1f} MB" if entry.size_bytes else "-"
        status = "installed" if match else "not installed"
        rows.append((entry.lang, entry.name, size, status, str(match.path) if match else "-"))
    known = {entry.name for entry in CATALOGUE}
    for model in installed:
        if model.name not in known:
            rows.append((model.lang or "?", model.name, "-", "installed", str(model.path)))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        print("  ".join([*cells, row[4]]))
    print(f"\nModels folder: {models_dir}")
    return 0


def _fetch(args: argparse.Namespace) -> int:
    models_dir = _models_dir(args)
    entry = lookup(args.lang)
    dest = models_dir / entry.name
    if is_model_dir(dest):
        print(f"{entry.name} is already installed; nothing to download.", file=sys.stderr)
        print(dest)
        return 0
    meter = ProgressLine(sys.stderr, entry.name)
    try:
        path = fetch_model(entry, models_dir, progress=meter, url=args.url)
    except KeyboardInterrupt:
        meter.end()  # before the message, so it starts on its own line
        print(
            f"agent-assist: download stopped; the partial file {part_path(entry, models_dir)} "
            "was kept, run the same command again to resume",
            file=sys.stderr,
        )
        return 130
    finally:
        meter.end()
    print(f"Installed {entry.name}.", file=sys.stderr)
    print(path)
    return 0


def _add(args: argparse.Namespace) -> int:
    path = add_model(args.path, _models_dir(args))
    print(f"Installed {path.name}.", file=sys.stderr)
    print(path)
    return 0


def _path(args: argparse.Namespace) -> int:
    models_dir = _models_dir(args)
    if args.lang is None:
        print(models_dir)
        return 0
    entry = lookup(args.lang)
    print(resolve_model(entry.lang, models_dir).path)
    return 0


class ProgressLine:
    """Download progress: one line rewritten in place on a terminal, else a line per 10%."""

    def __init__(self, stream: TextIO, label: str) -> None:
        self._stream = stream
        self._label = label
        self._tty = stream.isatty()
        self._last = ""
        self._open = False

    def __call__(self, done: int, total: int | None) -> None:
        if total:
            percent = min(100, done * 100 // total)
            text = f"{self._label}: {done / _MB:.1f} of {total / _MB:.1f} MB ({percent}%)"
            # Logs get a line per 10% step; a terminal gets every visible change.
            key = text if self._tty else str(percent // 10)
        else:
            text = f"{self._label}: {done / _MB:.1f} MB"
            key = text if self._tty else str(done // (10 * _MB))
        if key == self._last:
            return
        self._last = key
        if self._tty:
            self._stream.write(f"\r{text}")
            self._open = True
        else:
            self._stream.write(f"{text}\n")
        self._stream.flush()

    def end(self) -> None:
        """Finish the in-place line so later messages start on their own line."""
        if self._open:
            self._stream.write("\n")
            self._stream.flush()
            self._open = False
