"""The demo project's ``MIDDLEWARE``, kept apart from ``settings.py`` so that the methodology
page can list it without loading settings (which need the secrets).

It is ``startproject``'s seven plus what topics add. The benchmark's Django settings
(``verified_guide/bench/django_settings.py``) keep ``startproject``'s seven only, so these additions
reach the "mounted in the demo app" extras and nothing else.
"""

from snippets.auth.django_settings import ALLAUTH_MIDDLEWARE

#: The middleware that ``startproject`` gives, in its order (a test compares with Django's
#: project template).
STARTPROJECT_MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
CORS_MIDDLEWARE = "corsheaders.middleware.CorsMiddleware"
CSP_MIDDLEWARE = "django.middleware.csp.ContentSecurityPolicyMiddleware"
CHARSET_MIDDLEWARE = "snippets.security.django_charset.text_charsets_only"

#: Each added middleware, with what it is for and the topic that needs it.
ADDED_BY_TOPICS = {
    CORS_MIDDLEWARE: ("CORS headers from django-cors-headers", "security"),
    CHARSET_MIDDLEWARE: ("a 415 for a charset that is no text encoding", "security"),
    CSP_MIDDLEWARE: ("Content-Security-Policy", "security"),
    ALLAUTH_MIDDLEWARE: ("django-allauth's request context", "auth"),
}

# CORS first, so that its headers reach every answer, including the other middleware's; the
# charset check next, before anything (CSRF's check of a form) decodes the request.
MIDDLEWARE = [
    CORS_MIDDLEWARE,
    CHARSET_MIDDLEWARE,
    *STARTPROJECT_MIDDLEWARE,
    CSP_MIDDLEWARE,
    ALLAUTH_MIDDLEWARE,
]
