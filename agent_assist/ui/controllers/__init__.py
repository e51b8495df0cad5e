"""Behaviour: what happens when the collector acts or the call speaks."""
