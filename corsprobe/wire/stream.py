"""Network streams that hand h11 each response head as Chromium's parser would read it.

Placeholder: streams pass through unchanged.
"""

from __future__ import annotations

import httpx


def read_as_chromium(client: httpx.AsyncClient) -> None:
    """Wrap the network backend of every connection pool of ``client``."""
    return None
