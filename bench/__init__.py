"""Timing scripts: they print figures for the report, they never pass or fail."""
