"""Reading mention files (CSV, JSON array, NDJSON) and mapping their records to new mentions.
No database, no Qt."""
