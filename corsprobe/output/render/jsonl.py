"""JSON lines: one JSON object per line, a row's line written as soon as the row is done (in the
jobs' order), then one summary line. Pure; returns text.

Row lines are ``{"kind": "row", "row": N, …}`` with N counted from 1 and every field of a JSON
report's ``results`` element (version 1); the last line is ``{"kind": "summary", "version": 1,
"summary": {…}}``, the JSON report's ``summary`` (``"interrupted": true`` when a signal cut the run
short). A file without a summary line was cut off.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from corsprobe.model import Result
from corsprobe.output.render import RenderOptions
from corsprobe.output.render.json_format import VERSION, result_dict, summary_dict
from corsprobe.output.report import Tally
from corsprobe.output.view import Row


def render(results: Sequence[Result], options: RenderOptions) -> str:
    stream = Stream(options)
    return "".join([stream.begin(), *(stream.row(r) for r in results), *stream.end(Tally.of(results))])


class Stream:
    """One line per row as it comes, then the summary line."""

    def __init__(self, options: RenderOptions) -> None:
        self.options = options
        self.rows = 0

    def begin(self) -> str:
        return ""

    def row(self, result: Result) -> str:
        self.rows += 1
        return self._line({"kind": "row", "row": self.rows, **result_dict(Row.of(result), self.options)})

    def end(self, tally: Tally) -> list[str]:
        return [self._line({"kind": "summary", "version": VERSION, "summary": summary_dict(tally, self.options)})]

    def _line(self, record: dict[str, Any]) -> str:
        # ensure_ascii: no raw U+2028/U+2029 or control character can break a line.
        return self.options.masker.text(json.dumps(record, ensure_ascii=True)) + "\n"
