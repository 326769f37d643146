"""Answers that are not strict HTTP/1.1 but that Chromium's HTTP/1.x parser reads (or refuses) by its
own rules (docs/wire-head.md): one per rule, sent verbatim on the preflight and on the actual request.

Each carries a PERMIT block (enough for the PUT preflight and for a simple request), and the rule
under test sits on a line that decides the verdict where it can. Pure data.
"""

from __future__ import annotations

PERMIT = b"Access-Control-Allow-Methods: PUT\r\nAccess-Control-Allow-Headers: x-a\r\n"
ACAO = b"Access-Control-Allow-Origin: *\r\n"
OK = b"HTTP/1.1 200 OK\r\n"
CHUNKED = b"Transfer-Encoding: chunked\r\n"


def _answer(status_line: bytes = OK, acao: bytes = ACAO, extra: bytes = b"", body: bytes = b"ok",
            length: bool = True) -> bytes:
    framing = b"Content-Length: %d\r\n" % len(body) if length else b""
    return status_line + acao + PERMIT + extra + framing + b"\r\n" + body


WIRE: dict[str, bytes] = {
    "strict": _answer(),
    "space-before-colon": _answer(acao=b"Access-Control-Allow-Origin : *\r\n"),
    "tab-before-colon": _answer(acao=b"Access-Control-Allow-Origin\t: *\r\n"),
    "no-colon-skipped": _answer(extra=b"this line has no colon\r\n"),
    "empty-name-skipped": _answer(extra=b": no name\r\n"),
    "space-in-name-skipped": _answer(extra=b"Bad Name: x\r\n"),
    "obs-fold": _answer(acao=b"Access-Control-Allow-Origin:\r\n *\r\n"),
    "obs-fold-tab": _answer(extra=b"X-Folded: a,\r\n\tb\r\n"),
    "fold-after-status-line": OK + b" X-Lead: 1\r\n" + ACAO + PERMIT + b"Content-Length: 2\r\n\r\nok",
    "lf-only-all": _answer().replace(b"\r\n", b"\n"),
    "mixed-line-ends": OK + ACAO.replace(b"\r\n", b"\n") + PERMIT + b"Content-Length: 2\n\r\nok",
    "blank-line-lf": OK + ACAO + PERMIT + b"Content-Length: 2\r\n\nok",
    "leading-crlf": b"\r\n" + _answer(),
    "leading-4-bytes": b"\r\n\r\n" + _answer(),
    "leading-6-bytes": b"\r\n\r\n\r\n" + _answer(),
    "leading-junk": b"xx" + _answer(),
    "lowercase-http": _answer(b"http/1.1 200 OK\r\n"),
    "missing-status-code": _answer(b"HTTP/1.1\r\n"),
    "non-numeric-status": _answer(b"HTTP/1.1 abc OK\r\n"),
    "status-leading-zero": _answer(b"HTTP/1.1 0200 OK\r\n"),
    "status-two-digits": _answer(b"HTTP/1.1 99 Low\r\n"),
    "status-four-digits": _answer(b"HTTP/1.1 2000 Big\r\n"),
    "status-digits-then-text": _answer(b"HTTP/1.1 200OK\r\n"),
    "status-extra-spaces": _answer(b"HTTP/1.1   200   OK  \r\n"),
    "status-tab": _answer(b"HTTP/1.1\t200 OK\r\n"),
    "missing-reason": _answer(b"HTTP/1.1 200\r\n"),
    "http10": _answer(b"HTTP/1.0 200 OK\r\n"),
    "http10-no-length": _answer(b"HTTP/1.0 200 OK\r\n", length=False),
    "http2-version": _answer(b"HTTP/2 200 OK\r\n"),
    "http12-version": _answer(b"HTTP/1.2 200 OK\r\n"),
    "missing-version": _answer(b"200 OK\r\n"),
    "nul-in-value": _answer(extra=b"X-A: a\x00b\r\n"),
    "nul-in-status": _answer(b"HTTP/1.1 200 O\x00K\r\n"),
    "bare-cr-in-value": _answer(extra=b"X-A: a\rb\r\n"),
    "bare-cr-splits": _answer(acao=b"X-A: a\r" + ACAO),
    "control-char-in-value": _answer(extra=b"X-A: a\x01b\x0bc\r\n"),
    "obs-text-in-value": _answer(extra=b"X-A: caf\xe9\r\n"),
    "same-content-length-twice": _answer(extra=b"Content-Length: 2\r\n"),
    "differing-content-length": _answer(extra=b"Content-Length: 3\r\n"),
    "content-length-list": _answer(extra=b"Content-Length: 2, 3\r\n", length=False),
    "invalid-content-length": _answer(extra=b"Content-Length: abc\r\n", length=False),
    "negative-content-length": _answer(extra=b"Content-Length: -1\r\n", length=False),
    "content-length-plus": _answer(extra=b"Content-Length: +2\r\n", length=False),
    "content-length-spaces": _answer(extra=b"Content-Length:   2  \r\n", length=False),
    "content-length-same-in-one-line": _answer(extra=b"Content-Length: 2, 2\r\n", length=False),
    "chunked-after-gzip": _answer(extra=b"Transfer-Encoding: gzip, chunked\r\n", body=b"2\r\nok\r\n0\r\n\r\n",
                                  length=False),
    "no-content-with-body": _answer(b"HTTP/1.1 204 No Content\r\n", body=b"", extra=b"Content-Length: 5\r\n",
                                    length=False) + b"hello",
    "acao-trailing-whitespace": _answer(acao=b"Access-Control-Allow-Origin: * \t \r\n"),
    # Content-Encoding: what Chromium advertises over http is gzip and deflate (HttpNetworkTransaction::
    # ContentEncodingsValid); the page reads every body.
    "encoding-br-over-http": _answer(extra=b"Content-Encoding: br\r\n"),
    "encoding-zstd-over-http": _answer(extra=b"Content-Encoding: zstd\r\n"),
    "encoding-gzip-then-br": _answer(extra=b"Content-Encoding: gzip, br\r\n"),
    "encoding-unknown": _answer(extra=b"Content-Encoding: xyz\r\n"),
    "encoding-not-a-token": _answer(extra=b"Content-Encoding: g zip\r\n"),
    "encoding-empty": _answer(extra=b"Content-Encoding:\r\n"),
    "encoding-identity": _answer(extra=b"Content-Encoding: identity\r\n"),
    "encoding-gzip-corrupt": _answer(extra=b"Content-Encoding: gzip\r\n"),
    "content-length-overflow": _answer(extra=b"Content-Length: 99999999999999999999\r\n", length=False),
    "content-length-hex": _answer(extra=b"Content-Length: 0x2\r\n", length=False),
    "http11-no-length": _answer(length=False),
    "cr-cr-lf-line-ends": _answer().replace(b"\r\n", b"\r\r\n", 3),
    "continue-with-body": b"HTTP/1.1 100 Continue\r\nContent-Length: 5\r\n\r\n" + _answer(),
    "unknown-transfer-encoding": _answer(extra=b"Transfer-Encoding: gzip\r\n"),
    "chunked-and-length": _answer(extra=b"Transfer-Encoding: chunked\r\nContent-Length: 99\r\n",
                                  body=b"2\r\nok\r\n0\r\n\r\n", length=False),
    # Chunked bodies, read as HttpChunkedDecoder reads them (the page reads every body: arrayBuffer()).
    "chunk-lf-only": _answer(extra=CHUNKED, body=b"2\nok\n0\n\n", length=False),
    "chunk-extension-spaces": _answer(extra=CHUNKED, body=b"2  ;a=b\r\nok\r\n0\r\n\r\n", length=False),
    "chunk-leading-zeros": _answer(extra=CHUNKED, body=b"0002\r\nok\r\n0\r\n\r\n", length=False),
    "chunk-trailer-garbage": _answer(extra=CHUNKED, body=b"2\r\nok\r\n0\r\n\x01 no header\r\n\r\n", length=False),
    "chunk-bytes-after-end": _answer(extra=CHUNKED, body=b"2\r\nok\r\n0\r\n\r\nGARBAGE", length=False),
    "chunk-plus-size": _answer(extra=CHUNKED, body=b"+2\r\nok\r\n0\r\n\r\n", length=False),
    "chunk-hex-prefix": _answer(extra=CHUNKED, body=b"0x2\r\nok\r\n0\r\n\r\n", length=False),
    "chunk-size-tab": _answer(extra=CHUNKED, body=b"2\t\r\nok\r\n0\r\n\r\n", length=False),
    "chunk-size-overflow": _answer(extra=CHUNKED, body=b"8000000000000000\r\nok\r\n0\r\n\r\n", length=False),
    "chunk-empty-size-line": _answer(extra=CHUNKED, body=b"\r\n2\r\nok\r\n0\r\n\r\n", length=False),
    "chunk-data-unterminated": _answer(extra=CHUNKED, body=b"2\r\nokX\r\n0\r\n\r\n", length=False),
    "differing-location": _answer(extra=b"Location: /a\r\nLocation: /b\r\n"),
    "differing-content-disposition": _answer(extra=b"Content-Disposition: inline\r\n"
                                                   b"Content-Disposition: attachment\r\n"),
    "informational-first": b"HTTP/1.1 100 Continue\r\n\r\n" + _answer(),
    "early-hints-first": b"HTTP/1.1 103 Early Hints\r\nLink: </a>; rel=preload\r\n\r\n" + _answer(),
    "switching-protocols": b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                           + ACAO + PERMIT + b"\r\n",
    "switching-protocols-then-answer": b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n" + _answer(),
    "truncated-head": OK + ACAO + PERMIT,
    "big-head": _answer(extra=b"X-Big: " + b"a" * 150_000 + b"\r\n"),
    "huge-head": _answer(extra=b"X-Big: " + b"a" * 300_000 + b"\r\n"),
}


# Where Firefox's or WebKitGTK's (libsoup's) HTTP/1.x parser reads one of these answers otherwise than
# Chromium's, whose reading corsprobe follows for every browser profile: answer name -> (whether that
# browser let the request through, what it does). Measured with Firefox 153.8.0esr and WebKitGTK 2.50.6
# (Chromium 156 agrees with corsprobe on every one).
_STATUS = "fails a status line whose code is not three digits then a space or the end (Chromium reads the " \
          "digits, else 200: HttpResponseHeaders::ParseStatus)"
FIREFOX_READS: dict[str, tuple[bool | None, str]] = {
    **dict.fromkeys(("bad-status-code", "non-numeric-status", "status-digits-then-text", "status-four-digits",
                     "status-leading-zero", "status-tab"), (False, _STATUS)),
    "space-before-colon": (False, "drops a header line with whitespace before the colon (Chromium trims it: "
                                  "HttpUtil::HeadersIterator)"),
    "tab-before-colon": (False, "drops a header line with a tab before the colon (Chromium trims it: "
                                "HttpUtil::HeadersIterator)"),
    **dict.fromkeys(("bare-cr-splits", "cr-cr-lf-line-ends"),
                    (False, "does not end a header line at a bare CR (Chromium does: AssembleRawHeaders)")),
    "lowercase-http": (False, "reads 'http/1.1' as no status line, an HTTP/0.9 body (Chromium: any case, "
                              "HttpUtil::LocateStartOfStatusLine)"),
    "huge-head": (True, "accepts a head over 256 KiB (Chromium: ERR_RESPONSE_HEADERS_TOO_BIG)"),
    "nul-in-status": (True, "accepts a NUL in the status line (Chromium: ERR_INVALID_HTTP_RESPONSE, "
                            "HttpResponseHeaders::TryToCreate)"),
    "encoding-not-a-token": (True, "reads a Content-Encoding that is no list of tokens ('g zip'; Chromium: "
                                   "ERR_CONTENT_DECODING_FAILED, HttpNetworkTransaction::ContentEncodingsValid)"),
    **dict.fromkeys(("switching-protocols", "switching-protocols-then-answer"),
                    (None, "takes a 101 to a request without Upgrade as the final response (a 101 'allowed', a "
                           "failed preflight; Chromium reads it as one more 1xx and waits for the next head: "
                           "HttpStreamParser::DoReadHeadersComplete)")),
    **dict.fromkeys(("chunk-plus-size", "chunk-hex-prefix", "chunk-size-tab", "chunk-empty-size-line"),
                    (True, "lets a chunked body through whose framing Chromium refuses (a '+' or '0x' size, a tab "
                           "after it, an empty size line; Chromium: ERR_INVALID_CHUNKED_ENCODING, "
                           "HttpChunkedDecoder::ParseChunkSize)")),
    **dict.fromkeys(("chunk-size-overflow", "chunk-data-unterminated"),
                    (False, "fails a preflight whose chunked body it cannot decode (Chromium never reads a "
                            "preflight's body: CorsURLLoader judges the head)")),
}
WEBKIT_READS: dict[str, tuple[bool | None, str]] = {
    **dict.fromkeys(("bad-status-code", "non-numeric-status", "status-four-digits", "status-leading-zero",
                     "status-two-digits", "missing-status-code"), (False, "libsoup " + _STATUS)),
    **dict.fromkeys(("http12-version", "http2-version", "lowercase-http", "leading-junk"),
                    (False, "libsoup fails a status line that does not start with HTTP/1.0 or HTTP/1.1 (Chromium: "
                            "HttpUtil::LocateStartOfStatusLine, HttpResponseHeaders::ParseVersion)")),
    "space-before-colon": (False, "libsoup keeps the space in the header name (Chromium trims it: HeadersIterator)"),
    "tab-before-colon": (False, "libsoup keeps the tab in the header name (Chromium trims it: HeadersIterator)"),
    "bare-cr-splits": (False, "libsoup does not end a header line at a bare CR (Chromium does: AssembleRawHeaders)"),
    "big-head": (False, "libsoup refuses a 150 KB head ('Header too big'; Chromium's limit is 256 KiB)"),
    **dict.fromkeys(("differing-content-length", "differing-location", "differing-content-disposition"),
                    (True, "libsoup accepts differing copies (Chromium: ERR_RESPONSE_HEADERS_MULTIPLE_*, "
                           "HttpStreamParser::ParseResponseHeaders)")),
    **dict.fromkeys(("invalid-content-length", "negative-content-length", "content-length-overflow",
                     "content-length-hex"),
                    (False, "libsoup fails an invalid Content-Length (Chromium ignores it and reads to the close: "
                            "HttpResponseHeaders::GetContentLength)")),
    "encoding-not-a-token": (True, "libsoup reads a Content-Encoding that is no list of tokens ('g zip'; "
                                   "Chromium: ERR_CONTENT_DECODING_FAILED, ContentEncodingsValid)"),
    "encoding-zstd-over-http": (True, "libsoup does not decode zstd: the body passes as it is (Chromium decodes it "
                                      "and fails one that is not zstd data: ZstdSourceStream)"),
    "encoding-gzip-corrupt": (True, "libsoup passes a body labelled gzip that is not gzip data as it is (Chromium: "
                                    "ERR_CONTENT_DECODING_FAILED, GzipSourceStream)"),
    "content-length-same-in-one-line": (False, "libsoup fails 'Content-Length: 2, 2' (Chromium reads the one "
                                               "value: HttpUtil::HeadersContainMultipleCopiesOfField)"),
    "chunked-after-gzip": (False, "libsoup fails a Transfer-Encoding other than chunked alone ('Unrecognized HTTP "
                                  "response encoding'; Chromium reads 'gzip, chunked' as chunked: "
                                  "HttpResponseHeaders::IsChunkEncoded)"),
    **dict.fromkeys(("chunk-plus-size", "chunk-hex-prefix", "chunk-size-tab", "chunk-size-overflow",
                     "chunk-empty-size-line", "chunk-data-unterminated"),
                    (True, "libsoup lets a chunked body through whose framing Chromium refuses (on the actual "
                           "request and on the preflight, whose body WebKit reads; Chromium: "
                           "ERR_INVALID_CHUNKED_ENCODING, HttpChunkedDecoder)")),
}


def parser_difference(engine: str, reads: dict[str, tuple[bool | None, str]], case_id: str,
                      allowed: bool) -> str | None:
    """The written-down difference for a net-* case, when the browser did what it says (None: its verdict
    differs by request, the text says how)."""
    for group in ("net-actual-", "net-preflight-"):
        if case_id.startswith(group):
            entry = reads.get(case_id[len(group):].removesuffix("-post"))
            if entry is not None and entry[0] in (None, allowed):
                return f"{engine}'s HTTP parser {entry[1]}"
    return None
