"""Widget chores the settings dialog's controllers share."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLabel


def select_value(combo: QComboBox, value: object, label: str) -> None:
    """Select the item holding ``value``, adding it (as ``label``) when it is not listed."""
    for index in range(combo.count()):
        if combo.itemData(index) == value:
            combo.setCurrentIndex(index)
            return
    combo.addItem(label, value)
    combo.setCurrentIndex(combo.count() - 1)


def show_message(label: QLabel, text: str) -> None:
    """Show ``text`` in a message label, hiding the label when there is nothing to say."""
    label.setText(text)
    label.setVisible(bool(text))
