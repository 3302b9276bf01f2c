"""Django's bench snippet as its own WSGI and ASGI app (settings: django_settings.py)."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "verified_guide.bench.django_settings")

from django.core.asgi import get_asgi_application
from django.core.wsgi import get_wsgi_application

wsgi = get_wsgi_application()
asgi = get_asgi_application()
