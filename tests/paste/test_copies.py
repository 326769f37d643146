"""DevTools copies rebuilt into the page's request. Formats from Chrome's NetworkLogView.ts
generateCurlCommand/generateFetchCall (ChromeDevTools/devtools-frontend@fd72c071 and the newest stored
NetworkLogView.test.ts), FetchHeaderCommenting.ts (@65b0ed40), Firefox's devtools/client/shared/curl.js
(mozilla/gecko-dev@5d47dd55) and RequestListContextMenu.js generateFetchString."""

from __future__ import annotations

import pytest

from corsprobe.paste.dispatch import parse

U = "https://api.example.com/items"
O = "https://app.example.com"  # noqa: E741

CASES = {
    "chrome-curl-bash-old": (
        f"curl '{U}' \\\n  -X 'PUT' \\\n  -H 'authority: api.example.com' \\\n"
        "  -H 'content-type: application/json' \\\n"
        f"  -H 'cookie: sid=1' \\\n  -H 'origin: {O}' \\\n  -H 'sec-fetch-site: same-site' \\\n"
        "  --data-raw $'{\"a\":\"it\\'s\"}' \\\n  --compressed",
        ("curl", "PUT", O, ("content-type",), "include", "{\"a\":\"it's\"}")),
    "chrome-curl-cmd": (
        f'curl ^"{U}^" ^\n  -X ^"DELETE^" ^\n  -H ^"origin: {O}^" ^\n  -H ^"x-token: 1^"',
        ("curl", "DELETE", O, ("x-token",), None, None)),
    "firefox-curl": (
        f"curl '{U}' -X POST -H 'Accept: */*' -H 'Content-Type: text/plain' -H 'Origin: {O}' "
        f"-H 'Referer: {O}/page' -H 'Cookie: sid=2' --data-raw 'hi'",
        ("curl", "POST", O, ("Content-Type",), "include", "hi")),
    "curl-preflight": (
        f"curl '{U}' -X 'OPTIONS' -H 'access-control-request-method: PATCH' "
        f"-H 'access-control-request-headers: content-type,x-token' -H 'origin: {O}'",
        ("curl", "PATCH", O, ("content-type", "x-token"), None, None)),
    "curl-all-preflight-then-actual": (
        f"curl '{U}' -X 'OPTIONS' -H 'access-control-request-method: PUT' -H 'origin: {O}' ;\n"
        f"curl '{U}' -X 'PUT' -H 'origin: {O}' -H 'x-a: 1'",
        ("curl", "PUT", O, ("x-a",), None, None)),
    "chrome-fetch-newest": (
        f'fetch("{U}", {{\n  "headers": {{\n    "content-type": "application/json",\n'
        f'    // "origin": "{O}", // Browser will set based on request context\n'
        '    // All sec-* headers are set by the browser\n    // "sec-fetch-mode": "cors",\n'
        '    "x-token": "1"\n  },\n  "body": "{}",\n  "method": "PATCH",\n  "mode": "cors",\n'
        '  "credentials": "omit"\n});',
        ("fetch", "PATCH", O, ("content-type", "x-token"), "omit", "{}")),
    "chrome-node-fetch": (
        f'fetch("{U}", {{\n  "headers": {{\n    "cookie": "sid=3",\n    "Referer": "{O}/",\n'
        '    "Referrer-Policy": "strict-origin-when-cross-origin"\n  },\n  "body": null,\n  "method": "GET"\n});',
        ("fetch", "GET", O, ("Referrer-Policy",), "include", None)),
    "firefox-fetch": (
        f'await fetch("{U}", {{\n    "credentials": "include",\n    "headers": {{\n        "Accept": "*/*",\n'
        f'        "X-Token": "1"\n    }},\n    "referrer": "{O}/index.html",\n    "method": "DELETE",\n'
        '    "mode": "cors"\n});',
        ("fetch", "DELETE", O, ("X-Token",), "include", None)),
    "handwritten-fetch": (
        f"const r = await fetch('{U}', {{method: 'PUT', headers: {{'X-Token': 't'}}, credentials: 'include',}});",
        ("fetch", "PUT", None, ("X-Token",), "include", None)),
    "message-plus-fetch": (
        f"Access to fetch at '{U}' from origin '{O}' has been blocked by CORS policy: Response to preflight request "
        "doesn't pass access control check: It does not have HTTP ok status.\n"
        f"fetch('{U}', {{method: 'PUT', headers: {{'X-Token': 't'}}}})",
        ("chrome-console", "PUT", O, ("X-Token",), None, None)),
}


@pytest.mark.parametrize("name", list(CASES))
def test_copy_rebuilds_the_request(name: str) -> None:
    text, (kind, method, origin, headers, credentials, body) = CASES[name]
    [item] = parse(text)
    assert (item.kind.value, item.url, item.method, item.origin, tuple(n for n, _ in item.headers),
            item.credentials.value if item.credentials else None, item.body) == (
        kind, U, method, origin, headers, credentials, body)


def test_a_cookie_copy_is_kept_for_the_actual_request_only() -> None:
    [item] = parse(f"curl '{U}' -b 'sid=abc; theme=dark' -H 'origin: {O}'")
    assert item.cookie == "sid=abc; theme=dark" and item.credentials is not None
    assert all(n.lower() != "cookie" for n, _ in item.headers)
