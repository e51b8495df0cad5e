"""The debtor profile: who is on the line, what is owed, what happened before. Layout only."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLabel, QListWidget, QVBoxLayout, QWidget


class ProfilePanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel(self.tr("Debtor profile"))
        self.title.setStyleSheet("font-weight:bold")
        # Shown instead of the profile when the case cannot be read (e.g. another team's).
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.hide()

        self.case_ref = QLabel()
        self.name = QLabel()
        self.national_id = QLabel()  # masked by the store
        self.phones = QLabel()  # masked by the store
        self.product = QLabel()
        self.overdue = QLabel()
        self.principal = QLabel()
        self.days_past_due = QLabel()
        self.stage = QLabel()
        self.segment = QLabel()  # the worklist's: able_willing … unable_unwilling
        self.credit_tier = QLabel()  # the bank's, from its case list
        self.status = QLabel()
        form = QFormLayout()
        for label, field in (
            (self.tr("Case"), self.case_ref),
            (self.tr("Name"), self.name),
            (self.tr("ID number"), self.national_id),
            (self.tr("Phones"), self.phones),
            (self.tr("Product"), self.product),
            (self.tr("Overdue"), self.overdue),
            (self.tr("Principal"), self.principal),
            (self.tr("Days past due"), self.days_past_due),
            (self.tr("Stage"), self.stage),
            (self.tr("Segment"), self.segment),
            (self.tr("Credit tier"), self.credit_tier),
            (self.tr("Status"), self.status),
        ):
            field.setWordWrap(True)
            form.addRow(label, field)
        self.details = QWidget()
        self.details.setLayout(form)

        self.promises = QListWidget()
        self.contacts = QListWidget()
        self.flags = QListWidget()  # debtor cues confirmed on past calls, with counts
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.title)
        column.addWidget(self.message)
        column.addWidget(self.details)
        for heading, widget in (
            (self.tr("Promises"), self.promises),
            (self.tr("Recent call attempts"), self.contacts),
            (self.tr("Flags from past calls"), self.flags),
        ):
            column.addWidget(QLabel(heading))
            column.addWidget(widget)
