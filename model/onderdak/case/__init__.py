"""The case file of one municipality: its settings as YAML, validated, with named scenarios."""
