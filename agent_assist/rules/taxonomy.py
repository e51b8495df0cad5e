"""The flag taxonomy (``resources/taxonomy.yaml``): the categories every rule maps to.

The category ids are a stable contract read by exports and reports; each
category fixes who says it (which gives a rule its default speaker and the
pack's default exclusions for that side) and a default severity.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, cast, get_args

import yaml

from agent_assist.errors import UserError
from agent_assist.paths import resources_dir
from agent_assist.rules.model import Severity

Side = Literal["agent", "debtor"]
SIDES: tuple[str, ...] = get_args(Side)
SEVERITIES: tuple[str, ...] = get_args(Severity)


@dataclass(frozen=True, slots=True)
class Category:
    id: str
    speaker: Side
    severity: Severity
    means: str


def taxonomy_path() -> Path:
    return resources_dir() / "taxonomy.yaml"


def load_taxonomy(path: Path | None = None) -> dict[str, Category]:
    """Read and check the taxonomy; a malformed file is a :class:`UserError` naming the entry."""
    path = path if path is not None else taxonomy_path()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise UserError(f"cannot read the flag taxonomy {path}: {exc}") from exc
    entries = data.get("categories") if isinstance(data, dict) else None
    if not isinstance(entries, dict) or not entries:
        raise UserError(f"{path}: expected a `categories:` mapping of category ids")
    return {str(key): _category(path, str(key), value) for key, value in entries.items()}


def _category(path: Path, category_id: str, entry: Any) -> Category:
    def fail(problem: str) -> UserError:
        return UserError(f"{path}: category {category_id!r}: {problem}")

    if not isinstance(entry, dict):
        raise fail("expected a mapping with speaker, severity and means")
    unknown = sorted(set(entry) - {"speaker", "severity", "means"})
    if unknown:
        raise fail(f"unknown keys {unknown}; allowed: speaker, severity, means")
    speaker, severity, means = entry.get("speaker"), entry.get("severity"), entry.get("means")
    if speaker not in SIDES:
        raise fail(f"speaker must be one of {', '.join(SIDES)}, not {speaker!r}")
    # The id's prefix is how people read a category; it must not say the opposite side.
    if category_id.split(".", 1)[0] in SIDES and not category_id.startswith(f"{speaker}."):
        raise fail(f"speaker {speaker!r} contradicts the id's prefix")
    if severity not in SEVERITIES:
        raise fail(f"severity must be one of {', '.join(SEVERITIES)}, not {severity!r}")
    if not isinstance(means, str) or not means.strip():
        raise fail("`means` must be a non-empty description")
    return Category(category_id, cast(Side, speaker), cast(Severity, severity), means)
