"""Onderdak: scenario modelling and strategic real-estate advice for refugee reception."""

from onderdak.core.streams import STREAMS
from onderdak.core.version import __version__

__all__ = ["STREAMS", "__version__"]
