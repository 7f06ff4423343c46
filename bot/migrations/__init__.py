"""Alembic revisions, shipped inside the package."""
