"""opendata: an open-data catalogue and UU KIP information-request service."""

__version__ = "0.1.0"
