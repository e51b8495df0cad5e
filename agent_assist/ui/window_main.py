"""How the team's windows start (``agent-assist-review``, ``agent-assist-trainer``).

``--as USERNAME`` and ``--lang`` fall back on the user and language of the settings; a
:class:`~agent_assist.errors.UserError` while the window is built is shown in a message
box (exit 2); else Qt runs until the window closes (its exit code).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from agent_assist.errors import UserError
from agent_assist.settings import UI_LANGUAGES, load_settings

EXIT_USER_ERROR = 2  # as the command line's


def window_parser(prog: str, who: str) -> argparse.ArgumentParser:
    """The arguments every such window takes; ``who`` says whom ``--as`` may name."""
    parser = argparse.ArgumentParser(prog=prog)
    parser.add_argument("--as", dest="username", metavar="USERNAME", help=who)
    parser.add_argument("--lang", choices=UI_LANGUAGES, help="the window's language")
    return parser


def run_window(
    username: str | None,
    lang: str | None,
    build: Callable[[str, str], QWidget],
    no_user: str,
) -> int:
    """Build the window for ``username`` in ``lang`` and run it; ``no_user`` tells what
    to do when neither ``--as`` nor the settings name anyone."""
    qt = QApplication.instance() or QApplication(sys.argv[:1])
    try:
        settings = load_settings()
        username = username or settings.user
        lang = lang or settings.ui_language or "zh"
        if not username:
            raise UserError(no_user)
        window = build(username, lang)
    except UserError as exc:
        QMessageBox.critical(None, "Agent Assist", str(exc))
        return EXIT_USER_ERROR
    window.show()
    code = qt.exec()
    # Torn down while Qt still runs, not in the interpreter's final collection.
    window.deleteLater()
    qt.processEvents()
    return code
