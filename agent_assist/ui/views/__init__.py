"""Widgets: layout only."""
