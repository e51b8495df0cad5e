from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from agent_assist.errors import UserError
from agent_assist.paths import resources_dir
from agent_assist.publishing.bundle import bundle
from agent_assist.publishing.validate import Identity, InvalidVersion, check_content, identify
from tests.core.publishing.builders import PACKS, REF, pack_text


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
