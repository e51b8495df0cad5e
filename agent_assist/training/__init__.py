"""Role-play drills: scenarios the app plays as the debtor, scored by the live rules.

Qt-free. Scenarios, running a drill and the score: docs/training.md.
"""
