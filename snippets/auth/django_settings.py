# Lines of the project's settings.py for django-allauth: its account app, with sign-up and
# log-in by username and password. No e-mail is collected or verified, because the demo
# sends no mail; a real site asks for an address and sets ACCOUNT_EMAIL_VERIFICATION.
ALLAUTH_APPS = ["allauth", "allauth.account"]
# allauth refuses to start without its middleware (checked when the app loads).
ALLAUTH_MIDDLEWARE = "allauth.account.middleware.AccountMiddleware"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
# allauth's sign-up, with a 409 when two requests race for one name (django_adapter.py)
ACCOUNT_ADAPTER = "snippets.auth.django_adapter.AccountAdapter"
LOGIN_REDIRECT_URL = "auth-me"  # after allauth's log-in: the page's /me
# Sessions in the database, refusing keys Django never issues (django_sessions.py)
SESSION_ENGINE = "snippets.auth.django_sessions"
