"""Agent Assist: real-time assistance for loan-collection calls."""

__version__ = "0.1.0"
