"""The installed version of Onderdak (recorded in every run's manifest)."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("onderdak")
except PackageNotFoundError:  # running from a source tree without install
    __version__ = "0.0.0"
