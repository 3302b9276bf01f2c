"""The secrets the demo apps read from the environment, and throwaway values for test runs.

The snippets fail closed: started without these variables (and without ``GUIDE_DEBUG=1``)
they refuse to import, naming the variable. Tests, benchmark servers and the in-browser
runner are not production, so they supply fresh random values, never a constant: a value
generated per process cannot be found in the repository and reused against a real server.
``.env.example`` lists the same names for a reader's own deployment.
"""

from __future__ import annotations

import secrets

#: Every secret a demo app reads, and what it protects.
SECRET_VARIABLES: dict[str, str] = {
    "GUIDE_SECRET_KEY": "FastAPI and Flask snippets: JWT signing, session cookies, CSRF tokens",
    "DJANGO_SECRET_KEY": "Django's SECRET_KEY (sessions, CSRF, password reset tokens)",
    "ITEMS_API_TOKEN": "the bearer token of the api_docs topic's write endpoint",
    "BOOKS_API_TOKEN": "the bearer token of the rest_api topic's write endpoints",
    "SHOP_SECRET_KEY": "the configuration topic's secret setting",
    "ADA_API_TOKEN": "the dependency_injection topic's token of the user ada",
    "BOB_API_TOKEN": "the dependency_injection topic's token of the user bob",
}


def throwaway_secrets() -> dict[str, str]:
    """A fresh random value for every secret: for test sessions and local servers only."""
    return {name: secrets.token_urlsafe(50) for name in SECRET_VARIABLES}  # Django wants 50+
