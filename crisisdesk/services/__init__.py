"""Use cases the CLI and the GUI both call: import, sync, send, account set-up, priorities.
They run sources, analysis and store together. No Qt."""
