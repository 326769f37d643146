"""A HAR from headless Chromium through the DevTools protocol: one Chromium on --remote-debugging-pipe
loads a page, its Network events (requestWillBeSent, …ExtraInfo, responseReceived, loadingFailed with
corsErrorStatus) are written out with DevTools' HAR field names (front_end/models/har/Log.ts: pages[].title,
_resourceType, _initiator, response._error). Does process I/O; ends only the process it started, by PID."""

from __future__ import annotations

import fcntl
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from typing import Any

from tests.browser.chromium import FLAGS, stop_process


class Pipe:
    """CDP over fds 3/4: NUL-terminated JSON messages."""

    def __init__(self, binary: str, extra: tuple[str, ...] = ()) -> None:
        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()
        # Above 4, so that mapping them onto 3 and 4 in the child cannot clobber one with the other.
        low = (to_child_r, from_child_w)
        to_child_r, from_child_w = (fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in low)
        for fd in low:
            os.close(fd)
        self.profile = tempfile.mkdtemp(prefix="corsprobe-cdp-")

        def fds() -> None:
            os.dup2(to_child_r, 3)
            os.dup2(from_child_w, 4)

        flags = [f for f in FLAGS if f != "--enable-logging=stderr"]
        # preexec_fn only maps the two pipe ends onto fds 3 and 4, where Chromium expects them.
        self.process = subprocess.Popen(
            [binary, *flags, *extra, "--remote-debugging-pipe", f"--user-data-dir={self.profile}", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            preexec_fn=fds, pass_fds=(3, 4, to_child_r, from_child_w))
        os.close(to_child_r)
        os.close(from_child_w)
        self._buffer = b""
        self._next = 0
        self.events: list[dict[str, Any]] = []

    def call(self, method: str, params: dict[str, Any] | None = None, session: str | None = None,
             timeout: float = 20.0) -> dict[str, Any]:
        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_child, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for reply in self.read(deadline - time.monotonic()):
                if reply.get("id") == self._next:
                    if "error" in reply:
                        raise RuntimeError(f"{method}: {reply['error']}")
                    result = reply.get("result", {})
                    assert isinstance(result, dict)
                    return result
        raise TimeoutError(f"no CDP answer to {method}")

    def read(self, timeout: float) -> list[dict[str, Any]]:
        ready, _, _ = select.select([self._from_child], [], [], max(timeout, 0))
        if not ready:
            return []
        chunk = os.read(self._from_child, 1 << 16)
        if not chunk:
            raise RuntimeError("Chromium closed the DevTools pipe")
        self._buffer += chunk
        *messages, self._buffer = self._buffer.split(b"\0")
        parsed = [json.loads(m) for m in messages if m]
        self.events += [m for m in parsed if "method" in m]
        return [m for m in parsed if "id" in m]

    def close(self) -> None:
        stop_process(self.process)
        os.close(self._to_child)
        os.close(self._from_child)
        shutil.rmtree(self.profile, ignore_errors=True)


def capture_har(binary: str, page_url: str, done: Any, timeout: float = 60.0) -> dict[str, Any]:
    """Load ``page_url``; once ``done`` (a threading.Event) is set, return the page's HAR."""
    pipe = Pipe(binary)
    try:
        targets = pipe.call("Target.getTargets")["targetInfos"]
        target = next(t["targetId"] for t in targets if t["type"] == "page")
        session = pipe.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        pipe.call("Network.enable", session=session)
        pipe.call("Page.navigate", {"url": page_url}, session=session)
        deadline = time.monotonic() + timeout
        while not done.is_set() and time.monotonic() < deadline:
            pipe.read(0.2)
        end = time.monotonic() + 1.0
        while time.monotonic() < end:  # the last loadingFailed/ExtraInfo events
            pipe.read(0.1)
        if not done.is_set():
            raise TimeoutError("the page did not report")
        return to_har(pipe.events, page_url)
    finally:
        pipe.close()


def to_har(events: list[dict[str, Any]], page_url: str) -> dict[str, Any]:
    """DevTools' HAR shape from CDP Network events (one entry per requestId, in start order)."""
    entries: dict[str, dict[str, Any]] = {}
    for event in events:
        method, params = event["method"], event.get("params", {})
        rid = params.get("requestId")
        if method == "Network.requestWillBeSent":
            request = params["request"]
            entries[rid] = {
                "pageref": "page_1", "startedDateTime": "", "time": 0, "cache": {}, "timings": {},
                # CDP gives a preflight type "Other" and initiator.type "preflight"; DevTools shows
                # (and exports) it as ResourceType Preflight (front_end/core/common/ResourceType.ts).
                "_resourceType": "preflight" if params.get("initiator", {}).get("type") == "preflight"
                else str(params.get("type", "Other")).lower(),
                "_initiator": params.get("initiator", {}),
                "request": {"method": request["method"], "url": request["url"], "httpVersion": "",
                            "headers": [{"name": k, "value": v} for k, v in request.get("headers", {}).items()],
                            "queryString": [], "cookies": [], "headersSize": -1, "bodySize": 0,
                            **({"postData": {"mimeType": "", "text": request["postData"]}}
                               if "postData" in request else {})},
                "response": {"status": 0, "statusText": "", "httpVersion": "", "headers": [], "cookies": [],
                             "content": {"size": 0, "mimeType": ""}, "redirectURL": "", "headersSize": -1,
                             "bodySize": -1},
            }
        elif method == "Network.requestWillBeSentExtraInfo" and rid in entries:
            entries[rid]["request"]["headers"] = [{"name": k, "value": v} for k, v in params["headers"].items()]
        elif method == "Network.responseReceived" and rid in entries:
            response = params["response"]
            entries[rid]["response"].update(status=response["status"], statusText=response.get("statusText", ""),
                                            headers=[{"name": k, "value": v}
                                                     for k, v in response.get("headers", {}).items()])
        elif method == "Network.loadingFailed" and rid in entries:
            entries[rid]["response"]["_error"] = params.get("errorText", "")
            entries[rid]["response"]["status"] = 0
            if params.get("corsErrorStatus"):
                entries[rid]["_corsErrorStatus"] = params["corsErrorStatus"]
    return {"log": {"version": "1.2", "creator": {"name": "WebInspector", "version": "537.36"},
                    "pages": [{"id": "page_1", "title": page_url, "startedDateTime": "", "pageTimings": {}}],
                    "entries": list(entries.values())}}
