from __future__ import annotations

import pytest

from agent_assist.errors import AccessDenied, StoreError
from agent_assist.paths import resources_dir
from agent_assist.store.audit import read_audit
from agent_assist.store.database import Database
from agent_assist.store.library_repo import LibraryRepository
from agent_assist.store.people_repo import SYSTEM
from tests.core.store.builders import team_of


def test_trainers_publish_versions_every_desktop_can_load(db: Database) -> None:
    ann, _bo, _lee, _kim, tia = team_of(db)
    content = (resources_dir() / "packs" / "zh-CN" / "pack.yaml").read_text(encoding="utf-8")
    library = LibraryRepository(db)
    first = library.publish(tia.as_actor(), "rule_pack", "zh-CN", "2026.11.1", content)
    again = library.publish(tia.as_actor(), "rule_pack", "zh-CN", "2026.11.1", content)
    assert again == first
    library.publish(tia.as_actor(), "rule_pack", "zh-CN", "2026.11.2", content + "\n# v2\n")
    assert [v.version for v in library.versions("rule_pack", "zh-CN")] == ["2026.11.2", "2026.11.1"]
    assert library.content("rule_pack", "zh-CN", "2026.11.1").content == content
    assert ("publish", "zh-CN@2026.11.1") in {
        (e.action, e.target_id) for e in read_audit(db, SYSTEM)
    }
    with pytest.raises(AccessDenied):
        library.publish(ann.as_actor(), "rule_pack", "zh-CN", "2026.11.3", content)


def test_a_version_cannot_change_once_published(db: Database) -> None:
    *_, tia = team_of(db)
    library = LibraryRepository(db)
    library.publish(tia.as_actor(), "script_library", "zh-CN", "1", "a: 1\n")
    with pytest.raises(StoreError, match="raise the version"):
        library.publish(tia.as_actor(), "script_library", "zh-CN", "1", "a: 2\n")
