"""Why a rule flags, by rule id, from the bundled rule packs (the store keeps only the id).

Reading the packs takes a moment: :meth:`load` runs off the UI thread, and until it has,
a rule has no explanation to show.
"""

from __future__ import annotations

from agent_assist.rules.loader import load_pack
from agent_assist.rules.registry import bundled_packs, packs_dir
from agent_assist.rules.taxonomy import load_taxonomy


class RuleExplanations:
    def __init__(self) -> None:
        self._by_rule: dict[str, str] = {}

    def load(self) -> None:
        taxonomy = load_taxonomy()
        found: dict[str, str] = {}
        for pack_id in bundled_packs():
            pack = load_pack(packs_dir() / pack_id, taxonomy)
            found.update({rule.id: rule.explanation for rule in pack.rules})
            found.update({req.id: req.explanation for req in pack.required})
        self._by_rule = found  # one assignment: the UI thread sees all or nothing

    def __call__(self, rule_id: str) -> str:
        return self._by_rule.get(rule_id, "")
