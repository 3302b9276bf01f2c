"""Apply the migrations when a demo server starts (added by the database/auth/admin topics).

A real deployment runs ``manage.py migrate`` as a release step; the demo servers start on an
empty database (``GUIDE_DATABASE_URL``) in tests, so they migrate it themselves.
"""

import logging

from django.core.management import call_command
from django.db import DatabaseError


def migrate() -> None:
    try:
        call_command("migrate", interactive=False, verbosity=0, fake_initial=True)
    except DatabaseError as exc:  # e.g. a benchmark database whose bench_row seed() already filled
        logging.getLogger(__name__).warning("migrate at startup failed: %s", exc)
