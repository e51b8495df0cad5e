from __future__ import annotations

import shutil
from collections.abc import Mapping
from pathlib import Path

import pytest

from agent_assist.errors import UserError
from agent_assist.paths import resources_dir
from agent_assist.publishing import draft
from agent_assist.publishing.bundle import bundle
from agent_assist.publishing.validate import (
    Identity,
    InvalidVersion,
    check_content,
    check_folder,
    identify,
)
from agent_assist.rules.model import RulePack
from agent_assist.rules.taxonomy import Category
from tests.core.publishing.builders import PACKS, REF, pack_folder, pack_text


def test_a_folder_says_what_it_is() -> None:
    assert identify("rule_pack", PACKS / REF) == Identity(REF, "1.0")
    scripts = resources_dir() / "scripts" / "en-US"
    assert identify("script_library", scripts).ref == "en-US"


def test_every_problem_is_listed_relative_to_the_pack() -> None:
    with pytest.raises(InvalidVersion) as caught:
        check_content("rule_pack", "broken", bundle(PACKS / "broken"))
    message = str(caught.value)
    assert message.startswith("the rule pack broken was not published (")
    assert "\nrules/a.yaml:4:11: `[` is never closed" in message
    assert "agent-assist-publish" not in message  # no temporary folder shown


def test_content_published_under_another_id_is_refused(tmp_path: Path) -> None:
    # Unpacked as "zh-CN", mini-zh's pack.yaml contradicts its folder.
    with pytest.raises(InvalidVersion, match="does not match its folder name 'zh-CN'"):
        check_content("rule_pack", "zh-CN", pack_text(tmp_path, "2.0"))
    assert check_content("rule_pack", REF, pack_text(tmp_path, "3.0")) == Identity(REF, "3.0")


def test_a_script_library_is_checked_with_its_messages(tmp_path: Path) -> None:
    folder = tmp_path / "en-US"
    shutil.copytree(resources_dir() / "scripts" / "en-US", folder)
    assert check_content("script_library", "en-US", bundle(folder)).ref == "en-US"
    messages = folder / "messages.yaml"
    messages.write_text(messages.read_text(encoding="utf-8") + "\nunknown_key: 1\n", "utf-8")
    with pytest.raises(InvalidVersion, match=r"messages\.yaml:"):
        check_content("script_library", "en-US", bundle(folder))
    with pytest.raises(UserError, match="says it is 'en-US', not 'zh-CN'"):
        check_content("script_library", "zh-CN", bundle(resources_dir() / "scripts" / "en-US"))


def test_a_broken_pack_and_its_broken_policy_are_listed_together(tmp_path: Path) -> None:
    # As the trainer's editor lists them: the policy's problems are not hidden behind the
    # rules' until those are fixed.
    folder = tmp_path / "en-US"
    shutil.copytree(resources_dir() / "packs" / "en-US", folder)
    (folder / "rules" / "zz.yaml").write_text("- id: [unclosed\n", encoding="utf-8")
    policy = folder / "contact_policy.yaml"
    policy.write_text(policy.read_text(encoding="utf-8") + "\nbogus: 1\n", encoding="utf-8")

    with pytest.raises(InvalidVersion) as caught:
        identify("rule_pack", folder)

    files = [problem.file for problem in caught.value.problems]
    assert files == ["rules/zz.yaml", "contact_policy.yaml"]
    assert "\ncontact_policy.yaml:" in str(caught.value)
    assert "unknown key 'bogus'" in str(caught.value)


def test_a_folder_is_checked_as_the_files_it_publishes(tmp_path: Path) -> None:
    folder = tmp_path / REF
    shutil.copytree(PACKS / REF, folder)
    # Neither is bundled, so neither reaches a desktop: neither may refuse the pack.
    (folder / "rules" / "draft.yml").write_text("- id: [unclosed\n", encoding="utf-8")
    (folder / "rules" / ".agent.yaml.swp.yaml").write_text("[", encoding="utf-8")

    assert identify("rule_pack", folder) == Identity(REF, "1.0")


def test_a_folder_without_scripts_is_not_a_library(tmp_path: Path) -> None:
    with pytest.raises(UserError, match=r"has no scripts\.yaml: give the script library's"):
        identify("script_library", tmp_path)


def test_the_text_a_folder_was_checked_as_is_not_loaded_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    loads: list[str] = []
    load_pack = draft.load_pack

    def counted(folder: Path, taxonomy: Mapping[str, Category] | None = None) -> RulePack:
        loads.append(folder.name)
        return load_pack(folder, taxonomy)

    monkeypatch.setattr(draft, "load_pack", counted)
    folder = pack_folder(tmp_path, "5.1.once")  # a text no other test checks
    identity, content = check_folder("rule_pack", folder)
    assert (identity, content) == (Identity(REF, "5.1.once"), bundle(folder))
    assert check_content("rule_pack", REF, content) == identity
    assert loads == [REF]
    # Loaded as another pack's folder, the same text is checked (and refused) anew.
    with pytest.raises(InvalidVersion, match="does not match its folder name 'zh-CN'"):
        check_content("rule_pack", "zh-CN", content)
    assert loads == [REF, "zh-CN"]
