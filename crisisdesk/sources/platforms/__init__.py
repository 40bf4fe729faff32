"""Platform connectors (one module per platform) and what they share: the HTTP client,
the connector protocol and the platform registry. No database, no Qt."""
