"""``corsprobe audit``: find exploitable CORS misconfigurations with the browser's own rules.

Pure modules: ``codes`` (finding codes and severities), ``attackers`` (origins derived from the app's),
``judge`` (each exchange judged by the browser engine, with and without credentials), ``plan`` (the
sans-I/O sequence of requests per URL, stopping early), ``findings`` (severity and root-cause collapsing),
``fixes`` (wording), ``targets`` (``[[audit]]`` tables). The only I/O is in ``runner``; output formats are
in ``render/``.
"""
