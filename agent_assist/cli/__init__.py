"""The ``agent-assist`` command line.

Each command group lives in its own module exposing ``register(subparsers)``;
the handler it sets as ``func`` returns the exit code. Errors meant for the
user (:class:`~agent_assist.errors.UserError`) are printed as one line; any
other exception is logged with its traceback to the log folder and the user
gets a short message naming that file.
"""

from __future__ import annotations

import argparse
import logging
import sys
import traceback
from collections.abc import Callable, Sequence
from datetime import datetime

from agent_assist import __version__
from agent_assist.cli import (
    bench_cmd,
    calls_cmd,
    cases_cmd,
    db_cmd,
    demo_cmd,
    devices_cmd,
    drill_cmd,
    import_cmd,
    messages_cmd,
    models_cmd,
    promises_cmd,
    proposals_cmd,
    publish_cmd,
    review_cmd,
    risk_cmd,
    rules_cmd,
    transcribe_cmd,
    worklist_cmd,
)
from agent_assist.errors import UserError
from agent_assist.paths import log_dir

EXIT_USER_ERROR = 2
EXIT_INTERNAL_ERROR = 70

_COMMAND_MODULES = (
    transcribe_cmd,
    demo_cmd,
    devices_cmd,
    models_cmd,
    worklist_cmd,
    db_cmd,
    import_cmd,
    calls_cmd,
    cases_cmd,
    promises_cmd,
    review_cmd,
    risk_cmd,
    messages_cmd,
    rules_cmd,
    publish_cmd,
    proposals_cmd,
    drill_cmd,
    bench_cmd,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="agent-assist",
        description="Real-time assist for loan-collection calls (offline speech recognition).",
    )
    parser.add_argument("--version", action="version", version=f"agent-assist {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in _COMMAND_MODULES:
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Callable[[argparse.Namespace], int] | None = getattr(args, "func", None)
    if handler is None:
        parser.print_help()
        return EXIT_USER_ERROR
    try:
        return handler(args)
    except UserError as exc:
        print(f"agent-assist: {exc}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        path = _log_crash(exc)
        print(
            f"agent-assist: unexpected error ({type(exc).__name__}: {exc}). "
            f"Details were written to {path}; please send that file to support.",
            file=sys.stderr,
        )
        return EXIT_INTERNAL_ERROR


def _log_crash(exc: BaseException) -> str:
    text = "".join(traceback.format_exception(exc))
    try:
        folder = log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"crash-{datetime.now():%Y%m%d-%H%M%S}.log"
        path.write_text(text, encoding="utf-8")
        return str(path)
    except OSError:
        logging.getLogger(__name__).error(text)
        return "(the log folder could not be written)"


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
