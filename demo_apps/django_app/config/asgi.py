"""ASGI entry point: ``uvicorn demo_apps.django_app.config.asgi:application``."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "demo_apps.django_app.config.settings")
application = get_asgi_application()
