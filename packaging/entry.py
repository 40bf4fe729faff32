"""The frozen app's entry point: the same ``main`` as ``python -m crisisdesk``.

``main`` calls ``multiprocessing.freeze_support()`` first, so the import scoring workers the
frozen executable spawns (it re-runs itself) run their work and exit there.
"""

from crisisdesk.cli import main

raise SystemExit(main())
