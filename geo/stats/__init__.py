"""Figures about the zones: theme counts and the provincial comparison (tables, not pictures)."""
