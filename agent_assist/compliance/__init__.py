"""The compliance guard: who may be called when, in what order, and what a call changes."""
