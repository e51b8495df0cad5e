from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from agent_assist.errors import UserError
from agent_assist.rules import registry
from agent_assist.rules.loader import PackError
from agent_assist.rules.registry import PackHolder, bundled_packs, resolve_pack
from tests.core.rules.test_loader import PACK_YAML, PACKS, RULE, write_pack


@pytest.fixture
def resources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A resources folder with two bundled packs (one only a folder without pack.yaml)."""
    root = tmp_path / "resources"
    shutil.copytree(PACKS / "mini-zh", root / "packs" / "mini-zh")
    (root / "packs" / "not-a-pack").mkdir()
    monkeypatch.setattr(registry, "resources_dir", lambda: root)
    return root


def test_bundled_ids(resources: Path) -> None:
    assert bundled_packs() == ("mini-zh",)
    assert resolve_pack("mini-zh") == resources / "packs" / "mini-zh"


def test_folder_or_pack_yaml_path(resources: Path) -> None:
    folder = PACKS / "mini-en"

    assert resolve_pack(str(folder)) == folder
    assert resolve_pack(str(folder / "pack.yaml")) == folder


def test_unknown_pack_lists_the_bundled_ids(resources: Path) -> None:
    with pytest.raises(UserError, match=r"no rule pack 'xx-YY'.*bundled pack \(mini-zh\)"):
        resolve_pack("xx-YY")
    with pytest.raises(UserError, match="no rule pack"):
        resolve_pack("../packs/not-a-pack/../../x")


def test_no_bundled_packs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registry, "resources_dir", lambda: tmp_path)

    assert bundled_packs() == ()
    with pytest.raises(UserError, match="none installed"):
        resolve_pack("zh-CN")


def test_holder_keeps_the_good_pack_when_the_new_version_is_broken(tmp_path: Path) -> None:
    folder = write_pack(tmp_path)
    holder = PackHolder(folder)
    good = holder.pack
    broken = RULE.replace("[去 你 单位]", '["去 [你 单位"]')
    (folder / "rules" / "r.yaml").write_text(broken, encoding="utf-8")

    problems = holder.reload()

    assert [f"{p.line}:{p.col}: {p.message}" for p in problems] == ["3:17: `[` is never closed"]
    assert holder.pack is good
    assert holder.reload() == problems  # still broken: still the good pack
    assert holder.pack is good


def test_holder_swaps_in_a_valid_new_version(tmp_path: Path) -> None:
    folder = write_pack(tmp_path)
    holder = PackHolder(folder)
    (folder / "rules" / "s.yaml").write_text(RULE.replace("id: a", "id: b"), encoding="utf-8")

    assert holder.reload() == ()

    assert [rule.id for rule in holder.pack.rules] == ["a", "b"]


def test_holder_switches_to_another_folder_only_if_valid(tmp_path: Path) -> None:
    holder = PackHolder(write_pack(tmp_path))
    start = holder.pack

    assert holder.reload(PACKS / "broken") != ()
    assert (holder.pack, holder.folder) == (start, tmp_path / "t-zh")
    assert holder.reload(PACKS / "mini-en") == ()
    assert (holder.pack.info.id, holder.folder) == ("mini-en", PACKS / "mini-en")


def test_holder_refuses_a_broken_first_pack(tmp_path: Path) -> None:
    folder = write_pack(tmp_path, PACK_YAML.replace("language: zh", "language: de"))

    with pytest.raises(PackError, match="language must be one of zh, en"):
        PackHolder(folder)


def test_holder_opens_a_bundled_id(resources: Path) -> None:
    assert PackHolder.open("mini-zh").pack.info.id == "mini-zh"
