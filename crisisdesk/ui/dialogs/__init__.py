"""Dialogs: triage (assign, labels, follow-up) and file import."""
