"""Password hashing that works in the browser (imported there as `live_hashing`).

Pyodide's hashlib has no OpenSSL, so neither `pbkdf2_hmac` nor `scrypt`, and argon2-cffi cannot
load (its cffi backend has no Pyodide wheel). In the live demo every framework therefore hashes
with PBKDF2-SHA256 computed in pure Python at ITERATIONS rounds: a demo setting far below
production strength, which the page states. The real apps and the tests keep their defaults.
"""

from __future__ import annotations

import hashlib
import hmac
import importlib.util
import os

ITERATIONS = 1_000
PREFIX = "$pbkdf2-sha256$"


def pbkdf2_hmac(name: str, password: bytes, salt: bytes, iterations: int, dklen=None) -> bytes:
    """RFC 8018 PBKDF2 on the stdlib's hmac, with hashlib.pbkdf2_hmac's signature."""
    size = hashlib.new(name).digest_size
    dklen = dklen or size
    key = hmac.new(password, digestmod=name)
    blocks = []
    for index in range(1, -(-dklen // size) + 1):
        mac = key.copy()
        mac.update(salt + index.to_bytes(4, "big"))
        block = value = mac.digest()
        for _ in range(iterations - 1):
            mac = key.copy()
            mac.update(block)
            block = mac.digest()
            value = bytes(a ^ b for a, b in zip(value, block, strict=True))
        blocks.append(value)
    return b"".join(blocks)[:dklen]


def install(framework: str) -> None:
    """Give hashlib its PBKDF2 and point the framework's default hasher at it."""
    if not hasattr(hashlib, "pbkdf2_hmac"):
        hashlib.pbkdf2_hmac = pbkdf2_hmac
    if framework == "flask":
        _werkzeug()
    elif framework == "fastapi" and importlib.util.find_spec("pwdlib"):
        _pwdlib()


def django_hasher() -> str:
    """Dotted path of Django's PBKDF2 hasher with the demo's iteration count."""
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    class BrowserPBKDF2PasswordHasher(PBKDF2PasswordHasher):
        iterations = ITERATIONS

    globals()["BrowserPBKDF2PasswordHasher"] = BrowserPBKDF2PasswordHasher
    return f"{__name__}.BrowserPBKDF2PasswordHasher"


def _werkzeug() -> None:
    """werkzeug's default method is scrypt: use PBKDF2 instead (check_password_hash reads both)."""
    import werkzeug.security as security

    original = getattr(security.generate_password_hash, "original", security.generate_password_hash)

    def generate_password_hash(password: str, method: str = "scrypt", salt_length: int = 16):
        if method.startswith("scrypt"):
            method = f"pbkdf2:sha256:{ITERATIONS}"
        return original(password, method, salt_length)

    generate_password_hash.original = original
    security.generate_password_hash = generate_password_hash


class PBKDF2Hasher:
    """A pwdlib hasher (its HasherProtocol) on pure-Python PBKDF2, standing in for Argon2."""

    @classmethod
    def identify(cls, hash: str | bytes) -> bool:
        return _text(hash).startswith(PREFIX)

    def hash(self, password: str | bytes, *, salt: bytes | None = None) -> str:
        salt = salt or os.urandom(16)
        digest = pbkdf2_hmac("sha256", _bytes(password), salt, ITERATIONS)
        return f"{PREFIX}{ITERATIONS}${salt.hex()}${digest.hex()}"

    def verify(self, password: str | bytes, hash: str | bytes) -> bool:
        iterations, salt, digest = _text(hash).removeprefix(PREFIX).split("$")
        computed = pbkdf2_hmac("sha256", _bytes(password), bytes.fromhex(salt), int(iterations))
        return hmac.compare_digest(computed.hex(), digest)

    def check_needs_rehash(self, hash: str | bytes) -> bool:
        return False


def _pwdlib() -> None:
    from pwdlib import PasswordHash

    PasswordHash.recommended = classmethod(lambda cls: cls((PBKDF2Hasher(),)))


def _text(value: str | bytes) -> str:
    return value.decode() if isinstance(value, bytes) else value


def _bytes(value: str | bytes) -> bytes:
    return value.encode() if isinstance(value, str) else value
