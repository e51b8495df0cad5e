"""The window's language: the app's own translations and Qt's (standard buttons, dialogs).

English is the source language; ``zh`` loads ``resources/i18n/agent_assist_zh_CN.qm``
(made by ``scripts/translations.py release``) and Qt's ``qt_zh_CN.qm``.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from agent_assist.paths import resources_dir

LOCALES = {"zh": "zh_CN", "en": "en_US"}


def install_translators(qt: QCoreApplication, language: str) -> list[QTranslator]:
    """Translate the UI into ``language`` ("zh" or "en"); returns the translators
    installed (the application holds them; keep them alive as long as it runs)."""
    for old in qt.findChildren(QTranslator):
        qt.removeTranslator(old)
        old.deleteLater()
    locale = LOCALES.get(language, "en_US")
    QLocale.setDefault(QLocale(locale))
    if locale == "en_US":
        return []
    installed = []
    for name, folder in (
        (f"agent_assist_{locale}", str(resources_dir() / "i18n")),
        (f"qt_{locale}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)),
    ):
        translator = QTranslator(qt)
        if translator.load(name, folder):
            qt.installTranslator(translator)
            installed.append(translator)
        else:  # Qt's own may be missing from a slim install: its buttons stay English
            translator.deleteLater()
    return installed
