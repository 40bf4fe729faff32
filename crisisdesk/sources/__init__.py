"""Where mentions come from: platform connectors (httpx) and file import. No Qt here."""
