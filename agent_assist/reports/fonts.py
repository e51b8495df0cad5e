"""A TrueType font with Chinese glyphs for the PDF, found in the usual font folders.

ReportLab embeds TrueType outlines only, so CFF-based fonts (Noto CJK, Source Han)
cannot be used; these can.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from agent_assist.errors import UserError

# Preferred first: WenQuanYi Micro Hei (Debian's fonts-wqy-microhei, installed by setup).
CJK_FONT_FILES = (
    "wqy-microhei.ttc",
    "wqy-zenhei.ttc",
    "msyh.ttc",  # Microsoft YaHei (Windows)
    "simhei.ttf",
    "simsun.ttc",
    "DroidSansFallbackFull.ttf",
    "DroidSansFallback.ttf",
)


def font_folders() -> list[Path]:
    home = Path.home()
    folders = [
        home / ".local/share/fonts",
        home / ".fonts",
        Path("/usr/local/share/fonts"),
        Path("/usr/share/fonts"),
        home / "Library/Fonts",
        Path("/Library/Fonts"),
        Path("/System/Library/Fonts"),
    ]
    if sys.platform == "win32":
        folders.insert(0, Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts")
    return [f for f in folders if f.is_dir()]


def find_cjk_font(folders: list[Path] | None = None) -> Path:
    """The first known CJK TrueType font in ``folders`` (default: the standard ones)."""
    wanted = {name.lower(): rank for rank, name in enumerate(CJK_FONT_FILES)}
    best: tuple[int, Path] | None = None
    for folder in font_folders() if folders is None else folders:
        for root, _dirs, files in os.walk(folder):
            for name in files:
                rank = wanted.get(name.lower())
                if rank is not None and (best is None or rank < best[0]):
                    best = (rank, Path(root) / name)
    if best is not None:
        return best[1]
    raise UserError(
        "no Chinese font found for the PDF report. Install one, e.g. "
        "`sudo apt install fonts-wqy-microhei` on Debian or Ubuntu, "
        "or export the report as CSV instead."
    )
