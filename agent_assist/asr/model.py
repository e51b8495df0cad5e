"""Loading a Vosk model from a folder, with the recogniser settings we apply.

Always ``vosk.Model(str(path))``: the ``lang=``/``model_name=`` forms download
at run time and exit the process on failure.

Decoder settings — endpointing (when an utterance is finished) and the
acoustic model's step size — are read by Vosk from the model's
``conf/model.conf``. To change them without touching the user's model we
build an *overlay*: a folder whose entries link to the model's files except
``conf/model.conf``, which carries our settings.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agent_assist.errors import ModelError

DEFAULT_SAMPLE_RATE = 16000


@dataclass(frozen=True, slots=True)
class DecoderSettings:
    """Decoder options written into the model's configuration.

    ``None`` keeps the model's own value. Endpoint rules, in seconds:
    silence_s: trailing silence that ends a confidently decoded utterance (rule 2);
    long_silence_s: trailing silence that ends any utterance (rule 3);
    max_utterance_s: an utterance is cut after this long even without a pause (rule 5).

    frames_per_chunk: input frames (10 ms) the acoustic model evaluates at a
    time. Vosk's default (21) makes a partial wait for ~210 ms of audio and
    then decodes it in one burst; 9 spreads the work into ~90 ms steps, which
    lowers partial latency for ~15% more CPU. The output is the same.
    """

    silence_s: float | None = None
    long_silence_s: float | None = None
    max_utterance_s: float | None = None
    frames_per_chunk: int | None = 9

    def options(self) -> dict[str, str]:
        opts: dict[str, str] = {}
        if self.frames_per_chunk is not None:
            opts["--frames-per-chunk"] = str(self.frames_per_chunk)
        if self.silence_s is not None:
            opts["--endpoint.rule2.min-trailing-silence"] = f"{self.silence_s:g}"
        if self.long_silence_s is not None:
            opts["--endpoint.rule3.min-trailing-silence"] = f"{self.long_silence_s:g}"
        if self.max_utterance_s is not None:
            opts["--endpoint.rule5.min-utterance-length"] = f"{self.max_utterance_s:g}"
        return opts


@dataclass(frozen=True, slots=True)
class RecognizerSettings:
    words: bool = True  # word times and confidences in final results
    partial_words: bool = False  # word times in partials too (costs ~3 ms per partial)
    max_alternatives: int = 0  # >0: n-best final results (no per-word confidences)
    # Swap in a fresh recogniser after this much audio (bounds memory; 0 = never).
    recycle_after_s: float = 60.0
    decoder: DecoderSettings = field(default_factory=DecoderSettings)


@dataclass(frozen=True, slots=True)
class LoadedModel:
    path: Path
    name: str
    sample_rate: int
    vosk_model: Any  # vosk.Model; shared by every recogniser of a call
    lang: str | None = None  # catalogue language (zh-CN, en-US) when known


def model_sample_rate(path: Path) -> int:
    """The rate the model's features expect, from ``conf/mfcc.conf``."""
    mfcc = path / "conf" / "mfcc.conf"
    if mfcc.is_file():
        for line in mfcc.read_text(encoding="utf-8", errors="replace").splitlines():
            key, _, value = line.strip().partition("=")
            if key == "--sample-frequency" and value:
                return int(float(value))
    return DEFAULT_SAMPLE_RATE


def with_decoder_settings(path: Path, decoder: DecoderSettings, cache_dir: Path) -> Path:
    """The model folder to load so that ``decoder`` applies (``path`` if nothing changes)."""
    options = decoder.options()
    conf = path / "conf" / "model.conf"
    if not options or not conf.is_file():
        return path
    lines = [
        line
        for line in conf.read_text(encoding="utf-8").splitlines()
        if line.strip().partition("=")[0] not in options
    ]
    lines += [f"{key}={value}" for key, value in sorted(options.items())]
    text = "\n".join(lines) + "\n"
    digest = hashlib.sha256(f"{path.resolve()}\n{text}".encode()).hexdigest()[:12]
    overlay = cache_dir / f"{path.name}-{digest}"
    if (overlay / "conf" / "model.conf").is_file():
        return overlay
    staging = cache_dir / f".{overlay.name}.tmp{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        (staging / "conf").mkdir(parents=True)
        for entry in path.iterdir():
            if entry.name != "conf":
                _link_or_copy(entry, staging / entry.name)
        for entry in (path / "conf").iterdir():
            if entry.name != "model.conf":
                _link_or_copy(entry, staging / "conf" / entry.name)
        (staging / "conf" / "model.conf").write_text(text, encoding="utf-8")
        os.replace(staging, overlay)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        if (overlay / "conf" / "model.conf").is_file():  # another process won the race
            return overlay
        raise ModelError(
            f"could not apply the decoder settings to {path} ({exc}); "
            "check that the data folder is writable and has free space"
        ) from exc
    return overlay


def _link_or_copy(source: Path, target: Path) -> None:
    # Symbolic links cost nothing; where they are not allowed (some Windows
    # accounts) the overlay holds a copy.
    try:
        target.symlink_to(source.resolve())
    except OSError:
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            shutil.copy2(source, target)


def load_model(
    path: Path, decoder: DecoderSettings | None = None, cache_dir: Path | None = None
) -> LoadedModel:
    """Load a model folder; raise :class:`ModelError` with advice when it is unusable."""
    import vosk

    if not path.is_dir():
        raise ModelError(
            f"speech model folder not found: {path}. Fetch one with "
            "'agent-assist models fetch zh-CN' or register a folder with "
            "'agent-assist models add PATH'"
        )
    to_load = path
    if decoder is not None and cache_dir is not None:
        to_load = with_decoder_settings(path, decoder, cache_dir)
    vosk.SetLogLevel(-1)
    try:
        model = vosk.Model(str(to_load))
    except Exception as exc:  # vosk raises a bare Exception on any load failure
        raise ModelError(
            f"the speech model at {path} could not be loaded: its files are missing or "
            "damaged. Fetch it again with 'agent-assist models fetch LANG' or add another "
            "folder with 'agent-assist models add PATH'"
        ) from exc
    return LoadedModel(
        path=path, name=path.name, sample_rate=model_sample_rate(path), vosk_model=model
    )
