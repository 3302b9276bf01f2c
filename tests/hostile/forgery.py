"""Credentials signed with the keys the app under test really uses.

A token signed with a wrong key only exercises the signature check. The well-signed
ones with odd claims (no ``sub``, a ``sub`` that is a list, a session whose user id is
``²``) reach the code behind it, which is where the 500s hide. The keys are read from
the imported snippet, the same module (and environment) the server runs.
"""

from __future__ import annotations

import base64
import json
from types import ModuleType

from itsdangerous import TimestampSigner

from tests.hostile.inputs import FORGED_COOKIES, forged_tokens
from verified_guide.topics import Topic, import_snippet

#: Session contents a signed cookie may carry; each value is wrong in a different way.
ODD_IDS: list[object] = ["²", str(2**63), 2**63, None, [], "x" * 300]


def signing_keys(module: ModuleType) -> list[str]:
    """Every secret the snippet module holds: module constants, Flask's and Django's key."""
    keys = {
        value
        for name, value in vars(module).items()
        if ("SECRET" in name or name.endswith("KEY")) and isinstance(value, str) and value
    }
    app = getattr(module, "app", None)
    flask_key = getattr(app, "secret_key", None)
    if isinstance(flask_key, str) and flask_key:
        keys.add(flask_key)
    if "django" in module.__name__:
        from django.conf import settings

        keys.add(settings.SECRET_KEY)
    return sorted(keys)


def uses_credentials(topic: Topic, framework: str) -> bool:
    """Whether the snippet reads a token, a session or a key at all (worth forging for)."""
    source = "".join(p.read_text(encoding="utf-8") for p in topic.code_files(framework)[:1])
    return any(word in source for word in ("Bearer", "jwt", "Token", "login", "session", "KEY"))


def session_cookies(module: ModuleType) -> list[bytes]:
    """Cookies a server would accept as its own session, holding ids of the wrong shape."""
    app = getattr(module, "app", None)
    cookies = []
    interface = getattr(app, "session_interface", None)
    if interface is not None and getattr(app, "secret_key", None):  # Flask
        serializer = interface.get_signing_serializer(app)
        name = app.config["SESSION_COOKIE_NAME"]
        for odd in ODD_IDS:
            value = serializer.dumps({"_user_id": odd, "_fresh": True, "user_id": odd})
            cookies.append(f"{name}={value}".encode())
    for key in signing_keys(module):  # Starlette's SessionMiddleware format
        signer = TimestampSigner(key)
        for odd in ODD_IDS:
            data = base64.b64encode(json.dumps({"user_id": odd, "_user_id": odd}).encode())
            cookies.append(b"session=" + signer.sign(data))
    return cookies


def credentials(
    topic: Topic, framework: str, *, odd_cookies: bool = True
) -> tuple[list[bytes], list[bytes]]:
    """Authorization values and cookies forged for one snippet (none if it has no secrets):
    sessions signed with its own key and, with ``odd_cookies``, every odd cookie, each sent
    once (the in-process runs send them all; the servers, which parse cookies no differently,
    get them as Hypothesis draws them)."""
    if not uses_credentials(topic, framework):
        return [], []
    module = import_snippet(topic, framework)
    odd = FORGED_COOKIES if odd_cookies else []
    return forged_tokens(signing_keys(module)), [*session_cookies(module), *odd]
