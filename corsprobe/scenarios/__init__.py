"""Scenario input: TOML text to Jobs (parse, environments, variables), and reading files (loading)."""
