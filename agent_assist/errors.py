"""Errors a user can act on.

Every error shown to a person derives from :class:`UserError`: its message says
what went wrong *and what to do*. Anything else reaching the top level is a
defect; the CLI logs its traceback to a file instead of printing it.
"""


class UserError(Exception):
    """A failure with a message written for the person at the keyboard."""


class ModelError(UserError):
    """A speech model is missing, incomplete or unreadable."""


class AudioError(UserError):
    """An audio device or file cannot be used."""


class FetchError(UserError):
    """A model download failed or produced an archive we refuse to install."""


class SettingsError(UserError):
    """The settings file cannot be read."""


class StoreError(UserError):
    """The database cannot be opened, migrated or written."""


class AccessDenied(UserError):
    """The signed-in user's role does not allow this."""
