"""Reporting: house style, figures, tables, Dutch narrative, papermill runner and exporters."""
