import os
import secrets
import warnings


class MissingSecretError(RuntimeError):
    """A secret the app needs is not in the environment: raised at import, so it never starts."""


def check_secret(name: str, value: str) -> str:
    """`value`, if it can be a key: text (bytes that are not UTF-8 arrive as lone surrogates)
    and not blank (a key of spaces is as public as a default)."""
    try:
        value.encode()
    except UnicodeEncodeError:
        raise MissingSecretError(f"{name} is not valid UTF-8: set it to text") from None
    if not value.strip():
        raise MissingSecretError(f"{name} is blank: set it to a long random value")
    return value


def require_secret(name: str) -> str:
    """The secret in environment variable `name`. Missing, empty, blank or not text: stop.
    With GUIDE_DEBUG=1 only: a random key for this process, loudly marked insecure."""
    value = os.environ.get(name, "")
    if value:
        return check_secret(name, value)
    if os.environ.get("GUIDE_DEBUG") == "1":
        warnings.warn(
            f"{name} is not set: using a random INSECURE key (GUIDE_DEBUG=1)", stacklevel=2
        )
        return "insecure-development-key-" + secrets.token_urlsafe(32)
    raise MissingSecretError(
        f"{name} is not set. Put a long random value in the environment, e.g. the output of "
        f"`python -c 'import secrets; print(secrets.token_urlsafe(50))'` (GUIDE_DEBUG=1 uses a "
        "throwaway key for local development instead)."
    )
