"""Borderpost: runs a land border crossing."""

__version__ = "0.1.0"
