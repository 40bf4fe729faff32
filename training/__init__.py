"""Reproducible training of what crisisdesk ships (not part of the installed app)."""
