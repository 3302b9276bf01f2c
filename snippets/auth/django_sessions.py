# Django's database sessions, with each session key checked before it reaches the database.
# Django issues keys of 32 lowercase letters and digits, but the stock store looks up any
# cookie value of eight characters or more. A quoted cookie may spell a NUL as \000, which
# Python's cookie parser decodes, and PostgreSQL answers a NUL in text with an error (a 500).
# A key Django could not have issued now means "no session", as an unknown key already did.
import re

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore

ISSUED_KEY = re.compile(r"[a-z0-9]{32}")  # get_random_string(32, VALID_KEY_CHARS)


class SessionStore(DatabaseSessionStore):
    def _validate_session_key(self, key: str | None) -> bool:
        return key is not None and ISSUED_KEY.fullmatch(key) is not None
