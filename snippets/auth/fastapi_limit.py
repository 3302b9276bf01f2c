import hashlib
import math
import time

from fastapi import HTTPException, Request
from limits import parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

# The `limits` library (under slowapi and Flask-Limiter). In-memory counters are per process:
# with several workers, use limits.storage.storage_from_string("redis://...") instead.
FAILED_LOGINS = parse("5/minute")
limiter = MovingWindowRateLimiter(MemoryStorage())


def login_key(request: Request, username: str) -> str:
    # Per client address and username. Behind a proxy, request.client is the proxy unless
    # uvicorn runs with --forwarded-allow-ips naming it (see the security page). Hashed: a
    # counter kept for a minute holds 64 characters, not a name of up to a megabyte.
    client = f"{request.client.host if request.client else ''}:{username}"
    return hashlib.sha256(client.encode()).hexdigest()


def reserve_login_attempt(key: str) -> None:
    # Counted before the password is checked (hit is atomic): guesses sent in parallel each
    # take a slot, so at most five are tried. Counting after a failure would let every
    # guess already in flight through.
    if not limiter.hit(FAILED_LOGINS, key):
        reset_at = limiter.get_window_stats(FAILED_LOGINS, key).reset_time
        retry_after = str(max(1, math.ceil(reset_at - time.time())))
        raise HTTPException(429, "Too many failed logins", headers={"Retry-After": retry_after})


def forget_login_attempts(key: str) -> None:
    limiter.clear(FAILED_LOGINS, key)  # a successful login: only failures add up
