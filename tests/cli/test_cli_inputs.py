"""Malformed input stops at the loader, in every input category (scenario file, [defaults],
[env.X], project config, CLI flags, Python API): exit 2 (or ValueError/ScenarioError), exactly
one stderr line with file:line where there is one, no traceback, and nothing sent — a listener
on loopback counts connections and sees none.
"""

from __future__ import annotations

import socket
import threading
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

import corsprobe
from corsprobe.cli import main
from corsprobe.errors import ScenarioError


class Listener:
    """Accepts connections on 127.0.0.1 and counts them; answers nothing."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.05)
        self.connections = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}"

    def _accept(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self.stop.set()
        self.thread.join(timeout=5)
        self.sock.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.close()


PROBE = '[[probe]]\npath = "/x"\norigin = "https://app.example.com"\n'
# (id, file text, the fragment its one error line must hold); {base} is the listener's origin.
FILES = [
    ("headers-string", PROBE + 'headers = "X-A: 1"\n', "s.toml:4: 'headers' must be a table of strings"),
    ("headers-list", PROBE + 'headers = ["X-A: 1"]\n', "s.toml:4: 'headers' must be a table of strings"),
    ("credentials-number", PROBE + "credentials = 1\n", "s.toml:4: 'credentials' must be true or false"),
    ("send-unsafe-string", PROBE + 'send_unsafe = "yes"\n', "s.toml:4: 'send_unsafe' must be true or false"),
    ("origin-slash", '[[probe]]\npath = "/x"\norigin = "https://app.example.com/"\n',
     "s.toml:3: origin 'https://app.example.com/' has a trailing slash; an origin is scheme://host[:port]: "
     "write 'https://app.example.com'"),
    ("origin-path", '[[probe]]\npath = "/x"\norigins = ["https://app.example.com/login?next=1"]\n',
     "s.toml:3: origin 'https://app.example.com/login?next=1' has '/login?next=1' after the host"),
    ("url-and-path", PROBE + 'url = "{base}/y"\n', "s.toml:2: a probe has 'url' or 'path'"),
    ("duplicate-name", PROBE + 'name = "a"\n' + PROBE + 'name = "a"\n',
     "s.toml:5: probe name 'a' is also used at"),
    ("probe-table", '[probe]\npath = "/x"\norigin = "https://app.example.com"\n',
     "s.toml:1: found a [probe] table; write [[probe]] (an array of tables)"),
    ("method-not-token", PROBE + 'method = "GE T"\n', "s.toml:4: method 'GE T' is not an HTTP method name"),
    ("cookie-crlf", PROBE + 'credentials = true\ncookie = "a=b\\r\\nX-Evil: 1"\n',
     "s.toml:5: the cookie is not a valid header value"),
    ("cookie-non-latin1", PROBE + 'credentials = true\ncookie = "a=€"\n', "s.toml:5: the cookie is not a valid"),
    ("url-no-scheme", '[[probe]]\nurl = "127.0.0.1:8101/items"\norigin = "https://app.example.com"\n',
     "s.toml:2: '127.0.0.1:8101/items' has no scheme; did you mean http://127.0.0.1:8101/items?"),
    ("unclosed-array", PROBE + 'methods = ["GET",\n', "s.toml:4:18: not valid TOML"),
    ("probe-string", 'probe = "x"\n', "s.toml:1: 'probe' must be [[probe]] tables"),
    ("matrix-too-big", '[[probe]]\npath = "/x"\norigins = [' + ", ".join(
        f'"https://a{i}.example"' for i in range(400)) + ']\nmethods = [' + ", ".join(
        f'"M{i}"' for i in range(400)) + "]\n", "160,000 rows (probes x origins x methods) exceed the limit of "
     "100,000; raise it with --max-rows 160000"),
    ("defaults-headers", '[defaults]\nheaders = "X: 1"\n' + PROBE, "s.toml:2: 'headers' must be a table of strings"),
    ("defaults-credentials", '[defaults]\ncredentials = "yes"\n' + PROBE,
     "s.toml:2: 'credentials' must be true or false"),
    ("defaults-origin", '[defaults]\norigin = "https://app.example.com/"\n[[probe]]\npath = "/x"\n',
     "write 'https://app.example.com'"),
    ("defaults-unknown", '[defaults]\nexpect = "allowed"\n' + PROBE, "s.toml:2: unknown key in [defaults] 'expect'"),
    ("env-headers-list", PROBE + '[env.ci]\nheaders = ["X: 1"]\n', "s.toml:5: 'headers' must be a table of strings"),
    ("env-base-url-number", PROBE + '[env.ci]\nbase_url = 5\n', "s.toml:5: 'base_url' must be a string"),
    ("env-unknown", PROBE + '[env.ci]\nbase-url = "http://x"\n',
     "s.toml:5: unknown key in [env.ci] 'base-url'; did you mean 'base_url'?"),
    ("env-vars", PROBE + '[env.ci]\nvars = { tenant = 1 }\n', "s.toml:5: variable 'tenant' must have a string"),
]


def _one_line(result: object, listener: Listener) -> str:
    assert result.exit_code == 2, result.output  # type: ignore[attr-defined]
    lines = result.stderr.strip().splitlines()  # type: ignore[attr-defined]
    assert len(lines) == 1, result.stderr  # type: ignore[attr-defined]
    assert "Traceback" not in result.output  # type: ignore[attr-defined]
    time.sleep(0.1)
    assert listener.connections == 0
    return str(lines[0])


@pytest.mark.parametrize(("text", "fragment"), [c[1:] for c in FILES], ids=[c[0] for c in FILES])
def test_bad_file_is_one_line_and_sends_nothing(text: str, fragment: str, listener: Listener, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "s.toml").write_text(text.replace("{base}", listener.origin), encoding="utf-8")
    env = ["--env", "ci"] if "[env.ci]" in text else []
    result = CliRunner().invoke(main, ["run", "s.toml", "--base-url", listener.origin, *env])
    line = _one_line(result, listener)
    assert line.startswith("corsprobe: error: s.toml"), line
    assert fragment in line


def test_invalid_utf8_has_line_and_column(listener: Listener, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "s.toml").write_bytes(PROBE.encode() + b'name = "caf\xe9"\n')
    line = _one_line(CliRunner().invoke(main, ["run", "s.toml", "--base-url", listener.origin]), listener)
    assert "s.toml:4:12: not UTF-8: byte 0xe9" in line


def test_symlink_loop_is_named(listener: Listener, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.toml").symlink_to(tmp_path / "b.toml")
    (tmp_path / "b.toml").symlink_to(tmp_path / "a.toml")
    line = _one_line(CliRunner().invoke(main, ["run", "a.toml"]), listener)
    assert "a.toml: symbolic link loop" in line


CONFIGS = [
    ("corsprobe.toml", '[env.ci]\nheaders = "X: 1"\n', "corsprobe.toml:2: 'headers' must be a table of strings"),
    ("corsprobe.toml", 'envs = 1\n', "corsprobe.toml:1: unknown key in the corsprobe config"),
    ("corsprobe.toml", '[env.ci]\norigins = "https://a.example"\n', "corsprobe.toml:2: 'origins' must be a list"),
    ("pyproject.toml", '[project]\nname = "x"\n\n[tool.corsprobe.env.ci]\nbase_url = 5\n',
     "pyproject.toml:5: 'base_url' must be a string"),
    ("pyproject.toml", '[tool.corsprobe]\nenvironments = 1\n', "pyproject.toml:2: unknown key in [tool.corsprobe]"),
]


@pytest.mark.parametrize(("name", "text", "fragment"), CONFIGS)
def test_bad_project_config_is_one_line(name: str, text: str, fragment: str, listener: Listener, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "s.toml").write_text(PROBE, encoding="utf-8")
    line = _one_line(CliRunner().invoke(main, ["run", "s.toml", "--base-url", listener.origin, "--env", "ci"]),
                     listener)
    assert fragment in line


FLAGS = [
    (["check", "{host}/items", "--origin", "https://app.example.com"], "has no scheme; did you mean http://"),
    (["check", "{base}/items", "--origin", "https://app.example.com", "-X", "GE T"], "method 'GE T' is not"),
    (["check", "{base}/items", "--origin", "app.example.com"], "did you mean 'https://app.example.com'?"),
    (["check", "{base}/items", "--origin", "https://app.example.com", "--credentials", "--cookie", "a=b\r\nX: 1"],
     "the cookie is not a valid header value"),
    (["check", "htps://127.0.0.1/x", "--origin", "https://app.example.com"], "did you mean https://127.0.0.1/x?"),
    (["run", "s.toml", "--base-url", "127.0.0.1:1"], "--base-url: '127.0.0.1:1' has no scheme"),
    (["run", "s.toml", "--base-url", "{base}", "--max-rows", "1"], "2 rows (probes x origins x methods) exceed"),
]


@pytest.mark.parametrize("args", [f[0] for f in FLAGS], ids=[f[1][:30] for f in FLAGS])
def test_bad_flag_is_one_line(args: list[str], listener: Listener, tmp_path: Path,
                              monkeypatch: pytest.MonkeyPatch) -> None:
    fragment = dict((tuple(a), f) for a, f in FLAGS)[tuple(args)]
    monkeypatch.chdir(tmp_path)
    (tmp_path / "s.toml").write_text('[[probe]]\npath = "/x"\norigins = ["https://a.example", "https://b.example"]\n')
    host = listener.origin.removeprefix("http://")
    argv = [a.replace("{base}", listener.origin).replace("{host}", host) for a in args]
    line = _one_line(CliRunner().invoke(main, argv), listener)
    assert line.startswith("corsprobe: error:") or line.startswith("Error:")
    assert fragment in line


def test_check_origin_with_path_is_accepted_with_one_notice(listener: Listener) -> None:
    """On the command line the typed origin is a convenience: one notice says what is sent."""
    result = CliRunner().invoke(main, ["check", "http://127.0.0.1:9/x", "--origin", "https://App.example.com/",
                                       "--timeout", "0.5"])
    assert "sent as 'Origin: https://app.example.com'" in result.stderr
    assert result.stderr.count("note:") == 1


def test_cookie_without_credentials_warns_once(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["check", "http://127.0.0.1:9/x", "--origin", "https://a.example",
                                       "--cookie", "a=b", "--timeout", "0.5"])
    assert result.stderr.count("warning: --cookie is not sent without --credentials") == 1
    path = tmp_path / "s.toml"
    path.write_text('[defaults]\ncookie = "a=b"\n' + PROBE + PROBE.replace('"/x"', '"/y"'))
    result = CliRunner().invoke(main, ["run", str(path), "--base-url", "http://127.0.0.1:9", "--timeout", "0.5"])
    assert result.stderr.count("warning: 'cookie' is not sent without credentials = true") == 1
    assert f"{path}:2: warning" in result.stderr


@pytest.mark.parametrize(("url", "origin", "message"), [
    ("{host}/items", "https://app.example.com", "has no scheme; did you mean http://"),
    ("{base}/items", "https://app.example.com/", "has a trailing slash"),
    ("{base}/items?token=hunter2-secret", "https://app.example.com/x", "has '/x' after the host"),
    ("ftp://{host}/items?token=hunter2-secret", "https://app.example.com", "corsprobe probes http and https"),
])
def test_python_api_raises_value_error(url: str, origin: str, message: str, listener: Listener) -> None:
    url = url.replace("{base}", listener.origin).replace("{host}", listener.origin.removeprefix("http://"))
    with pytest.raises(ValueError) as error:
        corsprobe.probe(url, origin=origin, method="GET")
    assert message in str(error.value)
    assert "hunter2-secret" not in str(error.value)
    assert listener.connections == 0


def test_python_api_scenario_error_has_line(listener: Listener, tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text(PROBE + "credentials = 1\n")
    with pytest.raises(ScenarioError) as error:
        corsprobe.run_scenarios(path, base_url=listener.origin)
    assert (error.value.path, error.value.line) == (str(path), 4)
    assert listener.connections == 0


def test_million_row_matrix_refused_fast_with_flat_memory(tmp_path: Path) -> None:
    path = tmp_path / "big.toml"
    path.write_text('[[probe]]\npath = "/x"\norigins = [' + ", ".join(f'"https://a{i}.example"' for i in range(1000))
                    + ']\nmethods = [' + ", ".join(f'"M{i}"' for i in range(1000)) + "]\n")
    tracemalloc.start()
    started = time.perf_counter()
    result = CliRunner().invoke(main, ["run", str(path), "--base-url", "http://127.0.0.1:9"])
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert result.exit_code == 2
    assert "1,000,000 rows" in result.stderr and "--max-rows 1000000" in result.stderr
    assert elapsed < 5
    assert peak < 30 * 1024 * 1024


def test_file_above_the_size_limit_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "huge.toml"
    with path.open("w") as handle:
        line = '[[probe]]\npath = "/x"\norigin = "https://a.example"\n'
        handle.write(line * (9 * 1024 * 1024 // len(line) + 1))
    tracemalloc.start()
    result = CliRunner().invoke(main, ["run", str(path), "--base-url", "http://127.0.0.1:9"])
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert result.exit_code == 2
    assert "larger than 8 MiB: not read" in result.stderr
    assert peak < 30 * 1024 * 1024


def test_check_expect_readable_and_shows_readable_headers() -> None:
    """`check --expect-readable NAME` (repeatable) exits 1 when the page cannot read NAME; the
    table lists the headers it can read."""
    from tests.support.rawserver import RawServer, response

    def answer(_request: object) -> bytes:
        return response(200, [("Access-Control-Allow-Origin", "*"), ("Access-Control-Expose-Headers", "X-Total"),
                              ("X-Total", "3"), ("X-Secret-Ish", "1")], b"{}")

    with RawServer(answer) as server:
        ok = CliRunner().invoke(main, ["check", server.url("/x"), "--origin", "https://a.example",
                                       "--expect-readable", "X-Total", "--layout", "table"])
        missing = CliRunner().invoke(main, ["check", server.url("/x"), "--origin", "https://a.example",
                                            "--expect-readable", "X-Total", "--expect-readable", "X-Secret-Ish"])
    assert ok.exit_code == 0, ok.output
    assert "readable:" in ok.stdout and "x-total" in ok.stdout
    assert missing.exit_code == 1
    assert "x-secret-ish" in missing.stdout.lower() or "X-Secret-Ish" in missing.stdout


@pytest.mark.parametrize(("command", "has_concurrency"), [("check", False), ("run", True), ("diff", True),
                                                            ("demo", True)])
def test_help_lists_only_options_that_apply(command: str, has_concurrency: bool) -> None:
    text = CliRunner().invoke(main, [command, "--help"]).output
    assert ("--concurrency" in text) is has_concurrency
