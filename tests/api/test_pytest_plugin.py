"""The pytest plugin in inner pytest sessions (pytester, subprocess) against a raw loopback
server started here: the cors_probe fixture, scenario files as items (on/off by the ini key),
collection errors, and projects that never use the plugin."""

from __future__ import annotations

import textwrap

import pytest

from tests.api.conftest import APP
from tests.support.rawserver import RawServer

pytest_plugins = ["pytester"]

STRICT_INI = """\
[pytest]
addopts = --strict-config --strict-markers -p no:cacheprovider
filterwarnings = error
"""
TIMEOUT = 120


def _run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest_subprocess(*args, timeout=TIMEOUT)


def _smoke(url: str, assertion: str = "assert_allowed()") -> str:
    return textwrap.dedent(f"""
        def test_cors(cors_probe):
            result = cors_probe({url!r}, origin={APP!r}, credentials=True)
            result.{assertion}
    """)


def test_three_line_smoke_test_passes_for_an_allowed_endpoint(pytester: pytest.Pytester, api: RawServer) -> None:
    pytester.makefile(".ini", pytest=STRICT_INI)
    pytester.makepyfile(test_smoke=_smoke(api.url("/allow")))
    result = _run(pytester)
    result.assert_outcomes(passed=1)
    assert [r.header("origin") for r in api.log] == [APP]


def test_smoke_test_fails_with_explanation_and_fix_for_a_blocked_endpoint(pytester: pytest.Pytester,
                                                                           api: RawServer) -> None:
    pytester.makefile(".ini", pytest=STRICT_INI)
    pytester.makepyfile(test_smoke=_smoke(api.url("/star")))
    result = _run(pytester)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([
        "E * CORS assertion failed: Expected allowed, but the verdict is blocked.",
        f"E * request: GET {api.url('/star')} from origin {APP} with credentials",
        "E * verdict: blocked (wildcard_origin_not_allowed)",
        "E * why: Access-Control-Allow-Origin is '[*]'*credentials*",
        # Every change the row needs, in one run (issue 7): the exact origin, then credentials.
        f"E * fix 1/2 (actual): Answer 'Access-Control-Allow-Origin: {APP}'*instead of '[*]'*",
        "E * fix 2/2 (actual): Send 'Access-Control-Allow-Credentials: true'*",
    ])
    result.stdout.fnmatch_lines(["test_smoke.py:*: AssertionError"])
    assert "corsprobe/api.py" not in result.stdout.str()


@pytest.mark.parametrize(("assertion", "outcome"), [
    ("assert_blocked()", "passed"),
    ("assert_blocked('wildcard_origin_not_allowed')", "passed"),
    ("assert_blocked('missing_allow_origin_header')", "failed"),
    ("assert_allowed()", "failed"),
], ids=["blocked", "blocked-right-reason", "blocked-wrong-reason", "allowed"])
def test_assert_blocked_in_a_test_suite(pytester: pytest.Pytester, api: RawServer, assertion: str,
                                        outcome: str) -> None:
    pytester.makefile(".ini", pytest=STRICT_INI)
    pytester.makepyfile(test_smoke=_smoke(api.url("/star"), assertion))
    _run(pytester).assert_outcomes(**{outcome: 1})


def test_a_path_uses_the_base_url_option(pytester: pytest.Pytester, api: RawServer) -> None:
    pytester.makefile(".ini", pytest=STRICT_INI)
    pytester.makepyfile(test_smoke=_smoke("/allow"))
    _run(pytester, f"--corsprobe-base-url={api.origin}").assert_outcomes(passed=1)
    without = _run(pytester)
    without.assert_outcomes(failed=1)
    without.stdout.fnmatch_lines(["*a path needs --corsprobe-base-url*"])


SCENARIO = """\
base_url = "http://127.0.0.1:9"

[[probe]]
name = "app reads items"
path = "/allow"
origin = "{app}"
credentials = true
expect = "allowed"

[[probe]]
name = "evil is blocked"
path = "/star"
origin = "https://evil.example"
expect = "blocked"

[[probe]]
name = "not checked"
path = "/blocked"
origin = "{app}"
"""


def _project_with_scenarios(pytester: pytest.Pytester, ini_extra: str = "") -> None:
    pytester.makefile(".ini", pytest=STRICT_INI + ini_extra)
    pytester.mkdir("scenarios")
    (pytester.path / "scenarios" / "api.toml").write_text(SCENARIO.format(app=APP), encoding="utf-8")
    pytester.makepyfile(test_plain="def test_plain():\n    pass\n")


def test_scenario_probes_with_expectations_become_items(pytester: pytest.Pytester, api: RawServer) -> None:
    _project_with_scenarios(pytester, "corsprobe_scenarios = scenarios/*.toml\n")
    result = _run(pytester, "-v", f"--corsprobe-base-url={api.origin}")
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines_random([
        "scenarios/api.toml::app reads items PASSED*",
        "scenarios/api.toml::evil is blocked FAILED*",
        "test_plain.py::test_plain PASSED*",
    ])
    result.stdout.fnmatch_lines([
        "*_ corsprobe: evil is blocked _*",
        "scenarios/api.toml:10: expectation not met",
        "expected: Expected blocked, but the verdict is allowed.",
        "verdict: allowed",
        "why: A browser lets the page read this response (status 200).",
        "fix: Stop answering 'Access-Control-Allow-Origin: *' if 'https://evil.example'*",
    ])
    assert "not checked" not in result.stdout.str()
    assert {r.path for r in api.log} == {"/allow", "/star"}


def test_scenario_collection_is_off_without_the_ini_key(pytester: pytest.Pytester, api: RawServer) -> None:
    _project_with_scenarios(pytester)
    result = _run(pytester, "-v", f"--corsprobe-base-url={api.origin}", "scenarios", "test_plain.py")
    result.assert_outcomes(passed=1)
    assert "api.toml" not in result.stdout.str()
    assert api.log == []


def test_a_bad_scenario_file_is_a_collection_error_with_its_line(pytester: pytest.Pytester) -> None:
    _project_with_scenarios(pytester, "corsprobe_scenarios = scenarios\n")
    (pytester.path / "scenarios" / "bad.toml").write_text(
        '[[probe]]\nurl = "http://127.0.0.1:9/x"\norigin = "https://a.example"\nexpekt = "allowed"\n')
    result = _run(pytester, "--collect-only")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*corsprobe: scenarios/bad.toml:4: unknown key in [[][[]probe[]][]] 'expekt'*"])
    assert "Traceback" not in result.stdout.str()


def test_a_project_that_never_uses_the_plugin_is_unaffected(pytester: pytest.Pytester) -> None:
    pytester.makefile(".ini", pytest=STRICT_INI)
    pytester.makefile(".toml", settings='[tool]\nname = "not a scenario"\n')
    pytester.makepyfile(test_plain=textwrap.dedent("""
        import sys

        def test_nothing_of_corsprobe_loaded_but_the_plugin():
            loaded = sorted(m for m in sys.modules if m.startswith("corsprobe"))
            assert loaded == ["corsprobe", "corsprobe.pytest_plugin"], loaded
    """))
    result = _run(pytester, "-v")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["*plugins:*corsprobe*"])
    assert "settings.toml" not in result.stdout.str()
