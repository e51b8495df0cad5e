"""The team lead's review window: the queue of flagged calls, a call's transcript and flags,
verdicts, coaching notes."""
