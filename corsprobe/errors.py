"""Errors a user can fix, with the file and line they concern. Pure."""

from __future__ import annotations


class ScenarioError(Exception):
    """A scenario or config file is wrong: ``file:line: message``."""

    def __init__(self, path: str, line: int | None, message: str, column: int | None = None) -> None:
        where = f"{path}:{line}" if line else path
        if line and column:
            where += f":{column}"
        super().__init__(f"{where}: {message}")
        self.path, self.line, self.message, self.column = path, line, message, column
