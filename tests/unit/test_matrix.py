"""A probe table's origins x methods matrix is one checked value whose rows are made when asked for:
the same jobs, in the same order and with the same names, as when they were all built up front."""

from __future__ import annotations

import pytest

from corsprobe.errors import ScenarioError
from corsprobe.model import Job
from corsprobe.scenarios.matrix import Jobs, Matrix
from corsprobe.scenarios.parse import Context, load

ORIGINS = [f"https://app{i}.example" for i in range(100)]
METHODS = [f"M{i}" for i in range(100)]


def _text(origins: list[str], methods: list[str]) -> str:
    return ('base_url = "https://api.example.com"\n[[probe]]\nname = "grid"\npath = "/x"\n'
            f"origins = {origins!r}\nmethods = {methods!r}\n".replace("'", '"')
            + '\n[[probe]]\nname = "last"\npath = "/y"\norigin = "https://app.example"\n')


def test_a_ten_thousand_row_matrix_is_one_value() -> None:
    jobs = load(_text(ORIGINS, METHODS), "s.toml", Context()).jobs
    assert isinstance(jobs, Jobs)
    assert len(jobs) == 10_001
    assert [type(part) for part in jobs.parts] == [Matrix, Matrix]
    row = jobs[5_050]
    assert (row.probe.origin, row.probe.method, row.probe.name) == (ORIGINS[50], "M50",
                                                                    f"grid [{ORIGINS[50]} M50]")
    assert jobs[-1].probe.name == "last" and jobs[-1].source == "s.toml:8"
    assert jobs[10_000] == jobs[-1]


def test_iteration_indexing_and_slices_agree() -> None:
    jobs = load(_text(ORIGINS[:3], METHODS[:2]), "s.toml", Context()).jobs
    listed: list[Job] = list(jobs)
    assert [jobs[i] for i in range(len(jobs))] == listed == jobs[:] == jobs
    assert [j.probe.name for j in listed[:3]] == [f"grid [{ORIGINS[0]} M0]", f"grid [{ORIGINS[0]} M1]",
                                                  f"grid [{ORIGINS[1]} M0]"]
    assert jobs[1:3] == listed[1:3]
    with pytest.raises(IndexError):
        jobs[len(jobs)]


def test_a_repeated_origin_is_still_a_duplicate_name() -> None:
    with pytest.raises(ScenarioError, match="is also used at"):
        load(_text([ORIGINS[0], ORIGINS[0]], ["GET"]), "s.toml", Context())
