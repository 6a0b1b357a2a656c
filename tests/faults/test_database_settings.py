"""Issue 16: the database fails fast and the embedded default holds a few users at once."""

from django.db import connection


def test_the_database_fails_fast_or_waits_for_its_lock():
    """PostgreSQL: connect and statement timeouts. SQLite: WAL, IMMEDIATE transactions, a 20 s wait."""
    options = connection.settings_dict["OPTIONS"]
    if connection.vendor == "postgresql":
        assert options["connect_timeout"] == 5 and "statement_timeout=30000" in options["options"]
    else:
        assert options["transaction_mode"] == "IMMEDIATE" and options["timeout"] == 20
        assert "journal_mode=WAL" in options["init_command"]
