# This topic's lines in the project's settings.py: Django's default cache, spelled out.
# LocMemCache lives in each worker process, so two workers keep two copies; a deployment
# with several workers points BACKEND at Redis or Memcached instead.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "guide",
        "TIMEOUT": 300,  # seconds, for cache.set() without a timeout
        "OPTIONS": {"MAX_ENTRIES": 1000},  # bounded: a full cache drops a third of its keys
    },
    # cache_page's own store: a client adds an entry per query string it makes up, and in the
    # default cache those would push out everything else, a login limiter's counts included.
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "guide-pages",
        "OPTIONS": {"MAX_ENTRIES": 1000},
    },
}
