import hashlib
import math
import time
import unicodedata
from functools import wraps

from django.core.cache import cache
from django.http import JsonResponse

FAILURES, WINDOW = 5, 60  # at most 5 failed logins a minute per client address and username


def limit_failed_logins(view):
    # Counts live in Django's cache: the default LocMemCache is per process; with several
    # workers, point CACHES at a shared one (django.core.cache.backends.redis.RedisCache).
    # REMOTE_ADDR is the proxy's address behind a reverse proxy: see the security page.
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method != "POST":
            return view(request, *args, **kwargs)
        # One count per user however the name is spelled: Django's login form strips spaces
        # and applies NFKC, and allauth's backend matches usernames ignoring case ("Ada").
        raw = request.POST.get("username", "").strip()
        name = unicodedata.normalize("NFKC", raw).casefold()
        client = f"{request.META.get('REMOTE_ADDR')}:{name}"
        key = "failed-logins:" + hashlib.sha256(client.encode()).hexdigest()
        if cache.add(key, 0, WINDOW):  # the first attempt opens the window
            cache.set(key + ":end", time.time() + WINDOW, WINDOW)
        # Counted before the password is checked (incr is atomic, also in Redis): guesses sent
        # in parallel each take a slot, so at most five are tried.
        try:
            attempts = cache.incr(key)
        except ValueError:  # the window closed (or the entry was evicted) since add
            cache.set(key, attempts := 1, WINDOW)
        if attempts > FAILURES:
            retry_after = max(1, math.ceil(cache.get(key + ":end", 0) - time.time()))
            response = JsonResponse({"detail": "Too many failed logins"}, status=429)
            response["Retry-After"] = str(retry_after)
            return response
        response = view(request, *args, **kwargs)
        user = request.user  # after the view: the one it logged in, if it did
        if user.is_authenticated and user.get_username().casefold() == name:
            cache.delete_many([key, key + ":end"])  # only failures add up
        return response

    return wrapper
