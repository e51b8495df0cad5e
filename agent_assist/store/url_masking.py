"""A database URL in a field a person sees and edits: shown with its password masked, and
the saved password put back where the field still shows the mask."""

from __future__ import annotations

from urllib.parse import quote

from agent_assist.errors import StoreError
from agent_assist.store.engine import MASK, describe, parse_url


def mask_password(text: str, url: str) -> str:
    """``text`` with ``url`` shown as :func:`describe` shows it, and the password masked
    wherever else it appears (as typed in the URL or decoded)."""
    if not url:
        return text
    try:
        password = parse_url(url).password
    except StoreError:  # where its password is cannot be told: describe hides what it must
        return text.replace(url, describe(url))
    if not password:
        return text
    text = text.replace(url, describe(url))
    for secret in (quote(password, safe=""), password):
        text = text.replace(secret, MASK)
    return text


def restore_password(typed: str, original: str) -> str:
    """The URL as typed, with the original's password where the field still shows the mask."""
    try:
        now, before = parse_url(typed), parse_url(original)
    except StoreError:
        return typed
    if now.password != MASK or before.password is None:
        return typed
    return now.set(password=before.password).render_as_string(hide_password=False)
