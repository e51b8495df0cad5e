"""``agent-assist publish``: folder, versions, activate, rollback, diff."""

from __future__ import annotations

import shutil
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

from agent_assist.cli import main
from agent_assist.paths import resources_dir
from agent_assist.publishing import draft
from agent_assist.rules.model import RulePack
from agent_assist.rules.taxonomy import Category
from agent_assist.store.audit import read_audit
from agent_assist.store.database import Database, open_database
from agent_assist.store.library_repo import LibraryRepository
from agent_assist.store.people_repo import SYSTEM
from tests.core.publishing.builders import PACKS, REF, pack_folder, ship_test_packs
from tests.core.store.builders import team_of


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    ship_test_packs(monkeypatch)  # mini-zh is an id desktops follow
    url = f"sqlite:///{tmp_path / 'team.db'}"
    monkeypatch.setenv("AGENT_ASSIST_DB_URL", url)
    db = open_database(url)
    team_of(db)  # ann (collector), tia (trainer), …
    yield db
    db.close()


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["publish", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_publish_list_activate_and_roll_back(
    store: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = pack_folder(tmp_path, "1.0")
    code, out, _ = run(capsys, "folder", str(first), "--as", "tia")
    assert code == 0
    assert out.startswith("published mini-zh 1.0 (rule pack, sha256 ")
    assert "mini-zh 1.0 is live: every team's desktops run it from their next call" in out
    code, out, _ = run(capsys, "folder", str(first), "--as", "tia")
    assert (code, out.splitlines()[0]) == (
        0,
        "mini-zh 1.0 was published already with these files (rule pack)",
    )

    second = pack_folder(tmp_path, "2.0", added_rule=True)
    code, out, _ = run(capsys, "folder", str(second), "--as", "tia", "--no-activate")
    assert code == 0
    assert "not active: `agent-assist publish activate mini-zh 2.0` makes it live" in out
    code, out, _ = run(capsys, "versions", REF)
    lines = out.splitlines()
    assert lines[0].startswith("  2.0 ")
    assert lines[1].startswith("* 1.0 ")
    assert lines[1].endswith("  active for all teams")
    assert "by tia" in lines[0]

    assert run(capsys, "activate", REF, "2.0", "--as", "tia")[:2] == (
        0,
        "mini-zh 2.0 is live: every team's desktops run it from their next call\n",
    )
    assert run(capsys, "rollback", REF, "--as", "tia")[1].startswith("mini-zh is back to 1.0")
    assert "back to the files shipped" in run(capsys, "rollback", REF, "--as", "tia")[1]
    code, out, err = run(capsys, "rollback", REF, "--as", "tia")
    assert (code, out) == (2, "")
    assert err == (
        "agent-assist: mini-zh runs the files shipped with the app already: nothing to roll back\n"
    )
    assert (
        run(capsys, "versions", REF)[1].splitlines()[-1]
        == "* mini-zh runs the files shipped with the app"
    )

    tia = LibraryRepository(store).versions("rule_pack", REF)[0].published_by
    actions = [(e.action, e.target_id, e.actor_id) for e in read_audit(store, SYSTEM)]
    assert actions[:5] == [
        ("rollback", "mini-zh@shipped", tia),
        ("rollback", "mini-zh@1.0", tia),
        ("activate", "mini-zh@2.0", tia),
        ("publish", "mini-zh@2.0", tia),
        ("activate", "mini-zh@1.0", tia),
    ]


def test_refusals_are_one_line_with_what_to_do(
    store: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "folder", str(pack_folder(tmp_path, "1.0")), "--as", "ann")
    assert (code, out) == (2, "")
    assert err == (
        "agent-assist: only a trainer, admin may publish rule packs and script libraries "
        "(signed in as a collector)\n"
    )
    code, _, err = run(capsys, "folder", str(tmp_path), "--as", "tia")
    assert code == 2
    assert "neither a rule pack (no pack.yaml) nor a script library" in err
    code, _, err = run(capsys, "activate", REF, "7", "--as", "tia")
    assert code == 2
    assert "mini-zh 7 has not been published" in err
    assert run(capsys, "activate", REF, "7", "--as", "nobody")[2] == (
        "agent-assist: no active user named 'nobody'\n"
    )


def test_a_broken_folder_lists_every_problem_and_publishes_nothing(
    store: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "folder", str(PACKS / "broken"), "--as", "tia")
    assert (code, out) == (2, "")
    lines = err.splitlines()
    assert lines[0].startswith("agent-assist: the rule pack broken was not published (")
    assert "pack.yaml:3:7: pack id 'brokn' does not match its folder name 'broken'" in lines
    assert "rules/a.yaml:4:11: `[` is never closed" in lines
    assert LibraryRepository(store).versions("rule_pack", "broken") == []


def test_a_version_for_one_team_first(
    store: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "folder", str(pack_folder(tmp_path, "1.0")), "--as", "tia")
    second = pack_folder(tmp_path, "2.0", added_rule=True)
    code, out, _ = run(capsys, "folder", str(second), "--as", "tia", "--team", "red")
    assert code == 0
    assert "mini-zh 2.0 is live: every desktop of team red runs it from its next call" in out
    lines = run(capsys, "versions", REF, "--team", "red")[1].splitlines()
    assert lines[0].startswith("* 2.0 ")
    assert lines[0].endswith("  active for red")
    assert lines[1].startswith("  1.0 ")
    assert lines[1].endswith("  active for all teams")
    assert run(capsys, "versions", REF, "--team", "blue")[1].splitlines()[1].startswith("* 1.0")
    assert run(capsys, "diff", str(second), "--team", "red")[:2] == (0, "")

    out = run(capsys, "activate", REF, "1.0", "--as", "tia")[1]
    assert out == (
        "mini-zh 1.0 is live: every team's desktops run it from their next call\n"
        "teams with a version of their own keep it: red (`agent-assist publish rollback "
        "mini-zh --team NAME --to every-team` makes one follow)\n"
    )
    code, out, _ = run(capsys, "rollback", REF, "--as", "tia", "--team", "red")
    assert (code, out) == (
        0,
        "team red follows every team's mini-zh again (1.0): every desktop of team red runs "
        "it from its next call\n",
    )
    code, _, err = run(capsys, "activate", REF, "1.0", "--as", "tia", "--team", "green")
    assert (code, err) == (2, "agent-assist: no team named 'green' (teams: blue, red)\n")
    audit = [(e.action, e.target_id, e.detail) for e in read_audit(store, SYSTEM)][:2]
    assert audit == [
        ("rollback", "mini-zh@every-team", "2.0; team red"),
        ("activate", "mini-zh@2.0", "was every-team (1.0); team red"),
    ]


def test_diff_against_the_live_version(
    store: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = pack_folder(tmp_path, "1.0")
    # Nothing published: against the shipped files (the test pack stands in for them).
    assert run(capsys, "diff", str(first))[:2] == (0, "")
    extra = first / "rules" / "extra.yaml"
    extra.write_text("[]\n", encoding="utf-8")
    code, out, _ = run(capsys, "diff", str(first))
    assert code == 1
    assert f"--- /dev/null\n+++ {first}/rules/extra.yaml\n" in out
    extra.unlink()

    run(capsys, "folder", str(first), "--as", "tia")
    assert run(capsys, "diff", str(first))[:2] == (0, "")
    second = pack_folder(tmp_path, "2.0", added_rule=True)
    code, out, _ = run(capsys, "diff", str(second))
    assert code == 1
    assert f"--- mini-zh@1.0/pack.yaml\n+++ {second}/pack.yaml\n" in out
    assert "\n-  version: 1.0\n+  version: 2.0\n" in out
    assert "\n+- id: zh.agent.threat.purple_elephant\n" in out


def test_a_script_library_is_published_by_its_language(
    store: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "en-US"
    shutil.copytree(resources_dir() / "scripts" / "en-US", folder)
    assert run(capsys, "diff", str(folder))[:2] == (0, "")  # the same as shipped
    code, out, _ = run(capsys, "folder", str(folder), "--as", "tia", "--version", "2026.12.1")
    assert code == 0
    assert "published en-US 2026.12.1 (script library" in out
    assert run(capsys, "versions", "en-US", "--scripts")[1].startswith("* 2026.12.1 ")
    assert run(capsys, "versions", "en-US")[1] == "* en-US runs the files shipped with the app\n"


def test_publishing_a_folder_loads_the_pack_once(
    store: Database,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The folder is checked before anything is sent; the repository's own check of the
    # very text checked then needs no second load.
    loads: list[Path] = []
    load_pack = draft.load_pack

    def counted(folder: Path, taxonomy: Mapping[str, Category] | None = None) -> RulePack:
        loads.append(folder)
        return load_pack(folder, taxonomy)

    monkeypatch.setattr(draft, "load_pack", counted)
    folder = pack_folder(tmp_path, "4.1.once")  # a text no other test checks
    code, out, _ = run(capsys, "folder", str(folder), "--as", "tia")
    assert code == 0
    assert out.startswith("published mini-zh 4.1.once (rule pack, sha256 ")
    assert len(loads) == 1
