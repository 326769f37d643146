"""``python -m corsprobe``: the same entry point as the ``corsprobe`` command."""

from corsprobe.cli import main

if __name__ == "__main__":
    main()
