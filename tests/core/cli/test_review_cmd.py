"""``agent-assist review export``: the report files, and one clear line for each mistake."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from agent_assist.cli import main
from agent_assist.store.audit import read_audit
from agent_assist.store.database import open_database
from agent_assist.store.people_repo import SYSTEM
from tests.core.store.test_reports_repo import flagged_floor

PERIOD = ["--since", "2026-11-01", "--until", "2026-11-09"]


@pytest.fixture
def store(db_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """Two weeks of a red team's flagged calls, the database the CLI opens."""
    monkeypatch.setenv("AGENT_ASSIST_DB_URL", db_url)
    db = open_database(db_url)
    try:
        flagged_floor(db)
    finally:
        db.close()
    return db_url


def test_a_lead_exports_csv_and_pdf_and_both_are_audited(
    store: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "red.csv"
    argv = ["review", "export", "--as", "lee", *PERIOD, "--format", "csv", "-o", str(out)]
    assert main([*argv, "--lang", "en"]) == 0
    assert str(out) in capsys.readouterr().out
    with out.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    weeks = [
        (r["week (Monday)"], r["collector"], r["count"])
        for r in rows
        if r["section"] == "collector_week"
    ]
    assert weeks == [("2026-11-02", "Ann", "3"), ("2026-11-09", "Bo", "1")]
    (total,) = [r for r in rows if r["section"] == "promises_kept_total"]
    assert (total["count"], total["of"], total["rate"]) == ("1", "2", "0.5000")

    pdf = tmp_path / "red.pdf"
    argv = ["review", "export", "--as", "lee", *PERIOD, "--format", "pdf", "-o", str(pdf)]
    assert main(argv) == 0  # the window's language by default: zh
    document = pdfium.PdfDocument(str(pdf))
    try:
        page = document[0]
        textpage = page.get_textpage()
        assert textpage.get_text_range().startswith("通话质检报告")
        textpage.close()
        page.close()
    finally:
        document.close()

    db = open_database(store)
    try:
        exports = [e.detail for e in read_audit(db, SYSTEM) if e.action == "export"]
    finally:
        db.close()
    assert exports == ["pdf, team: red", "csv, team: red"]  # newest first


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--as", "lee", "--since", "2026-11-31", "--until", "2026-12-01"], "not a date"),
        (["--as", "nobody", *PERIOD], "no active user named 'nobody'"),
        (["--as", "ann", *PERIOD], "only a team lead, admin may read review reports"),
        (["--as", "lee", "--since", "2026-11-09", "--until", "2026-11-01"], "ends"),
    ],
)
def test_mistakes_are_one_line_and_exit_2(
    store: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    out = tmp_path / "r.csv"
    assert main(["review", "export", *args, "--format", "csv", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert err.count("\n") == 1
    assert not out.exists()


def test_the_report_benchmark_times_a_month_for_a_lead_and_an_admin(
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = ["bench", "review", "--calls", "400", "--flags", "2000", "--backend", "sqlite"]
    assert main([*argv, "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    for who in ("team_lead", "admin"):
        month = figures["sqlite"][who]
        assert month["pdf_report_s"] == pytest.approx(month["query_s"] + month["pdf_s"], abs=0.002)
        assert month["pdf_report_s"] < figures["target_s"]
    # 20 teams of 10: the administrator's report has every collector who was flagged.
    assert (
        figures["sqlite"]["team_lead"]["collectors"]
        <= 10
        < figures["sqlite"]["admin"]["collectors"]
    )
