"""The script library: what a collector can say, chosen for the moment and filled for the case.

Qt-free. Format and use: docs/script-library.md.
"""

from agent_assist.script_library.loader import (
    ScriptLibraryError,
    bundled_library,
    bundled_library_or_none,
    library_path,
    load_library,
)
from agent_assist.script_library.model import PURPOSES, STAGES, VARIABLES, Script, ScriptLibrary
from agent_assist.script_library.render import RenderedScript, render_script
from agent_assist.script_library.select import Suggestion, suggest

__all__ = [
    "PURPOSES",
    "STAGES",
    "VARIABLES",
    "RenderedScript",
    "Script",
    "ScriptLibrary",
    "ScriptLibraryError",
    "Suggestion",
    "bundled_library",
    "bundled_library_or_none",
    "library_path",
    "load_library",
    "render_script",
    "suggest",
]
