"""The one-probe view that reads like a browser's network panel: the request as the page makes it,
the preflight (needed? why; what was sent; what came back; passed or the failing check), the actual
request likewise, then the verdict, why, the fix, what the script can read, and the warnings.

Pure; returns text. ``--layout steps`` (the default of ``check``); every line fits the width.
"""

from __future__ import annotations

from collections.abc import Sequence

from corsprobe.browser import spec
from corsprobe.model import Exchange, Result, Stage, Verdict
from corsprobe.output.engines import differences
from corsprobe.output.render import RenderOptions
from corsprobe.output.render.layout import wrap
from corsprobe.output.report import summarize
from corsprobe.output.view import Row, exchange_lines

_COLORS = {Verdict.ALLOWED: "32", Verdict.BLOCKED: "31", Verdict.ERROR: "35", Verdict.UNCHECKED: "36"}
_CORS_PREFIXES = ("access-control-", "vary")


def render(results: Sequence[Result], options: RenderOptions) -> str:
    blocks = ["\n".join(_steps(Row.of(result), options)) for result in results]
    if len(results) > 1:
        blocks.append("\n".join(wrap(summarize(results).describe(), options.width)))
    return options.masker.text("\n\n".join(blocks)) + "\n"


def _steps(row: Row, options: RenderOptions) -> list[str]:
    result, width = row.result, options.width
    probe, outcome = result.probe, result.outcome
    title = row.name if probe.name else f"{spec.normalize_method(probe.method)} {probe.url}"
    lines = wrap(f"{title}  from {probe.origin}", width, "  ")
    lines += ["", *wrap("1. The page's request", width, "   ")]
    lines += wrap(_fetch_call(result), width, "     ", "   ")
    lines += ["", *wrap("2. Preflight: " + _preflight_summary(row), width, "   ")]
    lines += _exchange_block(row.preflights, options)
    if row.preflights:
        lines += wrap(_stage_result(row, Stage.PREFLIGHT), width, "     ", "   ")
    lines += ["", *wrap("3. Actual request: " + ("sent" if row.actuals else "not sent"), width, "   ")]
    lines += _exchange_block(row.actuals, options)
    lines += wrap(_stage_result(row, Stage.ACTUAL), width, "     ", "   ")
    verdict = outcome.verdict.value.upper()
    if options.color:
        verdict = f"\x1b[{'1;31' if result.passed is False else _COLORS[outcome.verdict]}m{verdict}\x1b[0m"
    lines += ["", f"Verdict: {verdict}"]  # at most 'Verdict: UNCHECKED': fits any width >= 20
    code = f"[{row.failure.reason.value}] " if row.failure is not None else ""
    lines += wrap(code + row.explanation(), width, "  ", "  ")
    note = row.expectation_note()
    if note:
        failed = wrap(note, width, "    ", "  FAILED: ")
        lines += [f"\x1b[1;31m{line}\x1b[0m" for line in failed] if options.color else failed
    elif result.expect is not None and result.passed:
        lines += wrap(f"expectation met: {result.expect.verdict.value}", width, "    ", "  ")
    differ = differences(result)
    if differ:
        lines += ["engines differ:", *(line for part in differ for line in wrap(part, width, "      ", "    "))]
    for line in row.fix_block():
        if line.startswith("  "):
            lines += wrap(line.strip(), width, "        ", "    ")
        else:
            lines += wrap(line[0].upper() + line[1:], width, "    ", "")
    if outcome.actual_checked:
        readable = ", ".join(outcome.readable_headers) or "(none)"
        lines += wrap(readable, width, "    ", "Readable by the script: ")
    for _, text in row.warnings():
        warning = wrap(text, width, "    ", "Warning: ")
        lines += [f"\x1b[33m{line}\x1b[0m" for line in warning] if options.color else warning
    return lines


def _fetch_call(result: Result) -> str:
    probe = result.probe
    init = [f"method: {_js(probe.method)}"] if spec.normalize_method(probe.method) != "GET" else []
    if probe.headers:
        headers = ", ".join(f"{_js(n)}: {_js(v)}" for n, v in probe.headers)
        init.append(f"headers: {{{headers}}}")
    if probe.body is not None:
        init.append("body: …")
    init.append(f"credentials: {_js(probe.credentials.value)}")
    return f"fetch({_js(probe.url)}, {{{', '.join(init)}}})"


def _js(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _preflight_summary(row: Row) -> str:
    outcome = row.result.outcome
    if not outcome.preflight_needed:
        return "not needed (a simple request: safelisted method and headers)"
    why = []
    method = spec.normalize_method(row.result.probe.method)
    if method not in spec.SAFELISTED_METHODS:
        why.append(f"method {method} is not GET, HEAD or POST")
    if outcome.unsafe_headers:
        why.append(f"header{'s' if len(outcome.unsafe_headers) > 1 else ''} "
                   f"{', '.join(outcome.unsafe_headers)} not safelisted")
    return "needed (" + "; ".join(why or ["the browser requires one"]) + ")"


def _exchange_block(exchanges: Sequence[Exchange], options: RenderOptions) -> list[str]:
    lines = []
    for line in exchange_lines(exchanges, options.masker):
        if not options.verbose and line.startswith(("> ", "< ")) and ": " in line[2:] and " (" not in line[:4]:
            name = line[2:].split(":", 1)[0].lower()
            if line.startswith("< ") and not name.startswith(_CORS_PREFIXES) and name != "location":
                continue
            if line.startswith("> ") and not (name.startswith("access-control-") or name == "origin"):
                continue
        lines += wrap(line, options.width, "       ", "   ")
    return lines


def _stage_result(row: Row, stage: Stage) -> str:
    outcome, failure = row.result.outcome, row.failure
    if failure is not None and failure.stage is stage:
        return f"→ FAILED: [{failure.reason.value}]"
    if stage is Stage.PREFLIGHT:
        return "→ passed" if row.preflight_passed else "→ no answer"
    if not row.actuals:
        if failure is not None and failure.stage is Stage.PREFLIGHT:
            return "→ not sent: the preflight failed, so a browser sends nothing more"
        return "→ not sent: " + ("it can change server state; --send-unsafe sends it"
                                 if not outcome.actual_checked and outcome.verdict is not Verdict.BLOCKED
                                 else "nothing to send")
    if failure is not None and failure.stage is None:
        return f"→ FAILED: [{failure.reason.value}]"
    return "→ the page may read the response" if outcome.verdict is Verdict.ALLOWED else "→ blocked"
