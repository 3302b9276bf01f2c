"""Full login flows, one per framework: what the cases cannot carry from one request to the next
(a bearer token, a CSRF token), and what the server stores (a password hash, not the password).
"""

from __future__ import annotations

import json
import re
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import jwt
import pytest
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal import userkit
from django.contrib.auth.models import User as DjangoUser
from django.db import IntegrityError, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from fastapi.testclient import TestClient
from sqlalchemy import select

from snippets.auth import django as django_auth
from snippets.auth import fastapi as fastapi_auth
from snippets.auth import flask as flask_auth
from snippets.database import fastapi_db, flask_db

PASSWORD = "correct-horse-battery"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def _username() -> str:
    return f"user-{uuid.uuid4().hex[:12]}"


def test_fastapi_password_flow_issues_a_jwt_that_opens_me() -> None:
    client = TestClient(fastapi_auth.app)
    name = _username()
    assert (
        client.post("/register", json={"username": name, "password": PASSWORD}).status_code == 201
    )
    with fastapi_db.Session(fastapi_db.engine) as session:
        stored = session.scalar(select(fastapi_db.User).where(fastapi_db.User.username == name))
    assert stored.password_hash.startswith("$argon2id$")
    assert PASSWORD not in stored.password_hash

    wrong = client.post("/login", data={"username": name, "password": "nope-nope-nope"})
    assert wrong.status_code == 401
    assert wrong.headers["www-authenticate"] == "Bearer"

    token = client.post("/login", data={"username": name, "password": PASSWORD}).json()
    assert token["token_type"] == "bearer"
    claims = jwt.decode(token["access_token"], fastapi_auth.SECRET_KEY, algorithms=["HS256"])
    assert claims["sub"] == name
    me = client.get("/me", headers={"Authorization": f"Bearer {token['access_token']}"})
    assert me.status_code == 200
    assert me.json() == {"username": name}


@pytest.mark.parametrize(
    ("lifetime", "status"),
    [
        pytest.param(timedelta(minutes=-1), 401, id="expired"),
        pytest.param(timedelta(minutes=5), 200, id="unexpired (the same user, so exp decided)"),
    ],
)
def test_fastapi_rejects_an_expired_token_of_a_registered_user(
    lifetime: timedelta, status: int
) -> None:
    client = TestClient(fastapi_auth.app)
    name = _username()
    assert (
        client.post("/register", json={"username": name, "password": PASSWORD}).status_code == 201
    )
    claims = {"sub": name, "exp": datetime.now(UTC) + lifetime}
    token = jwt.encode(claims, fastapi_auth.SECRET_KEY, algorithm="HS256")
    resp = client.get("/me", headers={"Authorization": f"Bearer {token}"})
    assert resp.status_code == status
    if status == 401:
        assert resp.json() == {"detail": "Could not validate credentials"}


def test_fastapi_rejects_a_valid_token_of_a_vanished_user() -> None:
    token = jwt.encode({"sub": "no-such-user-ever"}, fastapi_auth.SECRET_KEY, algorithm="HS256")
    resp = TestClient(fastapi_auth.app).get("/me", headers={"Authorization": f"Bearer {token}"})
    assert resp.status_code == 401
    assert resp.json() == {"detail": "Could not validate credentials"}


@pytest.mark.claim("flask-extensions")
def test_flask_login_sets_a_session_cookie_and_logout_clears_it() -> None:
    client = flask_auth.app.test_client()
    name = _username()
    assert (
        client.post("/register", json={"username": name, "password": PASSWORD}).status_code == 201
    )
    with flask_auth.app.app_context():
        stored = flask_db.db.session.scalar(
            flask_db.db.select(flask_db.User).filter_by(username=name)
        )
        assert stored.password_hash.startswith("scrypt:")

    assert client.get("/me").status_code == 401
    resp = client.post("/login", data={"username": name, "password": PASSWORD})
    assert resp.status_code == 200
    assert "session=" in resp.headers["Set-Cookie"]
    assert "HttpOnly" in resp.headers["Set-Cookie"]
    assert client.get("/me").get_json() == {"username": name}
    assert client.post("/logout").status_code == 204
    assert client.get("/me").status_code == 401


def test_flask_register_rejects_a_missing_username() -> None:
    resp = flask_auth.app.test_client().post("/register", json={"password": PASSWORD})
    assert resp.status_code == 422


@pytest.mark.claim("django-batteries")
@pytest.mark.django_db
def test_django_login_with_csrf_token_then_me_then_logout(settings) -> None:
    settings.ROOT_URLCONF = "snippets.auth.django"
    user = DjangoUser.objects.create_user("ada", password=PASSWORD)
    assert user.password.startswith("pbkdf2_sha256$")
    client = Client(enforce_csrf_checks=True)

    assert client.get("/me").status_code == 302
    token = client.get("/login").json()["csrfToken"]
    headers = {"X-CSRFToken": token}
    assert (
        client.post("/login", {"username": "ada", "password": "wrong"}, headers=headers).status_code
        == 401
    )
    anonymous_session = client.cookies.get("sessionid")

    resp = client.post("/login", {"username": "ada", "password": PASSWORD}, headers=headers)
    assert resp.status_code == 200
    assert resp.json() == {"username": "ada"}
    assert client.cookies["sessionid"] != anonymous_session
    # login() rotates the CSRF token too: use the new one from the cookie
    headers = {"X-CSRFToken": client.cookies["csrftoken"].value}
    assert client.get("/me").json() == {"username": "ada"}

    assert client.post("/logout", headers={"X-CSRFToken": "wrong" * 8}).status_code == 403
    assert client.post("/logout", headers=headers).status_code == 204
    resp = client.get("/me")
    assert resp.status_code == 302
    assert resp["Location"] == "/login?next=/me"


def _count_calls(
    monkeypatch: pytest.MonkeyPatch, owner: object, name: str, stored_at: int
) -> list[str]:
    """Replace ``owner.name`` (a password check) with a wrapper that records the stored hash
    each call compares against; ``stored_at`` is that argument's position."""
    seen: list[str] = []
    real = getattr(owner, name)

    def counted(*args: str) -> bool:
        seen.append(args[stored_at])
        return real(*args)

    monkeypatch.setattr(owner, name, counted)
    return seen


def test_flask_login_hashes_once_for_unknown_and_known_users(monkeypatch) -> None:
    """Same work for both, so response time does not reveal which usernames exist. Counting
    hash calls (not wall time) keeps the test exact on a busy machine."""
    client = flask_auth.app.test_client()
    name = _username()
    client.post("/register", json={"username": name, "password": PASSWORD})
    calls = _count_calls(monkeypatch, flask_auth, "check_password_hash", stored_at=0)
    for username in (name, _username()):
        resp = client.post("/login", data={"username": username, "password": "wrong-password"})
        assert resp.status_code == 401
    assert len(calls) == 2, "one hash check per login, known user or not"
    known, unknown = calls
    assert unknown == flask_auth.DUMMY_HASH
    # Same algorithm and cost parameters (scrypt:32768:8:1), so each check costs the same.
    assert known.split("$")[0] == unknown.split("$")[0]


def test_fastapi_login_hashes_once_for_unknown_and_known_users(monkeypatch) -> None:
    client = TestClient(fastapi_auth.app)
    name = _username()
    client.post("/register", json={"username": name, "password": PASSWORD})
    calls = _count_calls(monkeypatch, fastapi_auth.password_hash, "verify", stored_at=1)
    for username in (name, _username()):
        resp = client.post("/login", data={"username": username, "password": "wrong-password"})
        assert resp.status_code == 401
    assert len(calls) == 2, "one hash check per login, known user or not"
    known, unknown = calls
    assert unknown == fastapi_auth.DUMMY_HASH
    assert known.rsplit("$", 2)[0] == unknown.rsplit("$", 2)[0]  # $argon2id$v=19$m=..,t=..,p=..


def test_fastapi_422_does_not_echo_the_rejected_password() -> None:
    secret = "hunter2"  # seven characters: too short, so rejected
    resp = TestClient(fastapi_auth.app).post(
        "/register", json={"username": _username(), "password": secret}
    )
    assert resp.status_code == 422
    assert resp.json()["detail"][0]["loc"] == ["body", "password"]
    assert secret not in resp.text


def test_flask_session_cookie_is_secure_httponly_and_lax() -> None:
    client = flask_auth.app.test_client()
    name = _username()
    client.post("/register", json={"username": name, "password": PASSWORD})
    cookie = client.post("/login", data={"username": name, "password": PASSWORD})
    flags = {p.strip().lower() for p in cookie.headers["Set-Cookie"].split(";")}
    assert {"secure", "httponly", "samesite=lax"} <= flags


def test_flask_login_body_over_the_limit_gets_413() -> None:
    body = b"username=ada&password=" + b"x" * (flask_auth.app.config["MAX_CONTENT_LENGTH"] + 1)
    resp = flask_auth.app.test_client().post("/login", data=body, headers=FORM)
    assert resp.status_code == 413


@pytest.mark.django_db
def test_django_session_key_django_never_issued_never_reaches_the_database(settings) -> None:
    """A quoted cookie may spell a NUL as ``\\000``, which the cookie parser decodes; the stock
    store looked that key up, and PostgreSQL answers a NUL with an error (a 500 in the
    hostile run on PostgreSQL). ``django_sessions.py`` treats it as no session, unqueried."""
    settings.ROOT_URLCONF = "snippets.auth.django"
    DjangoUser.objects.create_user("ada", password=PASSWORD)
    client = Client()
    client.get("/login")
    assert client.post("/login", {"username": "ada", "password": PASSWORD}).status_code == 200
    key = client.cookies["sessionid"].value
    assert client.get("/me").status_code == 200  # the key Django issued still works

    for cookie in (f'sessionid="{key}\\000"', f"sessionid={key}x", f"sessionid={key.upper()}"):
        with CaptureQueriesContext(connection) as queries:
            response = Client().get("/me", HTTP_COOKIE=cookie)
        assert response.status_code == 302, cookie
        assert not [q for q in queries if "django_session" in q["sql"]], cookie


@pytest.mark.parametrize("user_id", ["²", str(2**63)])
def test_flask_session_naming_an_id_we_never_wrote_is_no_user(user_id: str) -> None:
    """A session signed with the real key but holding an odd id ("²" passes ``int()``, 2**63
    overflows SQLite) is no user: 401, not a 500."""
    client = flask_auth.app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = user_id
    assert client.get("/me").status_code == 401


def _form_token(client: Client, path: str) -> str:
    """The CSRF token of the form an allauth page renders."""
    page = client.get(path)
    assert page.status_code == 200, path
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert found, f"{path}: no CSRF token in the form"
    return found.group(1)


@pytest.mark.claim("django-ecosystem")
@pytest.mark.django_db
def test_django_allauth_signup_login_me_logout(settings) -> None:
    """django-allauth's own views: sign up, which logs in, then log out and in again; every
    form needs its CSRF token, the password is stored hashed and /me follows the session."""
    settings.ROOT_URLCONF = "snippets.auth.django"
    client = Client(enforce_csrf_checks=True)
    name = _username()
    form = {"username": name, "password1": PASSWORD, "password2": PASSWORD}

    # AccountMiddleware: the 404 of the bare prefix becomes a redirect to the log-in page
    resp = client.get("/accounts/")
    assert (resp.status_code, resp["Location"]) == (302, "/accounts/login/")
    assert client.post("/accounts/signup/", form).status_code == 403  # no CSRF token
    token = _form_token(client, "/accounts/signup/")
    resp = client.post("/accounts/signup/", {**form, "csrfmiddlewaretoken": token})
    assert (resp.status_code, resp["Location"]) == (302, "/me")
    stored = DjangoUser.objects.get(username=name)
    assert stored.password.startswith("pbkdf2_sha256$") and PASSWORD not in stored.password
    assert client.get("/me").json() == {"username": name}

    token = _form_token(client, "/accounts/logout/")
    assert client.post("/accounts/logout/", {"csrfmiddlewaretoken": token}).status_code == 302
    assert client.get("/me").status_code == 302

    token = _form_token(client, "/accounts/login/")
    wrong = {"login": name, "password": "not-the-password", "csrfmiddlewaretoken": token}
    assert client.post("/accounts/login/", wrong).status_code == 200  # the form again, with errors
    assert client.get("/me").status_code == 302
    right = {"login": name, "password": PASSWORD, "csrfmiddlewaretoken": token}
    resp = client.post("/accounts/login/", right)
    assert (resp.status_code, resp["Location"]) == (302, "/me")
    assert client.get("/me").json() == {"username": name}


@pytest.mark.django_db
def test_django_allauth_refuses_a_short_or_mismatched_password(settings) -> None:
    """allauth's sign-up form runs Django's password validators and compares the two fields."""
    settings.ROOT_URLCONF = "snippets.auth.django"
    client = Client(enforce_csrf_checks=True)
    token = _form_token(client, "/accounts/signup/")
    for password1, password2 in [("short", "short"), (PASSWORD, PASSWORD + "x")]:
        name = _username()
        form = {"username": name, "password1": password1, "password2": password2}
        resp = client.post("/accounts/signup/", {**form, "csrfmiddlewaretoken": token})
        assert resp.status_code == 200  # the form again, with its errors
        assert not DjangoUser.objects.filter(username=name).exists()


# --------------------------------------------------------------------------- login rate limit

LIMIT = 5  # failed logins a minute per client address and username, in all three snippets


def _fastapi_login(address: str):
    client = TestClient(fastapi_auth.app, client=(address, 5000))
    return lambda form: client.post("/login", data=form)


def _flask_login(address: str):
    client = flask_auth.app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return lambda form: client.post("/login", data=form)


def _django_login(address: str):
    client = Client(REMOTE_ADDR=address)  # CSRF checks off: the limit is under test here
    return lambda form: client.post("/login", form)


@pytest.mark.django_db
@pytest.mark.parametrize("framework", ["fastapi", "flask", "django"])
def test_failed_logins_are_limited_per_client_and_username(framework: str, settings) -> None:
    """auth.md, "Login rate limit": after LIMIT failures within a minute the client gets 429
    with Retry-After; another address, or another username, is not held back."""
    settings.ROOT_URLCONF = "snippets.auth.django"
    # The limit is under test, not the hash: Django's PBKDF2 (run for unknown users too) would
    # make the seven attempts take seconds each on a busy machine.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    login = {"fastapi": _fastapi_login, "flask": _flask_login, "django": _django_login}[framework]
    attacker, victim = _username(), _username()
    guess = {"username": victim, "password": "wrong-guess-1"}
    send = login("10.0.0.1")
    assert [send(guess).status_code for _ in range(LIMIT)] == [401] * LIMIT
    refused = send(guess)
    assert refused.status_code == 429
    assert json.loads(refused.content if framework != "flask" else refused.data) == {
        "detail": "Too many failed logins"
    }
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert send({"username": attacker, "password": "wrong-guess-1"}).status_code == 401
    assert login("10.0.0.2")(guess).status_code == 401


@pytest.mark.parametrize("framework", ["fastapi", "flask"])
def test_a_long_username_is_counted_under_a_short_key(framework: str) -> None:
    """Review: the counters lived a minute under the client's address and the username as
    sent, so each login with a name near the body limit (a megabyte) kept that much memory.
    The key is now a hash, as Django's is."""
    from snippets.auth import fastapi_limit

    login = {"fastapi": _fastapi_login, "flask": _flask_login}[framework]
    storage = {"fastapi": fastapi_limit.limiter.storage, "flask": flask_auth.limiter.storage}
    name = "a" * 200_000 + uuid.uuid4().hex
    assert login("10.0.0.7")({"username": name, "password": "x"}).status_code == 401
    keys = [*storage[framework].events, *storage[framework].storage]
    assert keys and max(len(key) for key in keys) < 200, max(len(key) for key in keys)


@pytest.mark.django_db
def test_django_limit_counts_every_spelling_of_a_username_together(settings) -> None:
    """Review: allauth's backend logs "Ada" in as "ada", and Django's form folds full-width
    letters (NFKC), so a count per spelling gave 5 guesses a minute per spelling: 160 for a
    five-letter name. Every spelling of one name now shares the count."""
    settings.ROOT_URLCONF = "snippets.auth.django"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    send = _django_login("10.0.0.4")
    name = _username()
    spellings = [name, name.upper(), name.capitalize(), name.swapcase().title(), name.upper()]
    assert [send({"username": s, "password": "x"}).status_code for s in spellings] == [401] * 5
    full_width = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in name)
    assert send({"username": full_width, "password": "x"}).status_code == 429
    # The form strips whitespace before it authenticates: padded names are the same user.
    for padded in (f" {name}", f"{name} ", f"\t{name}\n", f"\u3000{name}"):
        assert send({"username": padded, "password": "x"}).status_code == 429, repr(padded)


class _TakenWhileHashing:
    """A password hasher that, while it hashes, lets another sign-up take the same name: what
    two ``POST /register`` for one name at once do, in a fixed order."""

    def __init__(self, real, take) -> None:
        self.real, self.take = real, take

    def hash(self, password: str) -> str:
        self.take()
        return self.real.hash(password)


def test_two_sign_ups_for_one_name_at_once_get_409_not_500(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Review: both requests passed the "taken?" check, then the slow hash, then the second
    commit hit the unique constraint: IntegrityError, a 500. It is now the same 409."""
    name, body = _username(), {"password": PASSWORD}

    def take_fastapi() -> None:
        with fastapi_db.Session(fastapi_db.engine) as session:
            session.add(fastapi_db.User(username=name, password_hash="taken meanwhile"))
            session.commit()

    hasher = _TakenWhileHashing(fastapi_auth.password_hash, take_fastapi)
    monkeypatch.setattr(fastapi_auth, "password_hash", hasher)
    answer = TestClient(fastapi_auth.app).post("/register", json={"username": name, **body})
    assert (answer.status_code, answer.json()) == (409, {"detail": "Username already taken"})

    app = flask_auth.app
    name = _username()

    def take_flask(password: str) -> str:
        with app.app_context():
            flask_db.db.session.add(flask_db.User(username=name, password_hash="taken"))
            flask_db.db.session.commit()
        return "hashed"

    monkeypatch.setattr(flask_auth, "generate_password_hash", take_flask)
    answer = app.test_client().post("/register", json={"username": name, **body})
    assert (answer.status_code, answer.json) == (409, {"detail": "Username already taken"})


@pytest.mark.django_db
def test_two_allauth_sign_ups_for_one_name_at_once_get_409_not_500(
    settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Review: allauth's sign-up form checks the name is free, then hashes, then saves; the
    second of two sign-ups for one name broke the unique constraint (IntegrityError, a 500).
    The race in a fixed order: the name is taken, and the form's check does not see it (as
    when the other request saves after this one checked). The adapter answers 409."""
    settings.ROOT_URLCONF = "snippets.auth.django"
    name = _username()
    first = DjangoUser.objects.create_user(name, password=PASSWORD)
    monkeypatch.setattr(userkit, "filter_users_by_username", lambda *_: DjangoUser.objects.none())
    form = {"username": name, "password1": PASSWORD + "2", "password2": PASSWORD + "2"}
    resp = Client().post("/accounts/signup/", form)
    assert resp.status_code == 409, resp.content[:300]
    assert list(DjangoUser.objects.filter(username=name)) == [first]  # the transaction lives on
    assert DjangoUser.objects.get(username=name).check_password(PASSWORD)


@pytest.mark.django_db
def test_two_allauth_sign_ups_for_one_name_in_two_cases_at_once_both_succeed(
    settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the auth page says is left: allauth compares names ignoring case, the table's
    constraint does not, so the race between ``ada`` and ``ADA`` makes two accounts."""
    settings.ROOT_URLCONF = "snippets.auth.django"
    name = _username()
    DjangoUser.objects.create_user(name, password=PASSWORD)
    monkeypatch.setattr(userkit, "filter_users_by_username", lambda *_: DjangoUser.objects.none())
    form = {"username": name.upper(), "password1": PASSWORD, "password2": PASSWORD}
    assert Client().post("/accounts/signup/", form).status_code == 302
    assert DjangoUser.objects.filter(username__iexact=name).count() == 2


@pytest.mark.django_db
def test_allauth_adapter_lets_other_integrity_errors_through(
    settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only a taken name is a 409: another broken constraint (a custom user model's own) is
    a bug, and must reach the log as one instead of telling the reader the name is taken."""
    settings.ROOT_URLCONF = "snippets.auth.django"

    def broken_save(*_args, **_kwargs):
        raise IntegrityError("another constraint")

    monkeypatch.setattr(DefaultAccountAdapter, "save_user", broken_save)
    name = _username()
    form = {"username": name, "password1": PASSWORD, "password2": PASSWORD}
    with pytest.raises(IntegrityError, match="another constraint"):
        Client().post("/accounts/signup/", form)
    assert not DjangoUser.objects.filter(username=name).exists()


@pytest.mark.parametrize("framework", ["fastapi", "flask"])
@pytest.mark.parametrize("name", ["a\x00b", "ada lovelace", "ada\n", ""])
def test_a_username_outside_djangos_characters_is_refused(framework: str, name: str) -> None:
    """Review: a NUL in a username reached PostgreSQL, which refuses it (psycopg's DataError,
    a 500). Usernames now follow Django's rule: letters, digits and @.+-_ only."""
    body = {"username": name, "password": PASSWORD}
    if framework == "fastapi":
        answer = TestClient(fastapi_auth.app).post("/register", json=body)
    else:
        answer = flask_auth.app.test_client().post("/register", json=body)
    assert answer.status_code == 422


@pytest.mark.parametrize(
    ("name", "signs_up"),
    [("ada²", True), ("ada_1.x@y+z-w", True), ("Jose\u0301", False), ("a\u200db", False)],
)
def test_fastapi_signs_up_exactly_the_names_its_log_in_accepts(name: str, signs_up: bool) -> None:
    """Review: sign-up checked the name with Pydantic's pattern (Rust's regex, whose \\w admits
    combining marks and joiners) and log-in with Python's (which admits "²"): "Jose\u0301"
    signed up and could never log in. Both now use one Python pattern, as Flask and Django do."""
    client = TestClient(fastapi_auth.app)
    name = f"{name}{uuid.uuid4().hex[:6]}"
    answer = client.post("/register", json={"username": name, "password": PASSWORD})
    assert answer.status_code == (201 if signs_up else 422)
    login = client.post("/login", data={"username": name, "password": PASSWORD})
    assert login.status_code == (200 if signs_up else 401)


def test_a_login_name_no_account_can_have_is_never_looked_up(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Review: ``username=a%00b`` went to the database, and PostgreSQL refuses a NUL (a 500).
    A name outside the sign-up rule is now an unknown user, without a query (the password is
    still hashed, so it takes as long as any failed login)."""

    class NoQueries:
        def scalar(self, *args: object) -> None:
            raise AssertionError("a query for a name no account can have")

    assert fastapi_auth.authenticate_user(NoQueries(), "a\x00b", PASSWORD) is None
    monkeypatch.setattr(flask_db.db.session, "scalar", NoQueries().scalar)
    client = flask_auth.app.test_client()
    client.environ_base["REMOTE_ADDR"] = "10.0.2.1"
    answer = client.post("/login", data={"username": "a\x00b", "password": PASSWORD})
    assert answer.status_code == 401


class _SlowFailingForm:
    """Django's AuthenticationForm, failing after a slow hash (no database: threads)."""

    def __init__(self, request, data) -> None:
        pass

    def is_valid(self) -> bool:
        time.sleep(SLOW_HASH_S)
        return False


def _slow_failure(*args: object) -> None:
    time.sleep(SLOW_HASH_S)


SLOW_HASH_S = 0.3  # long enough that every parallel guess is in flight at once


@pytest.mark.parametrize("framework", ["fastapi", "flask", "django"])
def test_parallel_guesses_get_no_more_tries_than_the_limit(
    framework: str, settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """security review: counting a failure after the hash let every guess already in flight
    through (30 parallel guesses, 30 tries). Each attempt now takes its slot before the
    password is checked, so at most LIMIT of them reach the check."""
    settings.ROOT_URLCONF = "snippets.auth.django"
    if framework == "fastapi":
        monkeypatch.setattr(fastapi_auth, "authenticate_user", _slow_failure)
    elif framework == "flask":
        monkeypatch.setattr(flask_auth, "check_password_hash", lambda *a: _slow_failure())
    else:
        monkeypatch.setattr(django_auth, "AuthenticationForm", _SlowFailingForm)
    login = {"fastapi": _fastapi_login, "flask": _flask_login, "django": _django_login}[framework]
    address = f"10.0.1.{['fastapi', 'flask', 'django'].index(framework)}"
    guess = {"username": _username(), "password": "wrong-guess"}
    start = threading.Barrier(3 * LIMIT)

    def send(_: int) -> int:
        start.wait()
        return login(address)(guess).status_code

    with ThreadPoolExecutor(3 * LIMIT) as pool:
        answers = sorted(pool.map(send, range(3 * LIMIT)))
    assert answers == [401] * LIMIT + [429] * (2 * LIMIT)


@pytest.mark.django_db
def test_django_limit_survives_a_count_evicted_between_add_and_incr(
    settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If the count vanishes after ``cache.add`` (its window closed, or the cache evicted it),
    ``incr`` raises ValueError: the attempt starts a new count instead of becoming a 500."""
    from django.core.cache import cache

    from snippets.auth import django_limit

    settings.ROOT_URLCONF = "snippets.auth.django"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

    class EvictedOnce:
        """Django's cache, but the first incr finds its key gone."""

        evicted = False

        def __getattr__(self, name: str) -> object:
            return getattr(cache, name)

        def incr(self, key: str, delta: int = 1) -> int:
            if not self.evicted:
                self.evicted = True
                cache.delete(key)
            return cache.incr(key, delta)

    monkeypatch.setattr(django_limit, "cache", EvictedOnce())
    send = _django_login("10.0.0.9")
    guess = {"username": _username(), "password": "wrong-guess-1"}
    assert [send(guess).status_code for _ in range(LIMIT)] == [401] * LIMIT
    assert send(guess).status_code == 429  # the new count went on from 1


def test_fastapi_refuses_a_token_that_never_expires() -> None:
    """A token signed with the app's key for a real user, but with no ``exp``, is refused: the
    snippet requires the claim (PyJWT checks ``exp`` only when it is present)."""
    client = TestClient(fastapi_auth.app)
    name = _username()
    assert (
        client.post("/register", json={"username": name, "password": PASSWORD}).status_code == 201
    )
    forever = jwt.encode({"sub": name}, fastapi_auth.SECRET_KEY, algorithm="HS256")
    resp = client.get("/me", headers={"Authorization": f"Bearer {forever}"})
    assert resp.status_code == 401
    assert resp.json() == {"detail": "Could not validate credentials"}


@pytest.mark.django_db
def test_django_limit_counts_and_refuses_posts_only(settings) -> None:
    """The limiter wraps the whole login view, so it must let a GET (the login page and its
    CSRF token) through uncounted and unrefused, even for a client and empty username whose
    failed logins reached the limit (a GET's key has no username either)."""
    settings.ROOT_URLCONF = "snippets.auth.django"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    send = _django_login("10.0.0.3")
    nameless = {"username": "", "password": "wrong-guess-1"}
    assert [send(nameless).status_code for _ in range(LIMIT)] == [401] * LIMIT
    assert send(nameless).status_code == 429
    page = Client(REMOTE_ADDR="10.0.0.3").get("/login")
    assert page.status_code == 200
    assert "csrfToken" in json.loads(page.content)
