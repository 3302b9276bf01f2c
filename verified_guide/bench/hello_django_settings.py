"""Minimal Django settings for the cost figures: the hello snippet alone, no database.

The demo project loads every topic; the "idle hello app" figure must not, or Django would be
charged for the whole guide's apps.
"""

SECRET_KEY = "benchmark-only-not-secret-0123456789abcdefghijklmnopqrstuvwxyz"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1"]
ROOT_URLCONF = "snippets.hello.django"
INSTALLED_APPS: list[str] = []
# startproject's middleware, less what needs an installed app (sessions, auth, messages).
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
DATABASES: dict[str, dict[str, str]] = {}
