"""WSGI entry point: ``gunicorn demo_apps.django_app.config.wsgi:application``."""

import os

from django.core.wsgi import get_wsgi_application

from demo_apps.django_app.config.startup import migrate

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "demo_apps.django_app.config.settings")
application = get_wsgi_application()
migrate()
