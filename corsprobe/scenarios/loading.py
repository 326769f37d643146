"""Reading scenario files and the project config from disk (the I/O half of scenarios).

The project config is the nearest ``corsprobe.toml``, or ``[tool.corsprobe]`` in the nearest
``pyproject.toml``, found upward from the working directory. Files above ``MAX_FILE_BYTES`` are
refused before they are read. Reads files; no network.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from corsprobe.browser.origins import url_problem
from corsprobe.errors import ScenarioError
from corsprobe.model import Job
from corsprobe.scenarios import schema
from corsprobe.scenarios.environments import DEFAULT_MAX_ROWS, Context, Declared, declared_in
from corsprobe.scenarios.matrix import Jobs
from corsprobe.scenarios.parse import Loaded, load
from corsprobe.scenarios.where import Where, decode, read_toml

CONFIG_NAME = "corsprobe.toml"
MAX_FILE_BYTES = 8 * 1024 * 1024
#: The one loaded-batch type: every file's jobs, the secrets they used, the notes to print.
Batch = Loaded


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
    where = Where.scan(text)
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("corsprobe", {})
    what = "[tool.corsprobe]" if path.name == "pyproject.toml" else "the corsprobe config (it holds [env.NAME] tables)"
    schema.check(data, {"env": schema.TABLE}, what, str(path), lambda k: where.key("", 0, k))
    return declared_in(data, str(path), text, where)


def scenario_files(paths: Sequence[str]) -> list[Path]:
    files: list[Path] = []
    for path in map(Path, paths):
        _check_exists(path)
        files += sorted(path.rglob("*.toml")) if path.is_dir() else [path]
    if not files:
        raise ScenarioError(", ".join(paths), None, "no *.toml scenario files here")
    return files


def load_paths(paths: Sequence[str], *, base_url: str | None = None, env: str | None = None,
               variables: Mapping[str, str] | None = None, environ: Mapping[str, str] | None = None,
               cwd: Path | None = None, max_rows: int = DEFAULT_MAX_ROWS,
               texts: Sequence[tuple[str, str]] = ()) -> Loaded:
    """Every probe of every file under ``paths`` (and of ``texts``: (text, label) pairs), read under one context.

    ``ValueError`` for a bad ``base_url`` (it is the caller's, not a file's); ScenarioError for a
    file, with its line. More than ``max_rows`` rows in all are refused before they are built.
    """
    if base_url is not None and (problem := url_problem(base_url)):
        raise ValueError(f"--base-url: {problem}")
    config = find_project_config((cwd or Path.cwd()).resolve())
    project = read_project_config(config) if config else None
    parts: list[Sequence[Job]] = []
    rows = 0
    secrets: set[str] = set()
    notes: list[str] = []
    sources = [(_read(file), str(file)) for file in scenario_files(paths)] if paths else []
    for text, label in [*sources, *texts]:
        context = Context(base_url=base_url, env=env, variables=dict(variables or {}), environ=dict(environ or {}),
                          project=project, max_rows=max_rows - rows)
        loaded = load(text, label, context)
        parts.append(loaded.jobs)
        rows += len(loaded.jobs)
        secrets |= loaded.secrets
        notes += loaded.notes
    jobs = Jobs(parts)
    _refuse_duplicates(jobs)
    return Loaded(jobs, frozenset(secrets), tuple(notes))


def named(jobs: Sequence[Job], texts: Sequence[str]) -> list[Job]:
    """The jobs whose probe name contains any of ``texts`` (``--only``)."""
    return [job for job in jobs if any(text in job.probe.name for text in texts)]


def _refuse_duplicates(jobs: Iterable[Job]) -> None:
    """Across files too: ``diff`` and reports pair rows by name."""
    seen: dict[str, str | None] = {}
    for job in jobs:
        if job.probe.name in seen:
            path, _, line = (job.source or "").rpartition(":")
            raise ScenarioError(path, int(line) if line.isdigit() else None,
                                f"probe name {job.probe.name!r} is also used at {seen[job.probe.name]}; "
                                "give each probe a distinct name")
        seen[job.probe.name] = job.source


def _check_exists(path: Path) -> None:
    if path.exists():
        return
    if path.is_symlink():
        try:
            os.stat(path)
        except OSError as error:
            if error.errno == errno.ELOOP:
                raise ScenarioError(str(path), None, "symbolic link loop: the link points (through other "
                                    "links) back to itself") from None
        raise ScenarioError(str(path), None, f"broken symbolic link to {os.readlink(path)!r}")
    raise ScenarioError(str(path), None, "no such file or directory")


def _read(path: Path) -> str:
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise ScenarioError(str(path), None, "symbolic link loop") from None
        raise ScenarioError(str(path), None, f"cannot read: {error.strerror or error}") from None
    if len(data) > MAX_FILE_BYTES:
        raise ScenarioError(str(path), None, f"larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB: not read; "
                            "split it into several scenario files")
    return decode(data, str(path))
