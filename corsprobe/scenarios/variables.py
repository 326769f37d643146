"""``${NAME}`` and ``${env:NAME}`` substitution in parsed scenario data.

Pure: the process environment is passed in. Every value taken from ``${env:…}`` is reported
back as a secret so every output can mask it. An undefined variable is a ScenarioError naming
the file and the line where it is used.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from corsprobe.errors import ScenarioError

_NAME = r"[A-Za-z_][A-Za-z0-9_.\-]*"
_PLACEHOLDER = re.compile(r"\$\{(env:)?(" + _NAME + r")\}")


@dataclass
class Substitution:
    """Fills placeholders in one file's data; collects the secret values it used."""

    text: str
    path: str
    variables: Mapping[str, str]
    environ: Mapping[str, str]
    secrets: set[str] = field(default_factory=set)

    def apply(self, data: Any) -> Any:
        if "${" not in self.text:  # nothing to fill in: the data as it is (a large file is not copied)
            return data
        return self._apply(data)

    def _apply(self, data: Any) -> Any:
        if isinstance(data, str):
            return _PLACEHOLDER.sub(self._value, data)
        if isinstance(data, list):
            return [self._apply(item) for item in data]
        if isinstance(data, dict):
            return {key: self._apply(value) for key, value in data.items()}
        return data

    def _value(self, match: re.Match[str]) -> str:
        from_env, name = match.group(1) is not None, match.group(2)
        source = self.environ if from_env else self.variables
        value = source.get(name)
        if value is None:
            line = self._line_of(match.group(0))
            if from_env:
                hint = f"set the environment variable {name}"
            else:
                known = ", ".join(sorted(self.variables)) or "none"
                hint = f"define it in the selected [env.NAME] vars or pass --var {name}=VALUE (known: {known})"
            raise ScenarioError(self.path, line, f"undefined variable {match.group(0)}: {hint}")
        if from_env:
            self.secrets.add(value)
        return value

    def _line_of(self, placeholder: str) -> int | None:
        for number, line in enumerate(self.text.splitlines(), 1):
            if placeholder in line:
                return number
        return None


def parse_assignments(items: tuple[str, ...] | list[str], option: str) -> dict[str, str]:
    """``NAME=VALUE`` pairs from the command line; a ValueError names the bad one."""
    values: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not re.fullmatch(_NAME, name):
            raise ValueError(f"{option} {item!r}: write NAME=VALUE")
        values[name] = value
    return values


def secret_assignment(item: str) -> tuple[str, str] | None:
    """``--secret NAME=VALUE`` -> (NAME, VALUE); a bare ``--secret VALUE`` -> None."""
    name, sep, value = item.partition("=")
    return (name, value) if sep and re.fullmatch(_NAME, name) else None
