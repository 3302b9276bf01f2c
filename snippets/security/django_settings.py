# This topic's lines in the project's settings.py. startproject's MIDDLEWARE already has
# SecurityMiddleware, CsrfViewMiddleware and XFrameOptionsMiddleware; the project adds
# "corsheaders" to INSTALLED_APPS, "corsheaders.middleware.CorsMiddleware" at the top of
# MIDDLEWARE, "snippets.security.django_charset.text_charsets_only" right after it, and
# "django.middleware.csp.ContentSecurityPolicyMiddleware" to it.
CORS_ALLOWED_ORIGINS = ["https://app.example.com"]

# Django's defaults, spelled out: sent by SecurityMiddleware and XFrameOptionsMiddleware.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# No SECURE_CSP here: a site-wide policy would apply to every topic's pages, so the
# security snippet sets its policy per view with @csp_override.
