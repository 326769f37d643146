"""Errors a user can fix, with the file and line they concern. Pure."""

from __future__ import annotations


class ScenarioError(Exception):
    """A scenario or config file is wrong: ``file:line: message``."""

    def __init__(self, path: str, line: int | None, message: str) -> None:
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {message}")
        self.path, self.line, self.message = path, line, message
