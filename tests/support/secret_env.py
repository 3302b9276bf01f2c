"""pytest plugin: random secrets for this test session, set before anything imports a snippet.

Loaded with ``-p`` (pyproject's addopts) so it runs before pytest-django reads the settings
and before any test module imports a snippet; servers started by tests inherit the
environment. A variable already set (a reader's own ``.env``) is kept.
"""

from __future__ import annotations

import os

from scripts.secret_env import throwaway_secrets

for _name, _value in throwaway_secrets().items():
    os.environ.setdefault(_name, _value)
