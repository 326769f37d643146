"""The one HTML page Chromium loads: it runs every case with fetch() and posts a JSON report.

Cases run through a small pool of parallel workers; each fetch has its own abort timeout, so
the page always reports. Pure string building; no I/O.
"""

from __future__ import annotations

import json

from tests.browser.grammar import Case

WORKERS = 6
FETCH_TIMEOUT_MS = 15000

_SCRIPT = """
const CASES = %(cases)s;
async function runOne(c) {
  const headers = new Headers();
  for (const [name, value] of c.headers) headers.append(name, value);
  const init = {method: c.method, headers, mode: 'cors', credentials: c.credentials,
                redirect: 'follow', signal: AbortSignal.timeout(%(timeout)d)};
  if (c.body !== null) init.body = c.body;
  try {
    const r = await fetch(c.url, init);
    await r.arrayBuffer();
    return {allowed: true, status: r.status, keys: [...r.headers.keys()], error: null};
  } catch (e) {
    return {allowed: false, status: null, keys: [], error: String(e)};
  }
}
(async () => {
  const out = {};
  let next = 0;
  async function worker() {
    while (next < CASES.length) {
      const c = CASES[next++];
      out[c.id] = await runOne(c);
    }
  }
  await Promise.all(Array.from({length: %(workers)d}, worker));
  await fetch('%(report)s', {method: 'POST', body: JSON.stringify(out)});
  document.title = 'done';
})();
"""


def page_html(cases: list[Case], urls: dict[str, str], report_path: str) -> bytes:
    """The page: cases as JSON data plus the runner script."""
    data = [
        {
            "id": case.id, "url": urls[case.id], "method": case.request.method,
            "headers": [list(pair) for pair in case.request.headers],
            "body": case.request.body, "credentials": case.request.credentials,
        }
        for case in cases
    ]
    script = _SCRIPT % {
        "cases": json.dumps(data).replace("</", "<\\/"), "timeout": FETCH_TIMEOUT_MS,
        "workers": WORKERS, "report": report_path,
    }
    return f"<!doctype html><meta charset=utf-8><title>cors</title><script>{script}</script>".encode()
