"""`python -m onderdak` is the `onderdak` command line."""

from onderdak.cli.main import main

raise SystemExit(main())
