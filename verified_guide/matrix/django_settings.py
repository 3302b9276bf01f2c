"""The demo project's settings for an older Django line: middleware it does not have is left out.

The demo settings add Django 6's CSP middleware for the security topic. On a line without it,
keeping it would fail every Django case at the first request, hiding which topics really
depend on 6.0; without it, the topic whose snippet imports the CSP helpers fails on its own,
with that import as the reason. Only used by the matrix runs (``scripts/matrix/run.py``).
"""

from importlib.util import find_spec

from demo_apps.django_app.config.settings import *  # noqa: F403
from demo_apps.django_app.config.settings import MIDDLEWARE


def _available(dotted: str) -> bool:
    module = dotted.rpartition(".")[0]
    try:
        return find_spec(module) is not None
    except ModuleNotFoundError:
        return False


MIDDLEWARE = [entry for entry in MIDDLEWARE if _available(entry)]
