"""Where the app keeps its files: per-user folders, bundled resources, models."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "agent-assist"
_PACKAGE_DIR = Path(__file__).resolve().parent
# A source checkout keeps resources/ and models/ beside the package.
_CHECKOUT_DIR = _PACKAGE_DIR.parent


def resources_dir() -> Path:
    """Bundled data (taxonomy, packs, demo): inside a wheel, or the checkout's resources/."""
    packaged = _PACKAGE_DIR / "resources"
    return packaged if packaged.is_dir() else _CHECKOUT_DIR / "resources"


def data_dir() -> Path:
    """Per-user data folder (database, logs); AGENT_ASSIST_DATA_DIR overrides it."""
    override = os.environ.get("AGENT_ASSIST_DATA_DIR")
    return Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME))


def models_dir() -> Path:
    """Folder of speech models.

    AGENT_ASSIST_MODELS_DIR overrides; a source checkout uses its models/ folder;
    an installed app uses the per-user data folder.
    """
    override = os.environ.get("AGENT_ASSIST_MODELS_DIR")
    if override:
        return Path(override)
    checkout_models = _CHECKOUT_DIR / "models"
    if (checkout_models / "README.md").is_file():
        return checkout_models
    return data_dir() / "models"


def log_dir() -> Path:
    return data_dir() / "logs"
