"""The values of a script library: what a collector can say, when, and to whom."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

from agent_assist.errors import UserError

Stage = Literal["early", "mid", "late", "legal"]
Purpose = Literal[
    "opening",
    "identity",
    "amount",
    "consequence",
    "reply",
    "plan",
    "verification",
    "location_only",
    "escalation",
    "closing",
]
STAGES: tuple[Stage, ...] = get_args(Stage)
PURPOSES: tuple[Purpose, ...] = get_args(Purpose)
# What a line may say; render.py fills each one from the case and the caller's details.
VARIABLES = (
    "debtor_name",
    "overdue_amount",
    "currency",
    "due_date",
    "bank_name",
    "agent_name",
    "product",
    "days_past_due",
    "hotline",
)
ANY = "any"  # written for stage or segments: the script fits every one


@dataclass(frozen=True, slots=True)
class Script:
    id: str
    stages: tuple[Stage, ...]  # empty: any stage
    segments: tuple[str, ...]  # empty: any segment
    cues: tuple[str, ...]  # taxonomy ids answered; empty: general (opening, closing, …)
    purpose: Purpose
    lines: tuple[str, ...]  # each a thing the collector can say, in the library's language
    variables: tuple[str, ...]  # in order of first use
    line: int = 0  # where the script starts in its file

    @property
    def general(self) -> bool:
        return not self.cues


@dataclass(frozen=True, slots=True)
class ScriptLibrary:
    language: str  # e.g. zh-CN: also names the rule pack that checks its lines
    version: str
    date_format: str  # {year} {month} {day} {month_name}
    month_names: tuple[str, ...]  # January first; empty when the format needs none
    placeholders: tuple[tuple[str, str], ...]  # variable → what a missing value reads as
    scripts: tuple[Script, ...]
    path: str = ""

    @property
    def region(self) -> str:
        """The country part of the language: where personal numbers are read (masking)."""
        return self.language.split("-")[1]

    def placeholder(self, variable: str) -> str:
        return dict(self.placeholders).get(variable, f"[{variable}]")

    def get(self, script_id: str) -> Script | None:
        for script in self.scripts:
            if script.id == script_id:
                return script
        return None

    def script(self, script_id: str) -> Script:
        found = self.get(script_id)
        if found is None:
            raise UserError(
                f"no script {script_id!r} in the {self.language} script library; "
                "check the id or add the script"
            )
        return found
