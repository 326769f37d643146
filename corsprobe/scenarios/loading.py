"""Reading scenario files and the project config from disk (the I/O half of scenarios).

The project config is the nearest ``corsprobe.toml``, or ``[tool.corsprobe]`` in the nearest
``pyproject.toml``, found upward from the working directory. Reads files; no network.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from corsprobe.errors import ScenarioError
from corsprobe.model import Job
from corsprobe.scenarios.environments import CONFIG_KEYS, Context, Declared, declared_in
from corsprobe.scenarios.parse import load, read_toml

CONFIG_NAME = "corsprobe.toml"


@dataclass(frozen=True, slots=True)
class Batch:
    jobs: list[Job]
    secrets: frozenset[str]


def find_project_config(start: Path) -> Path | None:
    """The nearest corsprobe.toml, or pyproject.toml with [tool.corsprobe], upward from start."""
    for folder in (start, *start.parents):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and "[tool.corsprobe" in _read(pyproject):
            return pyproject
    return None


def read_project_config(path: Path) -> Declared:
    text = _read(path)
    data = read_toml(text, str(path))
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("corsprobe", {})
    for key in data:
        if key not in CONFIG_KEYS:
            raise ScenarioError(str(path), None, f"unknown key '{key}' in the corsprobe config; "
                                "it holds [env.NAME] tables")
    return declared_in(data, str(path), text, lambda _key: None)


def scenario_files(paths: Sequence[str]) -> list[Path]:
    files: list[Path] = []
    for path in map(Path, paths):
        if not path.exists():
            raise ScenarioError(str(path), None, "no such file or directory")
        files += sorted(path.rglob("*.toml")) if path.is_dir() else [path]
    if not files:
        raise ScenarioError(", ".join(paths), None, "no *.toml scenario files here")
    return files


def load_paths(paths: Sequence[str], *, base_url: str | None = None, env: str | None = None,
               variables: Mapping[str, str] | None = None, environ: Mapping[str, str] | None = None,
               cwd: Path | None = None, texts: Sequence[tuple[str, str]] = ()) -> Batch:
    """Every probe of every file under ``paths`` (and of ``texts``: (text, label) pairs), read under one context."""
    config = find_project_config((cwd or Path.cwd()).resolve())
    context = Context(base_url=base_url, env=env, variables=dict(variables or {}),
                      environ=dict(environ or {}),
                      project=read_project_config(config) if config else None)
    jobs: list[Job] = []
    secrets: set[str] = set()
    sources = [(_read(file), str(file)) for file in scenario_files(paths)] if paths else []
    for text, label in [*sources, *texts]:
        loaded = load(text, label, context)
        jobs += loaded.jobs
        secrets |= loaded.secrets
    return Batch(jobs, frozenset(secrets))


def named(jobs: Sequence[Job], texts: Sequence[str]) -> list[Job]:
    """The jobs whose probe name contains any of ``texts`` (``--only``)."""
    return [job for job in jobs if any(text in job.probe.name for text in texts)]


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ScenarioError(str(path), None, f"cannot read: {error}") from None
