"""Pack versions to publish: copies of the small test pack, changed a little each."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from agent_assist.publishing.bundle import bundle
from agent_assist.rules import registry

PACKS = Path(__file__).resolve().parents[2] / "data" / "packs"
REF = "mini-zh"
# A rule the test pack does not have, and a sentence only it flags.
ADDED_RULE = """
- id: zh.agent.threat.purple_elephant
  category: agent.threat
  patterns: [紫色 大象]
  explain: 测试用规则。
"""
SENTENCE = "我们 会 派 紫色 大象 去 找 你"


def pack_folder(tmp_path: Path, version: str, *, added_rule: bool = False) -> Path:
    """mini-zh at ``version`` in a folder of its own (named after its id, as the loader wants)."""
    folder = tmp_path / version / REF
    shutil.copytree(PACKS / REF, folder)
    head = folder / "pack.yaml"
    head.write_text(
        head.read_text(encoding="utf-8").replace("version: 1.0", f"version: {version}"),
        encoding="utf-8",
    )
    if added_rule:
        with (folder / "rules" / "agent.yaml").open("a", encoding="utf-8") as rules:
            rules.write(ADDED_RULE)
    return folder


def pack_text(tmp_path: Path, version: str, *, added_rule: bool = False) -> str:
    return bundle(pack_folder(tmp_path, version, added_rule=added_rule))


def ship_test_packs(monkeypatch: pytest.MonkeyPatch) -> None:
    """The test packs stand in for the packs shipped with the app (mini-zh among them)."""
    monkeypatch.setattr(registry, "resources_dir", lambda: PACKS.parent)
