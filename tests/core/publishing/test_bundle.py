from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from agent_assist.paths import resources_dir
from agent_assist.publishing.bundle import BundleError, bundle, unbundle, write_bundle

# Texts YAML's literal style cannot hold as they are: each must still come back unchanged.
AWKWARD = {
    "empty.yaml": "",
    "no_newline.yaml": "a: 1",
    "blank_lines.yaml": "a: 1\n\n\n",
    "indented.yaml": "  a: 1\n",
    "trailing_space.yaml": "a: 1 \n",
    "tab.yaml": "a:\t1\n",
    "crlf.yaml": "a: 1\r\nb: 2\r\n",
    "nel.yaml": "a: \x85 1\n",
    "bom.yaml": "\ufeffa: 1\n",
    "document_markers.yaml": "---\na: 1\n...\n",
    "sub/中文.yaml": "# 说明\nid: 一\n",
}


def files_of(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def make(folder: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    return folder


@pytest.mark.parametrize("folder", ["packs/zh-CN", "packs/en-US", "scripts/zh-CN"])
def test_shipped_folders_come_back_byte_for_byte(folder: str, tmp_path: Path) -> None:
    source = resources_dir() / folder
    text = bundle(source)
    write_bundle(text, tmp_path / "out")
    assert files_of(tmp_path / "out") == {
        rel: data for rel, data in files_of(source).items() if rel.endswith(".yaml")
    }
    assert "pack.yaml: |\n" in text or "scripts.yaml: |\n" in text  # readable in the database


def test_awkward_texts_come_back_unchanged(tmp_path: Path) -> None:
    text = bundle(make(tmp_path / "in", AWKWARD))
    assert unbundle(text) == AWKWARD
    write_bundle(text, tmp_path / "out")
    assert files_of(tmp_path / "out") == {k: v.encode("utf-8") for k, v in AWKWARD.items()}


def test_the_text_depends_on_the_files_only(tmp_path: Path) -> None:
    first = make(tmp_path / "a", AWKWARD)
    second = make(tmp_path / "b", dict(reversed(AWKWARD.items())))
    assert bundle(first) == bundle(second)


def test_only_visible_yaml_files_are_bundled(tmp_path: Path) -> None:
    folder = make(
        tmp_path / "p",
        {
            "pack.yaml": "a: 1\n",
            "rules/x.yaml": "- 1\n",
            "README.md": "no",
            "rules/x.yaml~": "backup",
            ".git/config.yaml": "hidden",
            "rules/.#x.yaml": "lock",
        },
    )
    assert unbundle(bundle(folder)) == {"pack.yaml": "a: 1\n", "rules/x.yaml": "- 1\n"}


def test_a_file_that_is_not_utf8_is_named(tmp_path: Path) -> None:
    folder = tmp_path / "p"
    folder.mkdir()
    (folder / "pack.yaml").write_bytes("名".encode("gb18030"))
    with pytest.raises(BundleError, match=r"pack\.yaml is not UTF-8"):
        bundle(folder)
    with pytest.raises(BundleError, match="is not a folder"):
        bundle(tmp_path / "missing")


@pytest.mark.parametrize(
    "path",
    [
        "../evil.yaml",
        "rules/../../evil.yaml",
        "/etc/evil.yaml",
        "C:/evil.yaml",
        "rules\\..\\..\\evil.yaml",
        "./pack.yaml",
        "rules//x.yaml",
        "",
    ],
)
def test_paths_that_leave_the_folder_are_refused(path: str, tmp_path: Path) -> None:
    text = yaml.safe_dump({path: "x: 1\n"})
    with pytest.raises(BundleError, match="outside its folder"):
        unbundle(text)
    with pytest.raises(BundleError):
        write_bundle(text, tmp_path / "out")
    assert list(tmp_path.iterdir()) == []  # nothing written, not even the temporary folder


@pytest.mark.parametrize("text", ["- a\n- b\n", "a: [1]\n", "1: x\n", "a: {b\n"])
def test_texts_that_are_not_bundles_are_refused(text: str) -> None:
    with pytest.raises(BundleError, match="not a bundle"):
        unbundle(text)


def test_writing_replaces_the_whole_folder(tmp_path: Path) -> None:
    out = make(tmp_path / "out", {"old.yaml": "old\n", "rules/gone.yaml": "x\n"})
    write_bundle(bundle(make(tmp_path / "in", {"pack.yaml": "new\n"})), out)
    assert files_of(out) == {"pack.yaml": b"new\n"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "out"]  # no leftovers
