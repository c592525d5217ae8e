"""Alembic migrations, run with `borderpost db upgrade` (see `run.py`)."""
