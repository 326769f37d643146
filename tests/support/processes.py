"""Real servers in child processes for the layer tests: Express + cors (node), Django + django-cors-headers
(wsgiref) and nginx (Debian's nginx-light), each on 127.0.0.1 with an ephemeral port, started and stopped by
PID with bounded waits. Test-only; does process and socket I/O.

Each server is told its configuration on start (JSON for Express and Django, a generated nginx.conf), so a
test can start one with a configuration corsprobe suggested and re-probe it.
"""

from __future__ import annotations

import json
import os
import re
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.support.servers import Running

ROOT = Path(__file__).resolve().parents[2]
EXPRESS_DIR = ROOT / "tests" / "servers" / "express"
DJANGO_SERVER = ROOT / "tests" / "servers" / "django_app" / "serve.py"
DJANGO_CORS = "corsheaders.middleware.CorsMiddleware"
DJANGO_COMMON = "django.middleware.common.CommonMiddleware"
DJANGO_GATE = "serve.Gate"
START_TIMEOUT = 15.0
STOP_TIMEOUT = 5.0
_LISTENING = re.compile(rb"listening (\d+)")


def express_available() -> str | None:
    """Why the Express server cannot run here (None when it can)."""
    if shutil.which("node") is None:
        return "node is not installed (apt-get install nodejs)"
    if not (EXPRESS_DIR / "node_modules" / "cors").is_dir():
        return f"run 'npm ci' in {EXPRESS_DIR.relative_to(ROOT)}"
    return None


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.access(p, os.X_OK)), None)


@contextmanager
def run_process(argv: Sequence[str], *, env: Mapping[str, str] | None = None, cwd: Path | None = None,
                port: int | None = None) -> Iterator[Running]:
    """Start ``argv``; its port is ``port`` or the number it prints as ``listening PORT`` on stdout.

    Waits at most START_TIMEOUT for the port to accept connections; on leaving, SIGTERM to the child's PID,
    SIGKILL after STOP_TIMEOUT.
    """
    child, found = start_process(argv, env=env, cwd=cwd, port=port)
    try:
        yield Running("http", "127.0.0.1", found)
    finally:
        _stop(child)


def start_process(argv: Sequence[str], *, env: Mapping[str, str] | None = None, cwd: Path | None = None,
                  port: int | None = None) -> tuple[subprocess.Popen[bytes], int]:
    """The started child and its port, once it accepts connections (the child is stopped on failure)."""
    child = subprocess.Popen(list(argv), cwd=cwd, env={**os.environ, **(env or {})}, stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        found = port if port is not None else _read_port(child)
        _wait_accepting(child, found)
    except BaseException:
        _stop(child)
        raise
    return child, found


def _read_port(child: subprocess.Popen[bytes]) -> int:
    assert child.stdout is not None
    deadline, seen = time.monotonic() + START_TIMEOUT, b""
    with selectors.DefaultSelector() as selector:
        selector.register(child.stdout, selectors.EVENT_READ)
        while time.monotonic() < deadline:
            if selector.select(timeout=0.1):
                chunk = os.read(child.stdout.fileno(), 4096)
                if not chunk:
                    break
                seen += chunk
                if match := _LISTENING.search(seen):
                    return int(match.group(1))
            elif child.poll() is not None:
                break
    raise RuntimeError(f"server did not report its port: {seen!r} {_stderr(child)}")


def _wait_accepting(child: subprocess.Popen[bytes], port: int) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if child.poll() is not None:
            raise RuntimeError(f"server exited with {child.returncode}: {_stderr(child)}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"server did not accept connections on port {port} within {START_TIMEOUT} s")


def _stderr(child: subprocess.Popen[bytes]) -> str:
    try:
        child.wait(timeout=1.0)
    except subprocess.TimeoutExpired:
        return ""
    if child.stderr is None:
        return ""
    return child.stderr.read(2000).decode(errors="replace")


def _stop(child: subprocess.Popen[bytes]) -> None:
    if child.poll() is None:
        os.kill(child.pid, signal.SIGTERM)
        try:
            child.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            os.kill(child.pid, signal.SIGKILL)
            child.wait(timeout=STOP_TIMEOUT)
    for stream in (child.stdout, child.stderr):
        if stream is not None:
            stream.close()


def free_port() -> int:
    """A loopback port free right now (for servers that cannot listen on port 0 and say which)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def run_express(config: Mapping[str, Any]) -> Iterator[Running]:
    """tests/servers/express/server.js with ``config`` (``{"cors": {...}, "mount": ..., ...}``)."""
    with run_process(["node", "server.js", json.dumps(config)], cwd=EXPRESS_DIR,
                     env={"NODE_ENV": "production"}) as running:
        yield running


@contextmanager
def run_django(config: Mapping[str, Any]) -> Iterator[Running]:
    """tests/servers/django_app/serve.py: django-cors-headers with ``config`` as settings (``CORS_*`` names)."""
    with run_process([sys.executable, str(DJANGO_SERVER), json.dumps(config)], cwd=ROOT) as running:
        yield running


@contextmanager
def run_nginx(server_block: str, prefix: Path, *, http_block: str = "") -> Iterator[Running]:
    """nginx in the foreground (``daemon off``, one process) with a generated nginx.conf under ``prefix``.

    ``server_block`` is the inside of ``server { ... }`` without ``listen``; ``http_block`` goes before it
    (``map`` blocks). A port taken between choosing and binding is retried (at most 3 times).
    """
    binary = nginx_binary()
    if binary is None:
        raise RuntimeError("nginx is not installed (apt-get install nginx-light)")
    argv = [binary, "-p", str(prefix), "-e", str(prefix / "error.log"), "-c"]
    for attempt in range(3):
        port = free_port()
        conf = _nginx_conf(prefix, port, server_block, http_block)
        try:
            child, _ = start_process([*argv, str(conf)], port=port)
            break
        except RuntimeError:
            if attempt == 2:
                raise
    try:
        yield Running("http", "127.0.0.1", port)
    finally:
        _stop(child)


def _nginx_conf(prefix: Path, port: int, server_block: str, http_block: str) -> Path:
    for name in ("logs", "html", "tmp"):
        (prefix / name).mkdir(parents=True, exist_ok=True)
    (prefix / "html" / "items.json").write_text('{"items": [1, 2, 3]}\n')
    conf = prefix / "nginx.conf"
    temp = prefix / "tmp"
    conf.write_text(f"""daemon off;
master_process off;
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    default_type application/json;
{http_block}
    server {{
        listen 127.0.0.1:{port};
        root {prefix}/html;
{server_block}
    }}
}}
""")
    return conf
