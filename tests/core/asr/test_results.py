import itertools
from pathlib import Path

import pytest

from agent_assist.asr.results import parse_final, parse_partial

DATA = Path(__file__).parents[2] / "data" / "vosk"


def test_plain_final_has_words_times_and_mean_confidence() -> None:
    final = parse_final((DATA / "plain_final.json").read_text(), offset_ms=1000)
    assert final.text.split() == [w.text for w in final.words]
    assert final.words[0].start_ms == 1150  # 0.15 s + offset
    assert all(w.conf is not None and 0 <= w.conf <= 1 for w in final.words)
    assert final.confidence == pytest.approx(
        sum(w.conf or 0 for w in final.words) / len(final.words)
    )
    assert final.alternatives == ()


def test_alternatives_shape_keeps_every_hypothesis_and_best_first() -> None:
    final = parse_final((DATA / "alternatives_final.json").read_text())
    assert len(final.alternatives) == 2
    assert final.text == final.alternatives[0].text
    assert final.words == final.alternatives[0].words
    assert final.words
    assert all(w.conf is None for w in final.words)
    assert final.confidence is None


def test_partial_with_and_without_words() -> None:
    with_words = parse_partial((DATA / "plain_partial.json").read_text())
    assert with_words.text
    assert [w.text for w in with_words.words] == with_words.text.split()
    without = parse_partial((DATA / "alternatives_partial.json").read_text())
    assert without.text
    assert without.words == ()


def test_word_times_are_monotonic_in_recorded_result() -> None:
    words = parse_final((DATA / "plain_final.json").read_text()).words
    assert all(a.start_ms <= a.end_ms <= b.start_ms + 1 for a, b in itertools.pairwise(words))


def test_empty_results() -> None:
    assert parse_final('{"text": ""}').text == ""
    assert parse_partial('{"partial": ""}').text == ""
