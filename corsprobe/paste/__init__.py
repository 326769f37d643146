"""Turning what the browser said (console errors, DevTools copies, HAR exports) into probes.

One pure module per input kind, each ``parse(text) -> list[Found]`` (``chrome``, ``firefox``,
``safari``, ``curl``, ``fetch``, ``har``); ``dispatch.parse`` splits a noisy paste into messages
and rebuilds the requests as a person would. No I/O.
"""
