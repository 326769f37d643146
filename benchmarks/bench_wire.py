"""`corsprobe run FILE` against the best plain-httpx loops doing the same exchanges, every contender a
subprocess timed from spawn to exit (start-up included), side by side in one run.

(a) CPU-bound: 2,000 preflighted rows (OPTIONS + GET each) at --concurrency 1, 8 and 32 on a fast local
    server (nginx from /usr/sbin/nginx with a generated config when installed, else the asyncio server
    below without delay), against benchmarks/plain_loop.py with one shared client and with N
    single-connection clients sharing one SSL context; ratio = corsprobe / the best plain loop.
(b) latency-bound: the asyncio server answering every request after 50 ms, 500 rows @8 and 2,000 rows
    @32, 64, 128; ratio = corsprobe / ideal, ideal = ceil(rows/concurrency) x 2 x 50 ms; the N-clients
    loop beside it, for reference (what the server and a bare httpx client reach).
Then the peak RSS of `corsprobe run` over 10,000 rows (concurrency 32, fast server) and the requests
sent per row (counted by the server). corsprobe's output is `--format json` to /dev/null.

Each figure is the best of --repeat runs (interleaved), with the contender's CPU seconds (user+sys) beside
it: CPU figures stay meaningful on a loaded machine, wall-clock ones do not. Loopback only; every
subprocess is bounded (TIMEOUT) and every server is ended by its PID.
Usage: python benchmarks/bench_wire.py [--quick] [--repeat N]   (from the checkout root)
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HERE = ROOT / "benchmarks"
TIMEOUT = 180.0
RTT = 0.05
ENV = {k: v for k, v in os.environ.items() if k.lower() not in {"http_proxy", "https_proxy", "all_proxy"}}
NGINX = """daemon off;
master_process off;
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    keepalive_requests 1000000;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    server {{
        listen 127.0.0.1:{port} backlog=1024;
        location / {{
            add_header Access-Control-Allow-Origin "*" always;
            add_header Access-Control-Allow-Headers "x-token" always;
            add_header Access-Control-Allow-Methods "GET" always;
            if ($request_method = OPTIONS) {{ return 204; }}
            return 200 "ok";
        }}
    }}
}}
"""


@dataclass(frozen=True, slots=True)
class Timed:
    wall: float
    cpu: float
    rss_mb: float


def timed(argv: list[str]) -> Timed:
    """Run ``argv`` to its end (at most TIMEOUT), stdout to /dev/null; wall and CPU seconds, peak RSS."""
    started = time.perf_counter()
    child = subprocess.Popen(argv, cwd=ROOT, env=ENV, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE)
    try:
        _, err = child.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        child.kill()
        child.communicate()
        raise SystemExit(f"timed out: {' '.join(argv)}") from None
    wall = time.perf_counter() - started
    usage = _last_child_usage()
    if child.returncode != 0:
        raise SystemExit(f"exit {child.returncode}: {' '.join(argv)}\n{err.decode(errors='replace')[-2000:]}")
    return Timed(wall, usage[0], usage[1])


_seen = [0.0, 0.0]


def _last_child_usage() -> tuple[float, float]:
    """CPU seconds of the child just reaped (RUSAGE_CHILDREN grows by it) and the children's peak RSS (MB)."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    total = usage.ru_utime + usage.ru_stime
    cpu, _seen[0] = total - _seen[0], total
    return cpu, usage.ru_maxrss / 1024


def scenario(directory: Path, base: str, rows: int) -> Path:
    path = directory / f"rows-{rows}-{abs(hash(base))}.toml"
    if not path.exists():
        head = (f'base_url = "{base}"\n\n[defaults]\norigin = "http://localhost:8080"\n'
                'headers = { "X-Token" = "1" }\n\n')
        path.write_text(head + "".join(f'[[probe]]\nname = "r{i}"\npath = "/r"\n\n' for i in range(rows)))
    return path


def corsprobe(file: Path, concurrency: int) -> list[str]:
    return [sys.executable, "-m", "corsprobe", "run", str(file), "--format", "json", "--timeout", "30",
            "--concurrency", str(concurrency)]


def plain(url: str, rows: int, concurrency: int, mode: str) -> list[str]:
    return [sys.executable, str(HERE / "plain_loop.py"), url, str(rows), str(concurrency), mode]


def best(argvs: dict[str, list[str]], repeat: int) -> dict[str, Timed]:
    """Each contender ``repeat`` times, interleaved; the fastest wall-clock run of each."""
    runs: dict[str, list[Timed]] = {name: [] for name in argvs}
    for _ in range(repeat):
        for name, argv in argvs.items():
            runs[name].append(timed(argv))
    return {name: min(found, key=lambda t: t.wall) for name, found in runs.items()}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_accepting(port: int, child: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if child.poll() is not None:
            raise SystemExit(f"server exited: {child.args}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return
        time.sleep(0.05)
    raise SystemExit(f"server not accepting on {port}")


@contextlib.contextmanager
def process(argv: list[str], port: int | None) -> Iterator[str]:
    """Start a server; yield its base URL; end it by its PID (SIGTERM, SIGKILL after 5 s)."""
    child = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        if port is None:
            assert child.stdout is not None
            port = int(child.stdout.readline().split()[-1])
        _wait_accepting(port, child)
        yield f"http://127.0.0.1:{port}"
    finally:
        os.kill(child.pid, signal.SIGTERM)
        try:
            child.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.kill(child.pid, signal.SIGKILL)
            child.wait()
        _last_child_usage()  # the server's CPU is not the next contender's


@contextlib.contextmanager
def fast_server(directory: Path) -> Iterator[tuple[str, str]]:
    binary = shutil.which("nginx") or ("/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None)
    if binary is None:
        with process([sys.executable, str(HERE / "latency_server.py"), "0"], None) as base:
            yield base, "asyncio server (no delay)"
        return
    port = _free_port()
    conf = directory / "nginx.conf"
    conf.write_text(NGINX.format(prefix=directory, port=port))
    with process([binary, "-p", str(directory), "-e", str(directory / "error.log"), "-c", str(conf)], port) as base:
        yield base, f"nginx ({binary}, 1 worker)"


def served(base: str) -> int:
    with urllib.request.urlopen(f"{base}/__count", timeout=5) as answer:
        return int(answer.read())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="a quarter of the rows, no 10,000-row run")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", choices=["a", "b"], help="only part (a) or (b)")
    args = parser.parse_args()
    scale = 4 if args.quick else 1
    load = os.getloadavg()
    print(f"load average at start: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} CPUs; "
          f"best of {args.repeat}; output --format json > /dev/null")
    with tempfile.TemporaryDirectory(prefix="corsprobe-bench-") as temp:
        directory = Path(temp)
        if args.only != "b":
            with fast_server(directory) as (base, name):
                part_a(directory, base, name, 2000 // scale, args.repeat)
                if not args.quick:
                    rss(directory, base)
        if args.only != "a":
            part_b(directory, scale, args.repeat)
    load = os.getloadavg()
    print(f"load average at end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


def part_a(directory: Path, base: str, name: str, rows: int, repeat: int) -> None:
    print(f"\n(a) {name}, {rows} preflighted rows; seconds wall (CPU)")
    print(f"{'conc':>5} {'corsprobe':>14} {'shared client':>14} {'N clients':>14} {'ratio (a)':>10}")
    file = scenario(directory, base, rows)
    for level in (1, 8, 32):
        found = best({"corsprobe": corsprobe(file, level), "shared": plain(f"{base}/r", rows, level, "shared"),
                      "single": plain(f"{base}/r", rows, level, "single")}, repeat)
        mine, shared, single = found["corsprobe"], found["shared"], found["single"]
        cells = [f"{t.wall:6.2f} ({t.cpu:5.2f})" for t in (mine, shared, single)]
        ratio = mine.wall / min(shared.wall, single.wall)
        print(f"{level:>5} {cells[0]:>14} {cells[1]:>14} {cells[2]:>14} {ratio:>10.2f}")


def rss(directory: Path, base: str) -> None:
    found = timed(corsprobe(scenario(directory, base, 10_000), 32))
    print(f"\npeak RSS of corsprobe run, 10,000 rows @32: {found.rss_mb:.0f} MB ({found.wall:.1f} s wall, "
          f"{found.cpu:.1f} s CPU; the peak of every child so far, this run the largest)")


def part_b(directory: Path, scale: int, repeat: int) -> None:
    print(f"\n(b) asyncio server answering after {RTT * 1000:.0f} ms; seconds wall (CPU)")
    print(f"{'rows':>5} {'conc':>5} {'corsprobe':>14} {'ideal':>7} {'ratio (b)':>10} {'requests/row':>13} "
          f"{'CPU/wall':>9} {'N clients':>14} {'its ratio':>10}")
    with process([sys.executable, str(HERE / "latency_server.py"), str(RTT)], None) as base:
        for rows, level in ((500, 8), (2000, 32), (2000, 64), (2000, 128)):
            rows //= scale
            file = scenario(directory, base, rows)
            before = served(base)
            found = best({"corsprobe": corsprobe(file, level)}, repeat)["corsprobe"]
            per_row = (served(base) - before) / (rows * repeat)
            loop = best({"single": plain(f"{base}/r", rows, level, "single")}, repeat)["single"]
            ideal = math.ceil(rows / level) * 2 * RTT
            cell = f"{found.wall:6.2f} ({found.cpu:5.2f})"
            other = f"{loop.wall:6.2f} ({loop.cpu:5.2f})"
            print(f"{rows:>5} {level:>5} {cell:>14} {ideal:>7.2f} {found.wall / ideal:>10.2f} {per_row:>13.2f} "
                  f"{found.cpu / found.wall:>9.2f} {other:>14} {loop.wall / ideal:>10.2f}")
    print("CPU/wall near 1.0: the client's CPU binds (one core); more concurrency cannot help past that")


if __name__ == "__main__":
    main()
