"""The inbox: the mention list with its filters (and, beside it, the detail pane)."""
