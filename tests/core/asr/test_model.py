from pathlib import Path

import pytest

from agent_assist.asr.model import (
    DecoderSettings,
    load_model,
    model_sample_rate,
    with_decoder_settings,
)
from agent_assist.errors import ModelError


def fake_model(root: Path) -> Path:
    model = root / "vosk-model-small-cn-0.22"
    (model / "am").mkdir(parents=True)
    (model / "am" / "final.mdl").write_bytes(b"am")
    (model / "graph").mkdir()
    (model / "conf").mkdir()
    (model / "conf" / "mfcc.conf").write_text("--sample-frequency=8000\n--use-energy=false\n")
    (model / "conf" / "model.conf").write_text(
        "--beam=10.0\n--endpoint.rule2.min-trailing-silence=0.5\n--frames-per-chunk=21\n"
    )
    return model


def test_overlay_rewrites_only_the_decoder_options(tmp_path: Path) -> None:
    model = fake_model(tmp_path)
    overlay = with_decoder_settings(
        model,
        DecoderSettings(silence_s=0.3, max_utterance_s=15, frames_per_chunk=9),
        tmp_path / "cache",
    )
    assert overlay != model
    lines = (overlay / "conf" / "model.conf").read_text().splitlines()
    assert "--beam=10.0" in lines
    assert "--endpoint.rule2.min-trailing-silence=0.3" in lines
    assert "--endpoint.rule2.min-trailing-silence=0.5" not in lines
    assert "--endpoint.rule5.min-utterance-length=15" in lines
    assert "--frames-per-chunk=9" in lines
    assert "--frames-per-chunk=21" not in lines
    assert (overlay / "am" / "final.mdl").read_bytes() == b"am"
    assert (overlay / "conf" / "mfcc.conf").read_text().startswith("--sample-frequency=8000")
    # the user's model is untouched
    assert "--frames-per-chunk=21" in (model / "conf" / "model.conf").read_text()


def test_overlay_is_reused_and_differs_per_setting(tmp_path: Path) -> None:
    model = fake_model(tmp_path)
    cache = tmp_path / "cache"
    a = with_decoder_settings(model, DecoderSettings(silence_s=0.3), cache)
    b = with_decoder_settings(model, DecoderSettings(silence_s=0.3), cache)
    c = with_decoder_settings(model, DecoderSettings(silence_s=0.6), cache)
    assert a == b != c
    assert len(list(cache.iterdir())) == 2


def test_no_options_means_the_model_itself(tmp_path: Path) -> None:
    model = fake_model(tmp_path)
    assert with_decoder_settings(model, DecoderSettings(frames_per_chunk=None), tmp_path) == model


def test_sample_rate_comes_from_the_feature_config(tmp_path: Path) -> None:
    assert model_sample_rate(fake_model(tmp_path)) == 8000
    assert model_sample_rate(tmp_path) == 16000


def test_missing_and_damaged_models_say_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="models fetch"):
        load_model(tmp_path / "absent")
    with pytest.raises(ModelError, match="missing or damaged"):
        load_model(fake_model(tmp_path))  # right layout, bogus contents
