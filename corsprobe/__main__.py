"""``python -m corsprobe``: the same entry point as the ``corsprobe`` command."""

from corsprobe.cli import entry

if __name__ == "__main__":
    entry()
