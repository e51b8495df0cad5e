"""The review report as a PDF to read: title, period, team, charts and tables.

Tables carry every figure; charts show the few largest series so they stay
legible on a floor of hundreds of collectors. The text is in one CJK TrueType
font (:mod:`agent_assist.reports.fonts`), which also has Latin glyphs, so
Chinese collector names print in an English report as well. Only collector
display names appear: no debtor, case or phone number is in the figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from functools import cache
from pathlib import Path

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from agent_assist.errors import UserError
from agent_assist.reports.fonts import find_cjk_font
from agent_assist.reports.labels import Lang, category_name, text
from agent_assist.store.reports_repo import ReviewReport

FONT = "AgentAssistCJK"
CHART_SERIES = 8  # series drawn in a chart; the tables hold the rest
CHART_RULES = 10
WIDTH = A4[0] - 40 * mm
_CHART_HEIGHT = 62 * mm
_PLOT_WIDTH, _PLOT_HEIGHT = int(WIDTH * 0.66), int(_CHART_HEIGHT) - 48  # room for the legend
PALETTE = (
    colors.HexColor("#1f77b4"),
    colors.HexColor("#ff7f0e"),
    colors.HexColor("#2ca02c"),
    colors.HexColor("#d62728"),
    colors.HexColor("#9467bd"),
    colors.HexColor("#8c564b"),
    colors.HexColor("#e377c2"),
    colors.HexColor("#7f7f7f"),
)


@cache
def _register_font(path: Path) -> None:
    # subfontIndex picks the first face of a .ttc collection; harmless for a .ttf.
    pdfmetrics.registerFont(TTFont(FONT, str(path), subfontIndex=0))


def save_pdf(
    report: ReviewReport,
    path: Path,
    lang: Lang,
    *,
    made_at: datetime | None = None,
    font: Path | None = None,
) -> None:
    _register_font(font or find_cjk_font())
    doc = SimpleDocTemplate(
        str(path),
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=text(lang, "title"),
        author="Agent Assist",
    )
    try:
        doc.build(_story(report, lang, made_at or datetime.now(UTC)))
    except OSError as exc:
        raise UserError(f"cannot write {path}: {exc.strerror}. Choose another file.") from exc


def _story(report: ReviewReport, lang: Lang, made_at: datetime) -> list[Flowable]:
    title = ParagraphStyle("title", fontName=FONT, fontSize=20, leading=26, wordWrap="CJK")
    heading = ParagraphStyle("heading", fontName=FONT, fontSize=13, leading=18, spaceBefore=10)
    body = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=13, wordWrap="CJK")
    team = text(lang, "team").format(team=report.team) if report.team else text(lang, "all_teams")
    period = text(lang, "period").format(since=report.since, until=report.until)
    story: list[Flowable] = [
        Paragraph(text(lang, "title"), title),
        Spacer(1, 3 * mm),
        Paragraph(period, body),
        Paragraph(team, body),
        Paragraph(text(lang, "made").format(at=f"{made_at:%Y-%m-%d %H:%M} UTC"), body),
    ]
    weeks = _weeks(report.since, report.until)
    week_labels = [f"{w:%m-%d}" for w in weeks]

    story.append(Paragraph(text(lang, "collector_weeks"), heading))
    per_collector: dict[str, dict[date, int]] = {}
    for cw in report.collector_weeks:
        per_collector.setdefault(cw.collector, {})[cw.week] = cw.flags
    if per_collector:
        ranked = sorted(per_collector, key=lambda c: -sum(per_collector[c].values()))
        series = {c: [per_collector[c].get(w, 0) for w in weeks] for c in ranked[:CHART_SERIES]}
        story.append(_bars(text(lang, "chart_collectors"), week_labels, series))
        story.append(_pivot(lang, "collector", per_collector, weeks, week_labels))
    else:
        story.append(Paragraph(text(lang, "none"), body))

    story.append(Paragraph(text(lang, "category_weeks"), heading))
    per_category: dict[str, dict[date, int]] = {}
    for gw in report.category_weeks:
        per_category.setdefault(category_name(lang, gw.category), {})[gw.week] = gw.flags
    if per_category:
        ranked = sorted(per_category, key=lambda c: -sum(per_category[c].values()))
        series = {c: [per_category[c].get(w, 0) for w in weeks] for c in ranked[:CHART_SERIES]}
        story.append(_lines(text(lang, "chart_categories"), week_labels, series))
        story.append(_pivot(lang, "category", per_category, weeks, week_labels))
    else:
        story.append(Paragraph(text(lang, "none"), body))

    story.append(Paragraph(text(lang, "rule_rates"), heading))
    if report.rule_rates:
        worst = [(r.rule_id, r.rate) for r in report.rule_rates[:CHART_RULES] if r.false_positives]
        if worst:
            story.append(_rate_bars(text(lang, "chart_rules"), worst))
        head = ["rule", "category", "false_positives", "verdicts", "rate"]
        rows = [
            [
                r.rule_id,
                category_name(lang, r.category),
                r.false_positives,
                r.verdicts,
                f"{r.rate:.0%}",
            ]
            for r in report.rule_rates
        ]
        story.append(_table([text(lang, h) for h in head], rows, numeric_from=2))
    else:
        story.append(Paragraph(text(lang, "none"), body))

    story.append(Paragraph(text(lang, "promises"), heading))
    if report.promise_rates:
        total = report.promises_total
        rows = [
            [p.collector or text(lang, "total"), p.kept, p.broken, _percent(p.rate)]
            for p in (*report.promise_rates, total)
        ]
        head = [text(lang, h) for h in ("collector", "kept", "broken", "rate")]
        story.append(_table(head, rows, numeric_from=1, total_row=True))
    else:
        story.append(Paragraph(text(lang, "none"), body))
    return story


def _weeks(since: date, until: date) -> list[date]:
    """Every Monday from the week of ``since`` to the week of ``until``."""
    first = since - timedelta(days=since.weekday())
    return [first + timedelta(weeks=n) for n in range((until - first).days // 7 + 1)]


def _percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate:.0%}"


def _pivot(
    lang: Lang,
    row_key: str,
    values: dict[str, dict[date, int]],
    weeks: list[date],
    week_labels: list[str],
) -> Table:
    head = [text(lang, row_key), *week_labels, text(lang, "total")]
    rows: list[list[object]] = [
        [name, *(per_week.get(w, 0) for w in weeks), sum(per_week.values())]
        for name, per_week in sorted(values.items(), key=lambda kv: -sum(kv[1].values()))
    ]
    return _table(head, rows, numeric_from=1)


def _table(
    head: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    numeric_from: int,
    total_row: bool = False,
) -> Table:
    table = Table([list(head), *[list(r) for r in rows]], repeatRows=1, hAlign="LEFT")
    style = TableStyle(
        [
            ("FONT", (0, 0), (-1, -1), FONT, 8.5),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef6")),
            ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#b0b8c4")),
            ("ALIGN", (numeric_from, 0), (-1, -1), "RIGHT"),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ]
    )
    if total_row:
        style.add("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#f3f3f3"))
    table.setStyle(style)
    return table


def _chart_frame(title: str, height: float) -> Drawing:
    drawing = Drawing(WIDTH, height)
    drawing.add(String(0, height - 12, title, fontName=FONT, fontSize=10))
    return drawing


def _legend(drawing: Drawing, names: Sequence[str], x: int, y: int) -> None:
    legend = Legend()
    legend.x, legend.y = x, y
    legend.fontName, legend.fontSize = FONT, 7.5
    legend.alignment = "right"
    legend.deltay = 10
    legend.columnMaximum = len(names)  # one column beside the chart
    legend.colorNamePairs = [(PALETTE[i % len(PALETTE)], n) for i, n in enumerate(names)]
    drawing.add(legend)


def _bars(title: str, labels: list[str], series: dict[str, list[int]]) -> Drawing:
    drawing = _chart_frame(title, _CHART_HEIGHT)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 28, 22, _PLOT_WIDTH, _PLOT_HEIGHT
    chart.data = [tuple(v) for v in series.values()]
    chart.categoryAxis.categoryNames = labels
    chart.categoryAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.valueMin = 0
    for i in range(len(series)):
        chart.bars[i].fillColor = PALETTE[i % len(PALETTE)]
    drawing.add(chart)
    _legend(drawing, list(series), _PLOT_WIDTH + 45, int(_CHART_HEIGHT) - 24)
    return drawing


def _lines(title: str, labels: list[str], series: dict[str, list[int]]) -> Drawing:
    drawing = _chart_frame(title, _CHART_HEIGHT)
    chart = HorizontalLineChart()
    chart.x, chart.y, chart.width, chart.height = 28, 22, _PLOT_WIDTH, _PLOT_HEIGHT
    chart.data = [tuple(v) for v in series.values()]
    chart.categoryAxis.categoryNames = labels
    chart.categoryAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.valueMin = 0
    for i in range(len(series)):
        chart.lines[i].strokeColor = PALETTE[i % len(PALETTE)]
        chart.lines[i].strokeWidth = 1.5
    drawing.add(chart)
    _legend(drawing, list(series), _PLOT_WIDTH + 45, int(_CHART_HEIGHT) - 24)
    return drawing


def _rate_bars(title: str, rates: list[tuple[str, float]]) -> Drawing:
    height = 24 + 14 * len(rates) + 22
    drawing = _chart_frame(title, height)
    chart = HorizontalBarChart()
    # The worst rule on top: a horizontal chart draws its first category at the bottom.
    ordered = list(reversed(rates))
    chart.x, chart.y = int(WIDTH * 0.45), 22
    chart.width, chart.height = int(WIDTH * 0.5), 14 * len(rates)
    chart.data = [tuple(round(rate * 100, 1) for _, rate in ordered)]
    chart.categoryAxis.categoryNames = [rule for rule, _ in ordered]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.valueMin, chart.valueAxis.valueMax = 0, 100
    chart.valueAxis.labelTextFormat = "%d%%"
    chart.bars[0].fillColor = PALETTE[3]
    drawing.add(chart)
    return drawing
