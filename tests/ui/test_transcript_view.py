"""The live transcript's look and behaviour, rendered offscreen and read back as pixels."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QHelpEvent, QImage
from PySide6.QtWidgets import QApplication, QToolTip
from pytestqt.qtbot import QtBot

from agent_assist.events import Final, Flag, Partial
from agent_assist.ui.transcript_model import Highlight, TranscriptModel
from agent_assist.ui.views.transcript_view import (
    COLLECTOR_FLAG,
    DEBTOR_CUE,
    LABEL_GAP,
    PADDING,
    TranscriptView,
)

THREAT = "我 明天 去 你 单位 闹"  # as Vosk prints it; 去 你 单位 闹 is [5, 13)


def said(
    text: str, utterance: int = 0, speaker: str = "agent", final: bool = True
) -> Final | Partial:
    if final:
        return Final(speaker, utterance, text, start_ms=0, end_ms=900, t_ms=1000)
    return Partial(speaker, utterance, text, start_ms=0, t_ms=500)


def flag(
    text: str,
    start: int,
    end: int,
    *,
    speaker: str = "agent",
    severity: str = "critical",
    utterance: int = 0,
) -> Flag:
    return Flag(
        flag_id=f"{speaker}:{utterance}:rule",
        state="confirmed",
        rule_id="rule",
        category="agent.threat" if speaker == "agent" else "debtor.hardship",
        severity=severity,
        speaker=speaker,
        utterance=utterance,
        text=text,
        start=start,
        end=end,
        kind="exact",
        score=1.0,
        explanation="威胁到单位闹事属于暴力催收",
        reply=None,
        t_ms=1000,
    )


@pytest.fixture
def view(qtbot: QtBot) -> TranscriptView:
    shown = TranscriptView()
    shown.setModel(TranscriptModel(shown))
    shown.setFont(QFont(shown.font().family(), 12))
    shown.resize(420, 300)
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitExposed(shown)
    return shown


def model(view: TranscriptView) -> TranscriptModel:
    shown = view.model()
    assert isinstance(shown, TranscriptModel)
    return shown


def settle() -> None:
    for _ in range(3):  # the delayed layout, then the scroll it caused, then the paint
        QApplication.processEvents()


def row_image(view: TranscriptView, row: int) -> QImage:
    rect = view.visualRect(model(view).index(row))
    return view.viewport().grab(rect).toImage()


def text_left(view: TranscriptView) -> int:
    """Where a row's text starts: after the padding and the widest speaker label."""
    bold = QFont(view.font())
    bold.setBold(True)
    metrics = QFontMetricsF(bold)
    label = max(metrics.horizontalAdvance(s) for s in ("Collector", "Debtor"))
    return PADDING + int(label + 0.999) + LABEL_GAP


def darkest(image: QImage, left: int) -> int:
    return min(
        QColor(image.pixel(x, y)).lightness()
        for x in range(left, image.width())
        for y in range(image.height())
    )


def columns_of(image: QImage, colour: QColor) -> list[int]:
    return [
        x
        for x in range(image.width())
        if any(image.pixel(x, y) == colour.rgb() for y in range(image.height()))
    ]


def test_partials_are_grey_and_finals_black(view: TranscriptView) -> None:
    model(view).on_event(said("我 还 在 说", utterance=0, final=False))
    model(view).on_event(said("我 说 完 了", utterance=1))
    settle()
    left = text_left(view)
    assert darkest(row_image(view, 1), left) < 60  # black ink, less antialiasing
    partial = darkest(row_image(view, 0), left)
    assert 90 < partial < 200  # grey


def slant(image: QImage, left: int) -> float:
    """How far the top of the row's glyphs lies right of their bottom, in pixels."""
    background = image.pixel(image.width() - 1, image.height() - 1)
    drawn = [
        (x, y)
        for x in range(left, image.width())
        for y in range(image.height())
        if image.pixel(x, y) != background
    ]
    top, bottom = min(y for _, y in drawn), max(y for _, y in drawn)
    third = (bottom - top) / 3
    upper = [x for x, y in drawn if y < top + third]
    lower = [x for x, y in drawn if y > bottom - third]
    return sum(upper) / len(upper) - sum(lower) / len(lower)


def test_partials_are_italic(view: TranscriptView) -> None:
    model(view).on_event(said("lift", utterance=0, final=False))
    model(view).on_event(said("lift", utterance=1))
    settle()
    left = text_left(view)
    assert slant(row_image(view, 0), left) - slant(row_image(view, 1), left) > 1.0


def test_a_partial_turns_black_when_its_final_arrives(view: TranscriptView) -> None:
    model(view).on_event(said("我 还 在 说", final=False))
    settle()
    assert darkest(row_image(view, 0), text_left(view)) > 90
    model(view).on_event(said("我 还 在 说"))
    settle()
    assert darkest(row_image(view, 0), text_left(view)) < 60


def test_a_collector_flag_is_red_on_the_shown_characters(view: TranscriptView) -> None:
    model(view).on_event(said(THREAT))
    model(view).on_event(flag(THREAT, 5, 13))
    settle()
    index = model(view).index(0)
    assert index.data(TranscriptModel.DisplayTextRole) == "我明天去你单位闹"
    assert index.data(TranscriptModel.HighlightsRole) == (Highlight(3, 8, critical=True),)
    red = columns_of(row_image(view, 0), COLLECTOR_FLAG)
    before = QFontMetricsF(view.font()).horizontalAdvance("我明天")  # unflagged, not bold
    assert red
    assert abs(red[0] - (text_left(view) + before)) <= 2  # starts right after 我明天
    bold = QFont(view.font())
    bold.setBold(True)
    flagged = QFontMetricsF(bold).horizontalAdvance("去你单位闹")  # critical: bold
    assert abs((red[-1] + 1 - red[0]) - flagged) <= 2


def test_a_critical_flag_is_bold(view: TranscriptView) -> None:
    for utterance, severity in enumerate(("warning", "critical")):
        model(view).on_event(said(THREAT, utterance=utterance))
        model(view).on_event(flag(THREAT, 5, 13, severity=severity, utterance=utterance))
    settle()
    left = text_left(view)
    regular, bold = (
        sum(
            QColor(image.pixel(x, y)).lightness() < 100
            for x in range(left, image.width())
            for y in range(image.height())
        )
        for image in (row_image(view, 0), row_image(view, 1))
    )
    assert bold > regular * 1.15  # thicker strokes, more ink


def test_a_debtor_cue_is_amber_not_red(view: TranscriptView) -> None:
    text = "我 的 iPhone 坏 了 下 个 月 还"
    model(view).on_event(said(text, speaker="debtor"))
    model(view).on_event(flag(text, 2, 12, speaker="debtor", severity="info"))  # 的 iPhone
    settle()
    assert model(view).index(0).data(TranscriptModel.DisplayTextRole) == "我的 iPhone 坏了下个月还"
    image = row_image(view, 0)
    assert columns_of(image, DEBTOR_CUE)
    assert not columns_of(image, COLLECTOR_FLAG)


def test_a_flag_from_an_earlier_partial_still_marks_its_words(view: TranscriptView) -> None:
    model(view).on_event(said("嗯 我 明天 去 你 单位", final=False))
    model(view).on_event(flag("嗯 我 明天 去 你 单位", 7, 14))  # 去 你 单位
    model(view).on_event(said("我 明天 去 你 单位 闹", final=False))  # the partial revised
    index = model(view).index(0)
    (mark,) = index.data(TranscriptModel.HighlightsRole)
    assert index.data(TranscriptModel.DisplayTextRole)[mark.start : mark.end] == "去你单位"


def test_the_flag_explanation_shows_on_hover(view: TranscriptView, qtbot: QtBot) -> None:
    model(view).on_event(said(THREAT))
    model(view).on_event(flag(THREAT, 5, 13))
    settle()
    at = view.visualRect(model(view).index(0)).center()
    hover = QHelpEvent(QHelpEvent.Type.ToolTip, at, view.viewport().mapToGlobal(at))
    QApplication.sendEvent(view.viewport(), hover)
    qtbot.waitUntil(QToolTip.isVisible, timeout=2000)
    assert "威胁到单位闹事属于暴力催收" in QToolTip.text()
    QToolTip.hideText()


def fill(view: TranscriptView, rows: int, first: int = 0) -> None:
    for n in range(first, first + rows):
        model(view).on_event(said(f"第 {n} 句 话", utterance=n))
    settle()


def newest_in_sight(view: TranscriptView) -> bool:
    newest = view.visualRect(model(view).index(model(view).rowCount() - 1))
    return view.viewport().rect().contains(newest)


def test_the_newest_row_is_followed_while_at_the_bottom(view: TranscriptView) -> None:
    fill(view, 60)
    bar = view.verticalScrollBar()
    assert bar.maximum() > 0
    assert bar.value() == bar.maximum()
    assert newest_in_sight(view)
    fill(view, 5, first=60)
    assert newest_in_sight(view)


def test_a_collector_reading_further_up_is_not_pulled_down(view: TranscriptView) -> None:
    fill(view, 60)
    bar = view.verticalScrollBar()
    bar.setValue(10)  # scrolled up to read
    fill(view, 20, first=60)
    model(view).on_event(said("第 79 句 话 改 了", utterance=79))  # the last row changes
    settle()
    assert bar.value() == 10
    assert not view.is_following()
    bar.setValue(bar.maximum())  # back at the bottom: followed again
    fill(view, 5, first=80)
    assert view.is_following()
    assert newest_in_sight(view)


def test_a_growing_last_row_stays_in_sight(view: TranscriptView) -> None:
    fill(view, 40)
    model(view).on_event(said("这 句 话 越 说 越 长 " * 12, utterance=39, final=False))
    settle()
    assert newest_in_sight(view)


def test_a_row_growing_from_one_line_to_three_gets_taller(view: TranscriptView) -> None:
    model(view).on_event(said("我 说", final=False))
    settle()
    index = model(view).index(0)
    one_line = view.visualRect(index).height()
    line = QFontMetricsF(view.font()).lineSpacing()
    model(view).on_event(said("这 句 话 越 说 越 长 " * 6, final=False))
    settle()
    text_width = view.viewport().width() - text_left(view) - PADDING
    assert QFontMetricsF(view.font()).horizontalAdvance("这句话越说越长" * 6) > 2 * text_width
    three_lines = view.visualRect(index).height()
    assert three_lines - one_line == pytest.approx(2 * line, abs=4)


def test_a_narrower_view_wraps_rows_again(view: TranscriptView) -> None:
    model(view).on_event(said("这 句 话 越 说 越 长 " * 3))
    settle()
    index = model(view).index(0)
    wide = view.visualRect(index).height()
    view.resize(220, 300)
    settle()
    assert view.visualRect(index).height() > wide
    view.resize(420, 300)
    settle()
    assert view.visualRect(index).height() == wide
