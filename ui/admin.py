"""The admin token gate for writing data: configured on the server only, compared in constant time, never logged."""

from __future__ import annotations

import os

import streamlit as st

from loaders.roster_store import token_matches


def configured_token() -> str | None:
    token = os.environ.get("ZONE_ATLAS_ADMIN_TOKEN")
    if token:
        return token
    try:
        return st.secrets.get("admin_token")  # .streamlit/secrets.toml; absent file → no token
    except Exception:  # noqa: BLE001 - Streamlit raises if there is no secrets file at all
        return None


def is_admin(given: str | None) -> bool:
    return token_matches(given, configured_token())
