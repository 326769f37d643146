"""Start-up time of `corsprobe --help`, `--version` and `check --help` against bare
`python -c pass`, measured side by side (interleaved runs, best of N); prints ms and the ratio.

Run from the checkout root: ``python benchmarks/bench_startup.py [runs]``. Target: ratio <= 4.
"""

from __future__ import annotations

import subprocess
import sys
import time

CASES = {
    "python -c pass": ["-c", "pass"],
    "corsprobe --help": ["-m", "corsprobe", "--help"],
    "corsprobe --version": ["-m", "corsprobe", "--version"],
    "corsprobe check --help": ["-m", "corsprobe", "check", "--help"],
}


def main(runs: int = 15) -> None:
    best = {name: float("inf") for name in CASES}
    for _ in range(runs):
        for name, args in CASES.items():
            started = time.perf_counter()
            subprocess.run([sys.executable, *args], capture_output=True, check=True)
            best[name] = min(best[name], time.perf_counter() - started)
    base = best["python -c pass"]
    for name, seconds in best.items():
        print(f"{name:26} {seconds * 1000:7.1f} ms   x{seconds / base:4.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 15)
