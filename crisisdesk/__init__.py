"""crisisdesk: notice a social-media backlash early, answer well, follow a plan."""

__version__ = "0.1.0"
APP_NAME = "crisisdesk"
