"""The transport below the runner, one module per concern: the exchange deadline and its
phases (``deadline``), what a failure was (``causes``), how much of a body is read (``body``),
politeness per host (``politeness``), printable URLs (``urls``), response heads read as
Chromium reads them (``head``, ``head_lines``: pure; ``lenient``: the httpcore network backend that
hands h11 the rewritten heads), the HTTP versions offered (``protocols``: ALPN h2 then http/1.1
when h2 is installed), Chromium's HTTP/2 header-block refusals (``h2_fields``, pure), and the
client the runner is given (``client``).

Only ``corsprobe.runner`` drives probes with these; nothing in the pure core imports them.
"""
