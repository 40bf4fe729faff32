from crisisdesk.cli import main

raise SystemExit(main())
