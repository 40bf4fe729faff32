"""Plan and report rendering (HTML first, PDF via QtGui)."""
