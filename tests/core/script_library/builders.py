"""Small libraries and the bundled ones, for the script library tests."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from agent_assist.rules.taxonomy import load_taxonomy
from agent_assist.script_library import ScriptLibrary, bundled_library, load_library

LANGUAGES = ("zh-CN", "en-US")

HEAD = """\
library:
  language: zh-CN
  version: 1.0
  date_format: "{year}年{month}月{day}日"
  placeholders:
    overdue_amount: 【金额】
scripts:
"""

SCRIPT = """\
  - id: s.one
    stage: any
    segments: any
    purpose: opening
    lines:
      - "{debtor_name}您好。"
"""


@cache
def cue_ids() -> frozenset[str]:
    return frozenset(load_taxonomy())


@cache
def bundled(language: str) -> ScriptLibrary:
    return bundled_library(language, cue_ids())


def write(folder: Path, text: str) -> Path:
    path = folder / "scripts.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def load_text(folder: Path, text: str) -> ScriptLibrary:
    return load_library(write(folder, text), cue_ids())


def script(
    script_id: str,
    *,
    stage: str = "any",
    segments: str = "any",
    cues: str = "[]",
    purpose: str = "reply",
    line: str = "您好。",
) -> str:
    return (
        f"  - id: {script_id}\n    stage: {stage}\n    segments: {segments}\n"
        f'    cues: {cues}\n    purpose: {purpose}\n    lines:\n      - "{line}"\n'
    )
