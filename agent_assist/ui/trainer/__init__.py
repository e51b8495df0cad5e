"""The trainer window: rule packs and script libraries edited, tried and checked."""
