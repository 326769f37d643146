"""pytest plugin (entry point ``pytest11``): the ``cors_probe`` fixture, and scenario files
collected as test items when the ``corsprobe_scenarios`` ini key names them.

Inert unless used: loading it registers a fixture, an ini key and two options and imports
nothing else; corsprobe's engine and httpx load only when a probe runs or a file is collected.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from corsprobe.model import Job, Result, Verdict
    from corsprobe.reasons import Reason

INI_KEY = "corsprobe_scenarios"
_SCENARIO_FILES = pytest.StashKey[frozenset[Path]]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("corsprobe", "corsprobe (CORS checks)")
    group.addoption("--corsprobe-base-url", metavar="URL", default=None,
                    help="Base URL for collected scenario files, and for cors_probe() URLs that "
                    "start with '/'.")
    group.addoption("--corsprobe-env", metavar="NAME", default=None,
                    help="The [env.NAME] table collected scenario files use.")
    group.addoption("--corsprobe-browser", metavar="NAME", default="chromium",
                    choices=("chromium", "firefox", "webkit"),
                    help="Whose CORS rules the collected scenario files and cors_probe() apply (default: chromium).")
    group.addoption("--corsprobe-http1.1", dest="corsprobe_http1", action="store_true", default=False,
                    help="Speak only HTTP/1.1 (default: HTTP/2 on https when h2 is installed, as a browser does).")
    parser.addini(INI_KEY, type="paths", default=[],
                  help="corsprobe scenario files to collect as tests (globs; a directory means "
                  "every *.toml under it). Empty: none.")


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> ScenarioFile | None:
    if file_path.suffix != ".toml":
        return None
    if file_path.resolve() in _scenario_files(parent.config):
        return ScenarioFile.from_parent(parent, path=file_path)
    return None


def _scenario_files(config: pytest.Config) -> frozenset[Path]:
    files = config.stash.get(_SCENARIO_FILES, None)
    if files is None:
        import glob

        found: set[Path] = set()
        for pattern in config.getini(INI_KEY):
            for match in map(Path, glob.glob(str(pattern), recursive=True)):
                found |= set(match.rglob("*.toml")) if match.is_dir() else {match}
        files = config.stash[_SCENARIO_FILES] = frozenset(path.resolve() for path in found)
    return files


class ScenarioFile(pytest.File):
    """One scenario file: each probe with an ``expect`` becomes a ScenarioItem."""

    def collect(self) -> Iterator[ScenarioItem]:
        from corsprobe.errors import ScenarioError
        from corsprobe.scenarios.loading import load_paths

        try:
            batch = load_paths([_shown(self.path)], base_url=self.config.getoption("corsprobe_base_url"),
                               env=self.config.getoption("corsprobe_env"), environ=dict(os.environ),
                               cwd=self.config.rootpath)
        except ScenarioError as error:
            raise self.CollectError(f"corsprobe: {error}") from None
        names: Counter[str] = Counter()
        for job in batch.jobs:
            if job.expect is None:
                continue
            names[job.probe.name] += 1
            count = names[job.probe.name]
            name = job.probe.name if count == 1 else f"{job.probe.name} #{count}"
            yield ScenarioItem.from_parent(self, name=name, job=job, secrets=batch.secrets)


class ScenarioItem(pytest.Item):
    """One probe of a scenario file and what the file expects of it."""

    def __init__(self, *, job: Job, secrets: Iterable[str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.job = job
        self.secrets = frozenset(secrets)

    def runtest(self) -> None:
        import asyncio

        from corsprobe.api import explain
        from corsprobe.browser.profiles import profile_named
        from corsprobe.output.secrets import masker_for
        from corsprobe.runner import ClientOptions, RunPolicy, run_all

        policy = RunPolicy(profile_named(self.config.getoption("corsprobe_browser")), concurrency=1)
        options = ClientOptions(http2=False if self.config.getoption("corsprobe_http1") else None)
        result = asyncio.run(run_all([self.job], options, policy))[0]
        if result.passed is True:
            return
        masker = masker_for([result], self.secrets)
        text = masker.text(explain(masker.value(result)))
        if result.passed is None:
            pytest.skip(f"not evaluated: {text}")
        raise ScenarioFailure(f"{self.job.source}: expectation not met\n{text}")

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException],
                     style: Any = None) -> str | Any:
        if isinstance(excinfo.value, ScenarioFailure):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        line = (self.job.source or "").rpartition(":")[2]
        return self.path, int(line) - 1 if line.isdigit() else None, f"corsprobe: {self.name}"


class ScenarioFailure(Exception):
    """A scenario probe did not meet its expectation (reported without a traceback)."""


@dataclass(frozen=True)
class CorsCheck:
    """What ``cors_probe(...)`` returns: the Result, plus assertions for tests."""

    result: Result

    @property
    def verdict(self) -> Verdict:
        return self.result.outcome.verdict

    @property
    def reason(self) -> Reason | None:
        failure = self.result.outcome.failure
        return failure.reason if failure is not None else None

    @property
    def readable_headers(self) -> tuple[str, ...]:
        return self.result.outcome.readable_headers

    def explain(self) -> str:
        from corsprobe.api import explain

        return explain(self.result)

    def assert_allowed(self, *, readable: Iterable[str] = ()) -> CorsCheck:
        """Fail (showing verdict, reason, why and fix) unless the page can read the response."""
        __tracebackhide__ = True
        from corsprobe.api import assert_allowed

        assert_allowed(self.result, readable=readable)
        return self

    def assert_blocked(self, reason: Reason | str | None = None) -> CorsCheck:
        """Fail unless a browser blocks the request (with this reason code, when given)."""
        __tracebackhide__ = True
        from corsprobe.api import assert_blocked

        assert_blocked(self.result, reason)
        return self


class CorsProbe:
    """The ``cors_probe`` fixture: call it with ``corsprobe.probe()``'s arguments."""

    def __init__(self, base_url: str | None = None, browser: str = "chromium", http1: bool = False) -> None:
        self.base_url = base_url
        self.browser = browser
        self.http2 = False if http1 else None  # --corsprobe-http1.1

    def __call__(self, url: str, *, origin: str, **options: Any) -> CorsCheck:
        from corsprobe.api import probe

        options.setdefault("browser", self.browser)
        options.setdefault("http2", self.http2)
        return CorsCheck(probe(self.url(url), origin=origin, **options))

    async def aprobe(self, url: str, *, origin: str, **options: Any) -> CorsCheck:
        """The same from an async test."""
        from corsprobe.api import aprobe

        options.setdefault("browser", self.browser)
        options.setdefault("http2", self.http2)
        return CorsCheck(await aprobe(self.url(url), origin=origin, **options))

    def url(self, url: str) -> str:
        if not url.startswith("/"):
            return url
        if self.base_url is None:
            raise ValueError(f"cors_probe({url!r}): a path needs --corsprobe-base-url; or pass a full URL")
        return self.base_url.rstrip("/") + url


@pytest.fixture
def cors_probe(request: pytest.FixtureRequest) -> CorsProbe:
    """Probe a request as a browser would: ``cors_probe(url, origin=...).assert_allowed()``."""
    config = request.config
    return CorsProbe(config.getoption("corsprobe_base_url"), config.getoption("corsprobe_browser"),
                     config.getoption("corsprobe_http1"))


def _shown(path: Path) -> str:
    """The path as the user would type it: relative to the working directory when inside it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
