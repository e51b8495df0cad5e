"""Keep the window's translations in step with its code (Qt Linguist tools from PySide6).

    .venv/bin/python scripts/translations.py update    every tr() string into the .ts files,
                                                       translations already made are kept
    .venv/bin/python scripts/translations.py release   compile the .ts files into the .qm
                                                       files the app loads
    .venv/bin/python scripts/translations.py check     exit 1 naming what is untranslated,
                                                       vanished or not compiled (the tests run it)

The source strings are English; resources/i18n/agent_assist_<lang>.ts holds each other
language. Translate with ``pyside6-linguist`` or any editor, then ``release``.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
I18N = ROOT / "resources" / "i18n"
LANGUAGES = ("zh_CN",)
SOURCES = ROOT / "agent_assist" / "ui"


def ts_path(lang: str) -> Path:
    return I18N / f"agent_assist_{lang}.ts"


def qm_path(lang: str) -> Path:
    return I18N / f"agent_assist_{lang}.qm"


def _tool(name: str) -> str:
    found = shutil.which(f"pyside6-{name}", path=str(Path(sys.executable).parent))
    if found is None:
        sys.exit(f"pyside6-{name} not found beside {sys.executable}: run scripts/setup.sh --dev")
    return found


def _sources() -> list[str]:
    return sorted(str(p) for p in SOURCES.rglob("*.py"))


def update(lang: str, ts: Path) -> None:
    subprocess.run(
        [
            _tool("lupdate"),
            "-silent",
            "-locations",
            "none",
            "-no-obsolete",
            "-target-language",
            lang,
            *_sources(),
            "-ts",
            str(ts),
        ],
        check=True,
    )


def release(ts: Path, qm: Path) -> None:
    subprocess.run([_tool("lrelease"), "-silent", str(ts), "-qm", str(qm)], check=True)


def problems(lang: str) -> list[str]:
    """What keeps ``lang`` from being complete: untranslated strings, strings the code no
    longer has, a .qm older than its .ts."""
    ts = ts_path(lang)
    if not ts.is_file():
        return [f"{ts} is missing: run scripts/translations.py update"]
    found: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / ts.name
        shutil.copy(ts, fresh)
        update(lang, fresh)
        for context in ET.parse(fresh).getroot().iter("context"):
            name = context.findtext("name")
            for message in context.iter("message"):
                translation = message.find("translation")
                if (
                    translation is None
                    or translation.get("type") in ("unfinished", "vanished")
                    or not (translation.text or message.find("translation/numerusform") is not None)
                ):
                    found.append(
                        f"{lang}: {name}: {message.findtext('source')!r} is not translated"
                    )
        if fresh.read_bytes() != ts.read_bytes() and not found:
            found.append(f"{ts.name} is not what `update` makes of the code: run update")
        compiled = Path(tmp) / "fresh.qm"
        release(ts, compiled)
        qm = qm_path(lang)
        if not qm.is_file() or qm.read_bytes() != compiled.read_bytes():
            found.append(f"{qm.name} is not compiled from {ts.name}: run release")
    return found


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "check"
    for lang in LANGUAGES:
        if command == "update":
            update(lang, ts_path(lang))
        elif command == "release":
            release(ts_path(lang), qm_path(lang))
        elif command == "check":
            found = problems(lang)
            for line in found:
                print(line)
            if found:
                return 1
        else:
            print(__doc__)
            return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
