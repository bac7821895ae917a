"""The only code that speaks SQL: the SQLite file, its migrations, and one module per family of tables."""
