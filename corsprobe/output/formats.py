"""The names of the output formats, importable without loading any renderer (the CLI's --help). Pure."""

from __future__ import annotations

FORMATS = ("table", "json", "jsonl", "junit", "markdown", "github", "html")
#: Written row by row as rows complete (render.StreamWriter); the others collect every row first.
STREAMING = ("json", "jsonl", "junit")
