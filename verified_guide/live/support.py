"""Which snippets the live demo can run, and which of them hash a password, as data.

snippets/live_unsupported.yaml lists every snippet that cannot run in the browser, with the
reason; the parity test checks the list is exact, and the page shows the reason instead of Run
(the placeholder element is rendered by ``docs/plugins/page_data.py``).
"""

from __future__ import annotations

import re
from functools import cache

from verified_guide.datafiles import Strict, load_model
from verified_guide.topics import ROOT, Framework

UNSUPPORTED_FILE = ROOT / "snippets" / "live_unsupported.yaml"
#: Calls that hash a password, in any framework: where a snippet (or a file it imports) makes one,
#: its demo says the browser hashes with a weaker pure-Python PBKDF2
#: (verified_guide/live/hashing.py).
HASHING_CALLS = re.compile(
    r"\b(make_password|set_password|check_password|create_user|create_superuser|AuthenticationForm"
    r"|generate_password_hash|check_password_hash|PasswordHash)\b"
)


def hashes_passwords(topic: str, framework: str) -> bool:
    """Whether the snippet's run hashes a password (so its demo shows the PBKDF2 note)."""
    from verified_guide.live.packages import source_of

    return bool(HASHING_CALLS.search(source_of(topic, framework)))


class UnsupportedSnippet(Strict):
    topic: str
    framework: Framework  # type: ignore[valid-type]
    #: Shown on the page instead of the Run button.
    reason: str


class UnsupportedFile(Strict):
    unsupported: list[UnsupportedSnippet] = []


class UnsupportedError(Exception):
    """live_unsupported.yaml is malformed; the message names the entry and the key."""


@cache
def unsupported() -> dict[tuple[str, str], str]:
    """{(topic, framework): reason} for snippets that cannot run in Pyodide."""
    data = load_model(UNSUPPORTED_FILE, UnsupportedFile, UnsupportedError)
    return {(entry.topic, entry.framework): entry.reason for entry in data.unsupported}
