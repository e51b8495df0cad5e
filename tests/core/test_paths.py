"""A file replaced at once: no staging file left, line endings and permissions as asked."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from agent_assist.paths import write_atomically


def test_a_file_is_replaced_whole_and_nothing_is_left_beside_it(tmp_path: Path) -> None:
    path = tmp_path / "pack.yaml"
    write_atomically(path, "a\r\nb\n", newline="")
    assert path.read_bytes() == b"a\r\nb\n"
    write_atomically(path, b"\xef\xbb\xbfc\n", fsync=True)
    assert path.read_bytes() == b"\xef\xbb\xbfc\n"
    assert [p.name for p in tmp_path.iterdir()] == ["pack.yaml"]


def test_the_old_file_s_permissions_are_kept_when_asked(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text("old\n", encoding="utf-8")
    path.chmod(0o640)
    write_atomically(path, "new\n", keep_mode=True)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    write_atomically(tmp_path / "new.yaml", "x\n", keep_mode=True)  # no old file: no error
    assert (tmp_path / "new.yaml").read_text(encoding="utf-8") == "x\n"


def test_a_failed_write_leaves_the_old_file_and_no_staging_file(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text("kept\n", encoding="utf-8")
    with pytest.raises(UnicodeEncodeError):
        write_atomically(path, "\ud800")  # a lone surrogate cannot be written as UTF-8
    assert path.read_text(encoding="utf-8") == "kept\n"
    assert [p.name for p in tmp_path.iterdir()] == ["settings.toml"]
