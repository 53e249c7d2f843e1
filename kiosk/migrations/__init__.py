"""Alembic migrations of the kiosk's database (applied by `kiosk.store.migrate`)."""
