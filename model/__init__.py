"""Onderdak: scenario modelling and strategic real-estate advice for refugee reception."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("onderdak")
except PackageNotFoundError:  # running from a source tree without install
    __version__ = "0.0.0"

STREAMS = ("ukraine", "asylum", "status_holders")
"""The three target groups (doelgroepen), in report order."""
