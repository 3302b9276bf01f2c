import hashlib
import math
import time
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
        client = f"{request.META.get('REMOTE_ADDR')}:{request.POST.get('username', '')}"
        key = "failed-logins:" + hashlib.sha256(client.encode()).hexdigest()
        if (cache.get(key) or 0) >= FAILURES:
            retry_after = max(1, math.ceil(cache.get(key + ":end", 0) - time.time()))
            response = JsonResponse({"detail": "Too many failed logins"}, status=429)
            response["Retry-After"] = str(retry_after)
            return response
        response = view(request, *args, **kwargs)
        if response.status_code == 401:
            if cache.add(key, 0, WINDOW):  # the first failure opens the window
                cache.set(key + ":end", time.time() + WINDOW, WINDOW)
            cache.incr(key)  # atomic in the cache (also Redis): parallel guesses all count
        return response

    return wrapper
