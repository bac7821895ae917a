"""The only code that speaks SQL: the SQLite file, its migrations, and one module per family of tables."""

DATABASE_FILE = "unscroll.sqlite3"
"""The name of the store's file in the data folder (``Paths.database``)."""
