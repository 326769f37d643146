"""The Python API: probe one request or run scenario files, get the Results the CLI renders.

``probe``/``run_scenarios`` are synchronous wrappers around ``aprobe``/``arun_scenarios``.
Does I/O (HTTP through the runner, reading scenario files); httpx is imported only when a
probe actually runs, so importing this module stays cheap.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, TypeVar

from corsprobe.browser import origins, spec
from corsprobe.model import Credentials, Expectation, Job, Probe, Result, Verdict
from corsprobe.output.view import Row
from corsprobe.reasons import Reason

if TYPE_CHECKING:
    import httpx

    from corsprobe.runner import RunPolicy

__all__ = [
    "aprobe", "arun_scenarios", "assert_allowed", "assert_blocked", "explain", "load_jobs",
    "make_probe", "probe", "run_scenarios",
]

HeadersArg = Mapping[str, str] | Iterable[tuple[str, str]] | None
PathArg = str | os.PathLike[str]
T = TypeVar("T")
DEFAULT_BROWSER = "chromium"
DEFAULT_MAX_BODY = 1024 * 1024  # corsprobe.wire.body.DEFAULT_MAX_BODY (not imported: keeps this module cheap)


def make_probe(url: str, *, origin: str, method: str = "GET", headers: HeadersArg = None,
               body: str | None = None, credentials: bool | Credentials = False,
               cookie: str | None = None, send_unsafe: bool = False, name: str = "") -> Probe:
    """Build the Probe value (the one front door for page input).

    ``ValueError`` (secrets in it masked) for a URL that is not http(s) (with a did-you-mean), an
    origin that is not ``null`` or scheme://host[:port] (with the corrected form), a method that is
    not an HTTP token, or a cookie that is not a valid header value. A forbidden method (CONNECT,
    TRACE, TRACK) is accepted: its result is the ``forbidden_method`` verdict a page gets.
    """
    problem = (origins.url_problem(url) or origins.origin_problem(origin) or spec.method_problem(method)
               or (spec.cookie_problem(cookie) if cookie is not None else None))
    if problem is not None:
        from corsprobe.output.secrets import Masker

        raise ValueError(Masker().text(problem))
    origin = origins.page_origin(origin)[0]
    pairs = headers.items() if isinstance(headers, Mapping) else (headers or ())
    if isinstance(credentials, bool):
        credentials = Credentials.INCLUDE if credentials else Credentials.OMIT
    return Probe(url=url, origin=origin, method=method, headers=tuple((str(n), str(v)) for n, v in pairs),
                 credentials=Credentials(credentials), body=body, send_unsafe=send_unsafe, cookie=cookie,
                 name=name)


async def aprobe(url: str, *, origin: str, method: str = "GET", headers: HeadersArg = None,
                 body: str | None = None, credentials: bool | Credentials = False, cookie: str | None = None,
                 send_unsafe: bool = False, timeout: float = 10.0, insecure: bool = False,
                 cacert: str | None = None, proxy: str | None = None,
                 client: httpx.AsyncClient | None = None, browser: str = DEFAULT_BROWSER,
                 max_body: int = DEFAULT_MAX_BODY) -> Result:
    """What a browser on ``origin`` would do with this fetch(); see ``probe``."""
    from corsprobe.runner import ClientOptions, make_client, run_probe

    request = make_probe(url, origin=origin, method=method, headers=headers, body=body,
                         credentials=credentials, cookie=cookie, send_unsafe=send_unsafe)
    policy = _policy(browser, concurrency=1)
    options = ClientOptions(timeout=timeout, insecure=insecure, cacert=cacert, proxy=proxy, max_body=max_body)
    if client is not None:
        _check_client(client)
        return await run_probe(client, request, policy, options)
    async with make_client(options) as own:
        return await run_probe(own, request, policy, options)


def probe(url: str, *, origin: str, method: str = "GET", headers: HeadersArg = None,
          body: str | None = None, credentials: bool | Credentials = False, cookie: str | None = None,
          send_unsafe: bool = False, timeout: float = 10.0, insecure: bool = False,
          cacert: str | None = None, proxy: str | None = None,
          client: httpx.AsyncClient | None = None, browser: str = DEFAULT_BROWSER,
          max_body: int = DEFAULT_MAX_BODY) -> Result:
    """Probe one cross-origin request as a page on ``origin`` would make it.

    ``credentials=True`` is ``fetch(..., {credentials: 'include'})``; state-changing methods
    get only their preflight unless ``send_unsafe=True``. ``browser`` names whose rules apply
    (``chromium``, ``firefox``, ``webkit``). With ``client`` (e.g. an
    ``httpx.AsyncClient(transport=httpx.ASGITransport(app))``) the TLS and proxy options are
    ignored; ``timeout`` still bounds each exchange.
    Transport failures come back as ``Verdict.ERROR`` results, not exceptions.
    """
    return _run_sync("probe", lambda: aprobe(
        url, origin=origin, method=method, headers=headers, body=body, credentials=credentials,
        cookie=cookie, send_unsafe=send_unsafe, timeout=timeout, insecure=insecure, cacert=cacert,
        proxy=proxy, client=client, browser=browser, max_body=max_body))


def load_jobs(paths: PathArg | Iterable[PathArg], *, base_url: str | None = None, env: str | None = None,
              variables: Mapping[str, str] | None = None,
              only: str | Iterable[str] | None = None) -> list[Job]:
    """Read scenario files as ``corsprobe run`` does (a directory means every ``*.toml`` under it,
    the project's corsprobe.toml applies, ``${NAME}`` comes from ``variables`` then the process
    environment); ScenarioError names the file and line of a mistake."""
    from corsprobe.scenarios.loading import load_paths, named

    items = [paths] if isinstance(paths, str | os.PathLike) else list(paths)
    batch = load_paths([os.fspath(item) for item in items], base_url=base_url, env=env,
                       variables=variables, environ=dict(os.environ))
    if only is None:
        return list(batch.jobs)
    return named(batch.jobs, [only] if isinstance(only, str) else list(only))


async def arun_scenarios(paths: PathArg | Iterable[PathArg], *, base_url: str | None = None,
                         env: str | None = None, variables: Mapping[str, str] | None = None,
                         only: str | Iterable[str] | None = None, concurrency: int = 8,
                         timeout: float = 10.0, insecure: bool = False, cacert: str | None = None,
                         proxy: str | None = None, client: httpx.AsyncClient | None = None,
                         browser: str = DEFAULT_BROWSER, max_body: int = DEFAULT_MAX_BODY) -> list[Result]:
    """Run scenario files; see ``run_scenarios``."""
    from corsprobe.runner import ClientOptions, run_all, run_jobs

    jobs = load_jobs(paths, base_url=base_url, env=env, variables=variables, only=only)
    policy = _policy(browser, concurrency=concurrency)
    options = ClientOptions(timeout=timeout, insecure=insecure, cacert=cacert, proxy=proxy, max_body=max_body)
    if client is not None:
        _check_client(client)
        return await run_jobs(client, jobs, policy, options)
    return await run_all(jobs, options, policy)


def run_scenarios(paths: PathArg | Iterable[PathArg], *, base_url: str | None = None,
                  env: str | None = None, variables: Mapping[str, str] | None = None,
                  only: str | Iterable[str] | None = None, concurrency: int = 8, timeout: float = 10.0,
                  insecure: bool = False, cacert: str | None = None, proxy: str | None = None,
                  client: httpx.AsyncClient | None = None, browser: str = DEFAULT_BROWSER,
                  max_body: int = DEFAULT_MAX_BODY) -> list[Result]:
    """Run scenario files as ``corsprobe run`` does; results keep the files' order.

    ``env`` picks an ``[env.NAME]`` table, ``variables`` define ``${NAME}``; ``only`` keeps
    probes whose name contains one of the given texts (the list may come back empty).
    ``result.passed`` tells whether each row met its expectation.
    """
    return _run_sync("run_scenarios", lambda: arun_scenarios(
        paths, base_url=base_url, env=env, variables=variables, only=only, concurrency=concurrency, timeout=timeout,
        insecure=insecure, cacert=cacert, proxy=proxy, client=client, browser=browser, max_body=max_body))


def _policy(browser: str, concurrency: int) -> RunPolicy:
    from corsprobe.browser.profiles import PROFILES
    from corsprobe.runner import RunPolicy

    if browser not in PROFILES:
        raise ValueError(f"browser {browser!r} is not one of {', '.join(sorted(PROFILES))}")
    return RunPolicy(PROFILES[browser], concurrency=concurrency)


def explain(result: Result) -> str:
    """Multi-line text: the request, the verdict, any unmet expectation, why, the fix, warnings."""
    note = Row.of(result).expectation_note()
    return _describe(result, f"expected: {note}" if note else None)


def assert_allowed(result: Result, *, readable: Iterable[str] = ()) -> None:
    """AssertionError (with explain()'s text) unless a browser lets the page read the response."""
    __tracebackhide__ = True
    _assert(result, Expectation(Verdict.ALLOWED, None, tuple(readable)))


def assert_blocked(result: Result, reason: Reason | str | None = None) -> None:
    """AssertionError unless a browser blocks the request (for ``reason``, when given)."""
    __tracebackhide__ = True
    _assert(result, Expectation(Verdict.BLOCKED, None if reason is None else Reason(reason)))


def _assert(result: Result, expect: Expectation) -> None:
    __tracebackhide__ = True
    judged = replace(result, expect=expect)
    if judged.passed is True:
        return
    wanted = expect.verdict.value + (f" ({expect.reason.value})" if expect.reason else "")
    note = Row.of(judged).expectation_note() or (
        f"Expected {wanted}, but the verdict is {result.outcome.verdict.value}.")
    raise AssertionError(_describe(judged, f"CORS assertion failed: {note}"))


def _describe(result: Result, headline: str | None) -> str:
    row = Row.of(result)
    outcome, request = result.outcome, result.probe
    credentials = " with credentials" if request.credentials is Credentials.INCLUDE else ""
    reason = f" ({outcome.failure.reason.value})" if outcome.failure else ""
    lines = [headline] if headline else []
    lines += [
        f"request: {spec.normalize_method(request.method)} {request.url} from origin {request.origin}"
        f"{credentials}",
        f"verdict: {outcome.verdict.value}{reason}",
        f"why: {row.explanation()}",
    ]
    lines += row.fix_block()
    lines += [f"warning ({finding.reason.value}): {text}" for finding, text in row.warnings()]
    return "\n".join(lines)


def _check_client(client: httpx.AsyncClient) -> None:
    if client.follow_redirects:
        raise ValueError("the httpx client must have follow_redirects=False: corsprobe walks "
                         "redirects itself, as a browser does")


def _run_sync(name: str, start: Callable[[], Awaitable[T]]) -> T:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        pass
    else:
        raise RuntimeError(f"corsprobe.{name}() cannot run inside a running event loop; "
                           f"use 'await corsprobe.a{name}(...)' instead")

    async def main() -> T:
        return await start()

    return asyncio.run(main())
