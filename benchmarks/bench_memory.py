"""Peak memory of ``corsprobe run`` by rows, concurrency and format, against a fast keep-alive server
on 127.0.0.1 (tests/support/fastserver.py, in its own process).

Each run is a real ``python -m corsprobe run FILE --format F --concurrency C`` child, stdout to
/dev/null; its peak RSS comes from ``os.wait4``. Half the rows are simple GETs, half need a
preflight (an ``X-Token`` header); with ``--matrix`` the rows are one table's origins x methods.
Figures, not a timed test. Loopback only.
Usage: python benchmarks/bench_memory.py [--rows 1000 10000 50000] [--concurrency 8 32]
[--formats jsonl json table] [--matrix]
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.fastserver import fast_server  # noqa: E402

TIME_LIMIT = 1800.0  # the whole benchmark
RUN_LIMIT = 600.0  # one run


def scenario(directory: Path, base: str, rows: int, matrix: bool = False) -> Path:
    """``rows`` [[probe]] tables; or (``matrix``) one table whose origins x methods make the rows."""
    path = directory / f"rows-{rows}{'-matrix' if matrix else ''}.toml"
    if matrix and not path.exists():
        width = max(1, int(rows ** 0.5))
        origins = ", ".join(f'"http://app{i}.example"' for i in range(rows // width))
        methods = ", ".join(['"GET"', *(f'"M{i}"' for i in range(width - 1))])
        path.write_text(f'base_url = "{base}"\n[[probe]]\nname = "grid"\npath = "/x"\norigins = [{origins}]\n'
                        f"methods = [{methods}]\n", encoding="utf-8")
    if not path.exists():
        parts = [f'base_url = "{base}"\n\n[defaults]\norigin = "http://localhost:8080"\n']
        for i in range(rows):
            token = '\nheaders = { "X-Token" = "1" }' if i % 2 else ""
            parts.append(f'[[probe]]\nname = "row {i}"\npath = "/items/{i}"{token}\n')
        path.write_text("\n".join(parts), encoding="utf-8")
    return path


def measure(path: Path, fmt: str, concurrency: int, report: Path | None) -> tuple[float, float, int]:
    """(peak RSS in MB, seconds, exit status) of one run."""
    command = [sys.executable, "-m", "corsprobe", "run", str(path), "--format", fmt,
               "--concurrency", str(concurrency)]
    if report is not None:
        command += ["--report-junit", str(report)]
    started = time.perf_counter()
    with open(os.devnull, "w") as devnull:
        child = subprocess.Popen(command, cwd=ROOT, stdout=devnull, stderr=subprocess.DEVNULL,
                                 env={**os.environ, "NO_PROXY": "*"})
        deadline = time.monotonic() + RUN_LIMIT
        try:
            while True:
                pid, status, usage = os.wait4(child.pid, os.WNOHANG)
                if pid:
                    break
                if time.monotonic() > deadline:
                    child.kill()
                    pid, status, usage = os.wait4(child.pid, 0)
                    break
                time.sleep(0.05)
        except BaseException:  # Ctrl-C or SIGTERM: end the run this benchmark started
            child.kill()
            child.wait(timeout=5)
            raise
    child.returncode = os.waitstatus_to_exitcode(status)
    return usage.ru_maxrss / 1024, time.perf_counter() - started, child.returncode


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, nargs="*", default=[1000, 10_000, 50_000])
    parser.add_argument("--concurrency", type=int, nargs="*", default=[8, 32])
    parser.add_argument("--formats", nargs="*", default=["jsonl", "json", "table"])
    parser.add_argument("--junit", action="store_true", help="also write --report-junit in every run")
    parser.add_argument("--matrix", action="store_true",
                        help="one [[probe]] table whose origins x methods make the rows (instead of a table per row)")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so the server and the run are ended too
    stop_at = time.monotonic() + TIME_LIMIT
    print(f"{'rows':>6}  {'concurrency':>11}  {'format':>6}  {'peak RSS MB':>11}  {'seconds':>7}  {'rows/s':>6}  exit")
    with tempfile.TemporaryDirectory() as folder, fast_server() as base:
        for rows in args.rows:
            path = scenario(Path(folder), base, rows, args.matrix)
            for concurrency in args.concurrency:
                for fmt in args.formats:
                    if time.monotonic() > stop_at:
                        print("time limit reached; stopping")
                        return
                    report = Path(folder) / "r.xml" if args.junit else None
                    peak, seconds, status = measure(path, fmt, concurrency, report)
                    print(f"{rows:>6}  {concurrency:>11}  {fmt:>6}  {peak:>11.1f}  {seconds:>7.1f}  "
                          f"{rows / seconds:>6.0f}  {status}", flush=True)


if __name__ == "__main__":
    main()
