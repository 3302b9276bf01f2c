import hmac

from snippets.configuration.secret_env import require_secret


class DuplicateTokenError(RuntimeError):
    """Two users were given one token, so either could act as the other: the app stops."""


def load_tokens(token_of: dict[str, str]) -> list[tuple[bytes, str]]:
    """(token, user) for each user; one token given to two users stops the app."""
    tokens: list[tuple[bytes, str]] = []
    for user, text in token_of.items():
        token = text.encode("utf-8", "surrogateescape")  # the environment's bytes, as they were
        for known, other in tokens:
            if hmac.compare_digest(token, known):
                raise DuplicateTokenError(f"{other} and {user} have one token: give each its own")
        tokens.append((token, user))
    return tokens


# Each user's API token comes from the environment, never from the code: a token written here
# would let anyone who reads the code in. A real app looks hashed tokens up in its user table.
TOKENS = load_tokens(
    {"ada": require_secret("ADA_API_TOKEN"), "bob": require_secret("BOB_API_TOKEN")}
)


def user_for_token(token: str | None) -> str | None:
    """The user whose token this is, or None. Every token is compared, each in constant time
    (`==`, and so a dict lookup, stops at the first differing character and can leak how much
    of a guess was right). "surrogatepass" encodes any header text without an error."""
    guess = (token or "").encode("utf-8", "surrogatepass")
    user = None
    for known, name in TOKENS:
        if hmac.compare_digest(guess, known):
            user = name
    return user
