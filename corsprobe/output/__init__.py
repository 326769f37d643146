"""Presentation: Results to rows (view), summaries (report), diffs, masking (secrets) and formats (render/)."""
