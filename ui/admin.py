"""The admin token gate for writing data: configured on the server only, compared in constant time, never logged,
and closed for a while after repeated wrong guesses (the import page is open to every intranet user)."""

from __future__ import annotations

import logging
import math
import os
import threading
import time
from collections import deque

import streamlit as st

from loaders.roster_store import token_matches
from ui.text import t

MAX_FAILURES = 5  # wrong tokens (from any session) within LOCKOUT_SECONDS before every attempt is refused
LOCKOUT_SECONDS = 600
_LOG = logging.getLogger(__name__)


class FailedAttempts:
    """Wrong-token attempts across all sessions of this server, in a sliding window (thread-safe)."""

    def __init__(self, clock=time.monotonic) -> None:
        self.clock = clock
        self._times: deque[float] = deque()
        self._lock = threading.Lock()

    def _prune(self, now: float) -> None:
        while self._times and now - self._times[0] >= LOCKOUT_SECONDS:
            self._times.popleft()

    def locked_for(self) -> float:
        """Seconds until a token may be tried again (0: now)."""
        with self._lock:
            now = self.clock()
            self._prune(now)
            if len(self._times) < MAX_FAILURES:
                return 0.0
            return LOCKOUT_SECONDS - (now - self._times[-MAX_FAILURES])

    def failed(self) -> int:
        with self._lock:
            now = self.clock()
            self._prune(now)
            self._times.append(now)
            return len(self._times)

    def clear(self) -> None:
        with self._lock:
            self._times.clear()


ATTEMPTS = FailedAttempts()


def configured_token() -> str | None:
    token = os.environ.get("ZONE_ATLAS_ADMIN_TOKEN")
    if token:
        return token
    try:
        return st.secrets.get("admin_token")  # .streamlit/secrets.toml; absent file → no token
    except Exception:  # noqa: BLE001 - Streamlit raises if there is no secrets file at all
        return None


def admin_refusal(given: str | None) -> str | None:
    """None for the server's token, else the one message the page shows: locked (too many wrong tokens lately,
    every attempt refused) or wrong. Wrong attempts are logged as a count, never with the text that was typed."""
    wait = ATTEMPTS.locked_for()
    if wait > 0:
        _LOG.warning("admin token check refused: locked for %.0f s after %d wrong tokens", wait, MAX_FAILURES)
        return t("common.admin_locked", minutes=math.ceil(wait / 60))
    if token_matches(given, configured_token()):
        ATTEMPTS.clear()
        return None
    if given:
        _LOG.warning("admin token rejected (%d wrong in the last %d min)", ATTEMPTS.failed(), LOCKOUT_SECONDS // 60)
    return t("import.bad_token")


def is_admin(given: str | None) -> bool:
    return admin_refusal(given) is None
