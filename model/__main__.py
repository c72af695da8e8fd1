"""`python -m model` is the `onderdak` command line."""

from model.cli import main

raise SystemExit(main())
