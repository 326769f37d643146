"""CORS scenarios generated from an API's own description (OpenAPI 3.0/3.1, Swagger 2.0).

Pure modules: ``document`` (text -> validated mapping, size limits, YAML, Swagger 2.0),
``refs`` (local ``$ref`` resolution), ``samples`` (values from schemas), ``operations``
(the request a frontend would make), ``writer`` (the scenario file's TOML). The shell that reads
files and fetches URLs is ``source``.
"""

CANARY_ORIGIN = "https://corsprobe-canary.invalid"  # the default blocked origin (here: --help stays light)
