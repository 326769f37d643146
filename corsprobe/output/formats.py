"""The names of the output formats, importable without loading any renderer (the CLI's --help). Pure."""

from __future__ import annotations

FORMATS = ("table", "json", "junit", "markdown", "github", "html")
