"""The PDF report, rendered to images and read back as text with PDFium."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageStat

from agent_assist.errors import UserError
from agent_assist.reports.fonts import find_cjk_font
from agent_assist.reports.pdf_report import save_pdf
from tests.core.reports.report_samples import SAMPLE


def _pages(path: Path) -> tuple[list[str], list[Image.Image]]:
    """Each page's text and its picture at 100 dpi."""
    document = pdfium.PdfDocument(str(path))
    texts, images = [], []
    try:
        for page in document:
            textpage = page.get_textpage()
            texts.append(textpage.get_text_range())
            images.append(page.render(scale=100 / 72).to_pil().convert("L"))
            textpage.close()
            page.close()
    finally:
        document.close()
    return texts, images


def test_a_chinese_report_has_its_title_tables_and_charts(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    save_pdf(SAMPLE, path, "zh")

    texts, images = _pages(path)
    assert len(texts) == 2  # charts and tables on the first page, promises on the second
    text = "".join(texts)
    assert text.startswith("通话质检报告")
    assert "统计期间：2026-11-01 至 2026-11-14" in text
    assert "团队：华东一组" in text
    # Names, categories by name, rules and rates from every table.
    for expected in (
        "张伟",
        "Maria Lopez",
        "威胁",
        "经济困难",
        "zh.debtor.hardship.job_loss",
        "75%",
    ):
        assert expected in text
    image = images[0]
    assert image.size == (827, 1170)  # A4 at 100 dpi, rounded up
    # Not blank: dark text and coloured chart areas cover a real share of the page.
    dark = sum(image.histogram()[:128]) / (image.width * image.height)
    assert dark > 0.01
    assert ImageStat.Stat(image).stddev[0] > 20


def test_an_english_report_names_the_same_figures_in_english(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    save_pdf(replace(SAMPLE, team=None), path, "en")

    texts, _ = _pages(path)
    text = "".join(texts)
    assert text.startswith("Call review report")
    assert "Team: all teams" in text
    assert "Threat" in text
    assert "Hardship" in text
    assert "张伟" in text  # a Chinese collector's name prints in an English report too


def test_an_empty_period_says_so(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    empty = replace(SAMPLE, collector_weeks=(), category_weeks=(), rule_rates=(), promise_rates=())
    save_pdf(empty, path, "en")

    (text,), _ = _pages(path)
    assert text.count("Nothing in this period.") == 4


def test_without_a_chinese_font_the_message_says_what_to_install(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="fonts-wqy-microhei"):
        find_cjk_font([tmp_path])
    (tmp_path / "deep" / "er").mkdir(parents=True)
    font = find_cjk_font()
    (tmp_path / "deep" / "er" / font.name).symlink_to(font)
    assert find_cjk_font([tmp_path]) == tmp_path / "deep" / "er" / font.name
