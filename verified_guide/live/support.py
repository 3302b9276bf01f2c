"""Which snippets the live demo can run, and which of them hash a password, as data.

snippets/live_unsupported.yaml lists every snippet that cannot run in the browser, with the
reason; the parity test checks the list is exact, and the page shows the reason instead of Run
(the placeholder element is rendered by ``docs/plugins/page_data.py``).
"""

from __future__ import annotations

import ast
from functools import cache

from verified_guide.datafiles import Strict, load_model
from verified_guide.topics import ROOT, Framework

UNSUPPORTED_FILE = ROOT / "snippets" / "live_unsupported.yaml"
#: What hashes a password, in any framework: where a snippet (or a project file it imports) calls
#: one of these functions or methods, or uses one of these classes, its demo says the browser
#: hashes with a weaker pure-Python PBKDF2 (verified_guide/live/hashing.py). Read from the syntax
#: tree, not the text, so a view that is merely named ``create_user`` (the serialization topic's)
#: does not count, and the name inside a string or a comment never does.
HASHING_CALLS = frozenset(
    {"make_password", "set_password", "check_password", "create_user", "create_superuser",
     "authenticate", "generate_password_hash", "check_password_hash"}
)  # fmt: skip
HASHING_CLASSES = frozenset({"AuthenticationForm", "LoginView", "PasswordHash"})


def _hashes(tree: ast.AST) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            if name in HASHING_CALLS:
                return True
        elif isinstance(node, ast.Name) and node.id in HASHING_CLASSES:
            return True
        elif isinstance(node, ast.Attribute):
            if node.attr in HASHING_CLASSES:
                return True
            # Django's admin site: its log-in form authenticates, which hashes the password
            # (for an unknown user too, against timing attacks).
            if (
                node.attr == "site"
                and isinstance(node.value, ast.Name)
                and node.value.id == "admin"
            ):
                return True
    return False


def hashes_passwords(topic: str, framework: str) -> bool:
    """Whether the snippet's run hashes a password (so its demo shows the PBKDF2 note)."""
    from verified_guide.live.packages import project_files

    files = project_files(topic, framework)
    return any(_hashes(ast.parse(path.read_text(encoding="utf-8"))) for path in files)


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
