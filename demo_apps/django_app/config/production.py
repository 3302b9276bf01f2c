"""Production settings of the Django demo project: ``settings.py`` plus what a deployment
behind HTTPS needs, so that ``manage.py check --deploy --fail-level WARNING`` passes.

TLS ends at a reverse proxy that sets ``X-Forwarded-Proto: https``; Django trusts that
header, redirects plain HTTP to HTTPS, marks its cookies Secure and sends HSTS. Host names
come from ``DJANGO_ALLOWED_HOSTS``. The tests run ``settings.py`` over plain HTTP instead,
where Secure cookies would never be sent back.
"""

import os

from demo_apps.django_app.config.settings import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",") if h]

# Only safe behind a proxy that overwrites this header on every request (it must not pass a
# client's own X-Forwarded-Proto through).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = True
# Load balancers and orchestrators probe over plain HTTP, often by the pod's address: the health
# check answers them instead of redirecting. A probe must still send a Host that
# DJANGO_ALLOWED_HOSTS lists, or Django answers 400.
SECURE_REDIRECT_EXEMPT = [r"^deployment/health$"]
SECURE_HSTS_SECONDS = 63072000  # two years; start lower while trying HTTPS out
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True

SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True  # Django's default, spelled out
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_SAMESITE = "Lax"
