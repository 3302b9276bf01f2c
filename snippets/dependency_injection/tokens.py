import hmac

from snippets.configuration.secret_env import require_secret

# Each user's API token comes from the environment, never from the code: a token written here
# would let anyone who reads the code in. A real app looks hashed tokens up in its user table.
TOKEN_VARIABLES = {"ADA_API_TOKEN": "ada", "BOB_API_TOKEN": "bob"}


class DuplicateTokenError(RuntimeError):
    """Two users were given one token, so either could act as the other: the app stops."""


def load_tokens(variables: dict[str, str]) -> list[tuple[bytes, str]]:
    """(token, user) for each variable; a missing one or a token given twice stops the app."""
    tokens: list[tuple[bytes, str]] = []
    for variable, user in variables.items():
        token = require_secret(variable).encode()
        if any(hmac.compare_digest(token, known) for known, _ in tokens):
            raise DuplicateTokenError(f"{variable} holds another user's token: give each its own")
        tokens.append((token, user))
    return tokens


TOKENS = load_tokens(TOKEN_VARIABLES)


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
