"""The desktop (PySide6): views hold layout, controllers hold behaviour; no domain logic here."""
