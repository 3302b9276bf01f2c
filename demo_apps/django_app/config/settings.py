"""Settings of the Django demo project.

This is ``startproject``'s settings file with three changes: secrets and debug
come from the environment (no fallback key: a missing ``DJANGO_SECRET_KEY`` stops
the server), the database location can be set with ``GUIDE_DATABASE_URL``, and the
guide's app is installed, with the apps and middleware topics add (CORS, CSP, allauth).
``DEBUG`` is off unless ``GUIDE_DEBUG=1``; the servers in tests and benchmarks run with
these settings over plain HTTP on 127.0.0.1.
``production.py`` adds what a deployment behind HTTPS needs (``check --deploy``).
"""

import os

from demo_apps.django_app.config import topics

# Every topic's snippets/<topic>/django_settings.py, by convention (config/topics.py): among
# them DEBUG (GUIDE_DEBUG=1) and SECRET_KEY (DJANGO_SECRET_KEY; no default, so a missing key
# stops the server at start) from the configuration topic, the api_docs topic's bearer token
# (ITEMS_API_TOKEN), read here rather than in a view for the same reason, the database topic's
# DATABASES (SQLite or PostgreSQL from GUIDE_DATABASE_URL; without it, the SQLite file the
# other two apps use too), the security topic's CORS and header settings, the auth topic's
# django-allauth settings and the caching topic's CACHES (Django's default cache, spelled out).
TOPIC_SETTINGS = topics.settings()
globals().update(TOPIC_SETTINGS)

ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "demo_apps.django_app.guide",
    # The security topic's CORS headers (django-cors-headers).
    "corsheaders",
    # What the topics' settings add (e.g. the auth topic's ALLAUTH_APPS).
    *topics.apps(TOPIC_SETTINGS),
]

# startproject's middleware plus what the topics add (CORS, CSP, allauth): see middleware.py.
from demo_apps.django_app.config.middleware import MIDDLEWARE as DEMO_MIDDLEWARE  # noqa: E402

MIDDLEWARE = list(DEMO_MIDDLEWARE)

ROOT_URLCONF = "demo_apps.django_app.config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Every topic's django_templates/ folder (the templates topic's catalog/).
        "DIRS": topics.template_dirs(),
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "demo_apps.django_app.config.wsgi.application"
ASGI_APPLICATION = "demo_apps.django_app.config.asgi.application"


AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"

# With DEBUG off, Django's default logging sends errors only to mail_admins, so a 500 would
# leave no trace on the server: send errors (tracebacks of 500s, security events) to stderr.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"stderr": {"class": "logging.StreamHandler"}},
    "loggers": {"django": {"handlers": ["stderr"], "level": "ERROR"}},
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background tasks (topic "background"): run inline, in the request. A real
# deployment points this at a backend with a worker (e.g. django-tasks' database backend).
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}

# --- benchmarks (scripts/bench, issue 4): edited by the benchmark harness's owner only ---
if os.environ.get("GUIDE_DJANGO_MIDDLEWARE") == "none":
    MIDDLEWARE = []  # the benchmarks' "no middleware" variant, labelled as such on the results page
# --- end benchmarks ---
