"""WSGI entry point: ``gunicorn demo_apps.django_app.config.wsgi:application``."""

import os

from django.core.wsgi import get_wsgi_application

from demo_apps.django_app.config.startup import migrate
from snippets.security.django_charset import text_charsets_only_wsgi

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "demo_apps.django_app.config.settings")
# A charset that is no text encoding fails Django before its middleware: see the security page.
application = text_charsets_only_wsgi(get_wsgi_application())
migrate()
