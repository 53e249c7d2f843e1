"""Alembic migrations of the kiosk's database (applied by `kiosk.database.migrate`)."""
