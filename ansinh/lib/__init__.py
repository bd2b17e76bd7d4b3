"""Django-free helpers: importable from the file reader, the matching engine and scripts alike."""
