"""corsprobe: would a browser on origin X be allowed to make this request to this live API?

The public names below load on first use (PEP 562), so ``import corsprobe`` (and the CLI's
``--help``) stays cheap; httpx is imported only when a probe runs.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "Credentials",
    "Expectation",
    "Outcome",
    "Probe",
    "Reason",
    "Result",
    "ScenarioError",
    "Verdict",
    "__version__",
    "aprobe",
    "arun_scenarios",
    "probe",
    "run_scenarios",
]

_HOMES = {
    "probe": "corsprobe.api", "aprobe": "corsprobe.api",
    "run_scenarios": "corsprobe.api", "arun_scenarios": "corsprobe.api",
    "Result": "corsprobe.model", "Probe": "corsprobe.model", "Outcome": "corsprobe.model",
    "Verdict": "corsprobe.model", "Credentials": "corsprobe.model", "Expectation": "corsprobe.model",
    "Reason": "corsprobe.reasons", "ScenarioError": "corsprobe.errors",
}

if TYPE_CHECKING:
    from corsprobe.api import aprobe, arun_scenarios, probe, run_scenarios
    from corsprobe.errors import ScenarioError
    from corsprobe.model import Credentials, Expectation, Outcome, Probe, Result, Verdict
    from corsprobe.reasons import Reason


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'corsprobe' has no attribute {name!r}")
    value = getattr(import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
