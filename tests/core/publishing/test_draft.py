"""A draft pack or library checked in memory by the real loaders: problems at their file,
line and column; saving; the diff against a published version."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from agent_assist.publishing.bundle import bundle, unbundle
from agent_assist.publishing.draft import (
    check_library,
    check_pack,
    diff_files,
    read_files,
    save_files,
    shipped_files,
)
from agent_assist.rules.registry import packs_dir
from agent_assist.rules.taxonomy import load_taxonomy
from agent_assist.script_library import library_path

PACKS = Path(__file__).resolve().parents[2] / "data" / "packs"


@pytest.fixture
def files() -> dict[str, str]:
    return read_files(PACKS / "mini-zh")


def test_a_valid_draft_loads_as_the_pack(files: dict[str, str]) -> None:
    checked = check_pack(files, "mini-zh")

    assert checked.problems == ()
    assert checked.pack is not None
    assert [rule.id for rule in checked.pack.rules][:2] == [
        "zh.agent.threat.visit_workplace",
        "zh.agent.insult.deadbeat",
    ]
    assert checked.pack.rules[0].file == "rules/agent.yaml"  # as in the folder, not a temp path


def test_problems_carry_the_relative_file_line_and_column(files: dict[str, str]) -> None:
    files["rules/agent.yaml"] = files["rules/agent.yaml"].replace(
        "  category: agent.insult", "  category: agent.insullt"
    )
    files["rules/debtor.yaml"] += "  oops: [unclosed\n"

    checked = check_pack(files, "mini-zh")

    assert checked.pack is None
    where = [(p.file, p.line, p.col) for p in checked.problems]
    assert ("rules/agent.yaml", 18, 13) in where
    assert any(
        p.file == "rules/debtor.yaml" and "YAML syntax error" in p.message for p in checked.problems
    )
    insult = next(p for p in checked.problems if p.file == "rules/agent.yaml")
    assert "did you mean agent.insult" in insult.message
    assert str(insult).startswith("rules/agent.yaml:18:13: unknown category")


def test_the_pack_id_must_match_the_name_it_is_checked_under(files: dict[str, str]) -> None:
    checked = check_pack(files, "other")

    assert [p.message for p in checked.problems] == [
        "pack id 'mini-zh' does not match its folder name 'other'"
    ]


def test_a_contact_policy_is_checked_with_the_pack() -> None:
    files = read_files(PACKS.parents[2] / "resources" / "packs" / "zh-CN")
    assert "contact_policy.yaml" in files
    files["contact_policy.yaml"] += "\nbogus: 1\n"

    checked = check_pack(files, "zh-CN")

    assert checked.pack is None
    assert [p.file for p in checked.problems] == ["contact_policy.yaml"]
    assert "unknown key 'bogus'" in checked.problems[0].message


def test_a_library_draft_is_checked_by_the_library_loader() -> None:
    taxonomy = load_taxonomy()
    files = read_files(library_path("zh-CN").parent)
    assert check_library(files, taxonomy.keys()).library is not None

    files["scripts.yaml"] = files["scripts.yaml"].replace("stage: any", "stage: sometimes", 1)
    checked = check_library(files, taxonomy.keys())

    assert checked.library is None
    assert len(checked.problems) == 1
    assert checked.problems[0].file == "scripts.yaml"
    assert "sometimes" in checked.problems[0].message


def test_saving_writes_each_file_whole(tmp_path: Path, files: dict[str, str]) -> None:
    folder = tmp_path / "mini-zh"
    shutil.copytree(PACKS / "mini-zh", folder)
    changed = {
        "rules/agent.yaml": files["rules/agent.yaml"] + "# saved\n",
        "rules/new.yaml": "[]\n",
    }

    save_files(folder, changed)

    assert read_files(folder) == {**files, **changed}
    assert not list(folder.rglob("*.new"))


def test_saving_refuses_paths_outside_the_folder(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="inside the pack folder"):
        save_files(tmp_path, {"../evil.yaml": "x"})


def test_the_diff_names_changed_added_and_removed_files(files: dict[str, str]) -> None:
    published = unbundle(bundle(PACKS / "mini-zh"))
    draft = dict(files)
    draft["rules/agent.yaml"] = draft["rules/agent.yaml"].replace("老赖", "老 赖")
    del draft["rules/debtor.yaml"]
    draft["rules/extra.yaml"] = "[]\n"

    diff = diff_files(published, draft)

    assert "--- published/rules/agent.yaml\n+++ draft/rules/agent.yaml\n" in diff
    assert "-    - 老赖\n+    - 老 赖\n" in diff
    assert "--- published/rules/debtor.yaml\n+++ /dev/null\n" in diff
    assert "--- /dev/null\n+++ draft/rules/extra.yaml\n" in diff
    assert "pack.yaml" not in diff
    assert diff_files(published, files) == ""


def test_the_diff_names_its_sides_and_marks_a_missing_last_newline() -> None:
    diff = diff_files({"a.yaml": "x: 1\ny: 2"}, {"a.yaml": "x: 1\ny: 3\n"}, "shipped", "mine")

    assert diff == (
        "--- shipped/a.yaml\n+++ mine/a.yaml\n@@ -1,2 +1,2 @@\n x: 1\n"
        "-y: 2\n\\ No newline at end of file\n+y: 3\n"
    )


def test_the_shipped_files_of_a_pack_and_a_library() -> None:
    pack = shipped_files("rule_pack", "en-US")
    assert pack is not None
    assert pack == read_files(packs_dir() / "en-US")
    library = shipped_files("script_library", "en-US")
    assert library is not None
    assert "scripts.yaml" in library
    assert shipped_files("rule_pack", "mini-zh") is None  # a test pack: not shipped
