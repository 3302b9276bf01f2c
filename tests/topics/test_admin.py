"""Each admin, used like a person would: log in as an admin user, add an item through the admin's
own form (CSRF token included where the admin has one), then find it in the item list.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import uuid
from urllib.parse import quote

import pytest
from django.contrib.auth.models import User as DjangoUser
from django.test import Client
from fastapi.testclient import TestClient
from flask_admin.contrib.sqla import ModelView
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from snippets.admin import fastapi as fastapi_admin
from snippets.admin import flask as flask_admin
from snippets.auth.fastapi import password_hash
from snippets.database import fastapi_db, flask_db
from snippets.database.django_models import Item as DjangoItem
from verified_guide.topics import ROOT

PASSWORD = "correct-horse-battery"


def _unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def _hidden(html: str, name: str) -> str:
    match = re.search(rf'name="{name}"[^>]*value="([^"]+)"', html) or re.search(
        rf'value="([^"]+)"[^>]*name="{name}"', html
    )
    assert match, f"no hidden field {name!r} in the page"
    return match.group(1)


def _fastapi_user(is_admin: bool) -> str:
    username = _unique("fastapi-admin" if is_admin else "fastapi-user")
    with Session(fastapi_db.engine) as session:
        hashed = password_hash.hash(PASSWORD)
        session.add(fastapi_db.User(username=username, password_hash=hashed, is_admin=is_admin))
        session.commit()
    return username


def _sqladmin_client() -> TestClient:
    """Over HTTPS, as in production: the admin's session cookie is Secure, and a client on
    plain HTTP would (rightly) never send it back."""
    return TestClient(fastapi_admin.app, base_url="https://localhost", follow_redirects=False)


def _set_fastapi_admin(username: str, is_admin: bool) -> None:
    with Session(fastapi_db.engine) as session:
        user = session.scalar(select(fastapi_db.User).filter_by(username=username))
        user.is_admin = is_admin
        session.commit()


def test_sqladmin_login_add_item_then_list_it_then_logout() -> None:
    client = _sqladmin_client()
    login = client.post("/login", data={"username": _fastapi_user(True), "password": PASSWORD})
    assert login.status_code == 302
    assert client.get("/item/create").status_code == 200

    name = _unique("SQLAdmin lamp")
    created = client.post("/item/create", data={"name": name, "price": "12.5"})
    assert created.status_code == 302
    assert f">{name}<" in client.get("/item/list", params={"search": name}).text
    with Session(fastapi_db.engine) as session:
        item = session.scalar(select(fastapi_db.Item).where(fastapi_db.Item.name == name))
        assert item.price == 12.5
    for page in ("details", "edit"):  # by id: the pages a bad id gets a 404 from
        assert name in client.get(f"/item/{page}/{item.id}").text, page

    assert client.get("/logout").status_code == 302
    assert client.get("/item/list").status_code == 302


def test_sqladmin_refuses_a_user_who_is_not_admin() -> None:
    client = _sqladmin_client()
    login = client.post("/login", data={"username": _fastapi_user(False), "password": PASSWORD})
    assert login.status_code == 400
    assert client.get("/item/list").status_code == 302


def _flask_user(is_admin: bool) -> str:
    username = _unique("flask-admin" if is_admin else "flask-user")
    with flask_admin.app.app_context():
        flask_db.db.session.add(
            flask_db.User(
                username=username,
                password_hash=generate_password_hash(PASSWORD),
                is_admin=is_admin,
            )
        )
        flask_db.db.session.commit()
    return username


def test_flask_admin_login_add_item_with_csrf_token_then_list_it() -> None:
    client = flask_admin.app.test_client()
    login = client.post("/auth/login", data={"username": _flask_user(True), "password": PASSWORD})
    assert login.status_code == 200
    assert client.get("/").status_code == 200

    name = _unique("Flask lamp")
    without_token = client.post("/item/new/", data={"name": name, "price": "12.5"})
    assert without_token.status_code == 200  # the form again, with a CSRF error
    with flask_admin.app.app_context():
        assert (
            flask_db.db.session.scalar(flask_db.db.select(flask_db.Item).filter_by(name=name))
            is None
        )

    token = _hidden(client.get("/item/new/").get_data(as_text=True), "csrf_token")
    created = client.post("/item/new/", data={"csrf_token": token, "name": name, "price": "12.5"})
    assert created.status_code == 302
    listing = client.get("/item/", query_string={"search": name}).get_data(as_text=True)
    assert re.search(rf'<td class="col-name">\s*{re.escape(name)}\s*<', listing)
    with flask_admin.app.app_context():
        item = flask_db.db.session.scalar(flask_db.db.select(flask_db.Item).filter_by(name=name))
        assert item.price == 12.5


def test_flask_admin_refuses_a_logged_in_user_who_is_not_admin() -> None:
    client = flask_admin.app.test_client()
    client.post("/auth/login", data={"username": _flask_user(False), "password": PASSWORD})
    assert client.get("/auth/me").status_code == 200
    assert client.get("/item/").status_code == 403


@pytest.mark.claim("django-batteries")
@pytest.mark.django_db
def test_django_admin_login_add_item_then_list_it(settings) -> None:
    settings.ROOT_URLCONF = "snippets.admin.django"
    DjangoUser.objects.create_superuser("root", password=PASSWORD)
    client = Client(enforce_csrf_checks=True)

    assert client.get("/guide/item/")["Location"] == "/login/?next=/guide/item/"
    # The whole form, as a browser sends it: the CSRF token and the admin's own `next` field
    # (without it, Django falls back to the project's LOGIN_REDIRECT_URL).
    page = client.get("/login/").text
    token, after = _hidden(page, "csrfmiddlewaretoken"), _hidden(page, "next")
    form = {"username": "root", "password": PASSWORD, "csrfmiddlewaretoken": token, "next": after}
    resp = client.post("/login/", form)
    assert (resp.status_code, resp["Location"]) == (302, "/")

    token = _hidden(client.get("/guide/item/add/").text, "csrfmiddlewaretoken")
    form = {"name": "Django lamp", "price": "12.5", "csrfmiddlewaretoken": token}
    assert client.post("/guide/item/add/", form).status_code == 302
    assert DjangoItem.objects.get(name="Django lamp").price == 12.5
    assert "Django lamp" in client.get("/guide/item/").text


@pytest.mark.claim("django-batteries")
@pytest.mark.django_db
def test_django_admin_refuses_a_user_who_is_not_staff(settings) -> None:
    settings.ROOT_URLCONF = "snippets.admin.django"
    DjangoUser.objects.create_user("ada", password=PASSWORD)
    client = Client(enforce_csrf_checks=True)
    token = _hidden(client.get("/login/").text, "csrfmiddlewaretoken")
    form = {"username": "ada", "password": PASSWORD, "csrfmiddlewaretoken": token}
    refused = client.post("/login/", form)
    assert refused.status_code == 200
    assert "staff account" in refused.text


def test_sqladmin_session_cookie_is_secure_httponly_and_strict() -> None:
    client = _sqladmin_client()
    login = client.post("/login", data={"username": _fastapi_user(True), "password": PASSWORD})
    cookie = login.headers["set-cookie"].lower()
    assert {"secure", "httponly", "samesite=strict"} <= {p.strip() for p in cookie.split(";")}


def test_sqladmin_rechecks_admin_rights_on_every_request() -> None:
    """A session opened by an admin stops working the moment the rights are revoked."""
    client = _sqladmin_client()
    username = _fastapi_user(True)
    assert client.post("/login", data={"username": username, "password": PASSWORD}).is_redirect
    assert client.get("/item/list").status_code == 200
    _set_fastapi_admin(username, False)
    assert client.get("/item/list").status_code == 302
    created = client.post("/item/create", data={"name": _unique("Revoked"), "price": "1"})
    assert created.status_code == 302
    assert created.headers["location"].endswith("/login")
    _set_fastapi_admin(username, True)
    assert client.get("/item/list").status_code == 200


def test_flask_admin_rechecks_admin_rights_on_every_request() -> None:
    client = flask_admin.app.test_client()
    username = _flask_user(True)
    login = client.post("/auth/login", data={"username": username, "password": PASSWORD})
    cookie = login.headers["Set-Cookie"].lower()
    assert {"secure", "httponly", "samesite=lax"} <= {p.strip() for p in cookie.split(";")}
    assert client.get("/item/").status_code == 200
    with flask_admin.app.app_context():
        user = flask_db.db.session.scalar(
            flask_db.db.select(flask_db.User).filter_by(username=username)
        )
        user.is_admin = False
        flask_db.db.session.commit()
    assert client.get("/item/").status_code == 403


def test_flask_admin_limits_failed_logins_and_refuses_unreadable_json() -> None:
    """The admin app mounts the auth topic's blueprint: its login limit and strict JSON must
    hold here too (a Limiter not initialised for this app would limit nothing)."""
    client = flask_admin.app.test_client()
    username = _flask_user(True)
    answers = [
        client.post("/auth/login", data={"username": username, "password": "wrong"}).status_code
        for _ in range(6)
    ]
    assert answers == [401] * 5 + [429]
    deep = b"[" * 100_000 + b"]" * 100_000
    resp = client.post("/auth/register", data=deep, content_type="application/json")
    assert resp.status_code == 400


def test_sqladmin_limits_failed_logins() -> None:
    """SQLAdmin's log-in form takes the auth topic's limit: the sixth failure in a minute is
    refused before the password is checked, and a right password then is refused too."""
    client = _sqladmin_client()
    username = _fastapi_user(True)
    answers = [
        client.post("/login", data={"username": username, "password": "wrong"}).status_code
        for _ in range(6)
    ]
    assert answers == [400] * 5 + [429]  # SQLAdmin shows its form again with a 400
    right = client.post("/login", data={"username": username, "password": PASSWORD})
    assert right.status_code == 429


@pytest.mark.parametrize("admin", ["fastapi", "flask"])
def test_the_admins_refuse_a_body_over_their_limit_before_reading_it(admin: str) -> None:
    """Both admins read only forms: 1 MiB caps what a log-in or an edit may send (Django's
    admin has DATA_UPLOAD_MAX_MEMORY_SIZE by default)."""
    body = b"username=" + b"x" * (1024 * 1024)
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if admin == "fastapi":
        answer = _sqladmin_client().post("/login", content=body, headers=headers).status_code
    else:
        answer = flask_admin.app.test_client().post("/auth/login", data=body, headers=headers)
        answer = answer.status_code
    assert answer == 413


@pytest.mark.django_db
def test_django_admin_limits_failed_logins(settings) -> None:
    """Django's admin log-in takes the auth topic's limit too; a successful log-in clears it."""
    settings.ROOT_URLCONF = "snippets.admin.django"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    name = _unique("django-admin")
    DjangoUser.objects.create_user(name, password=PASSWORD, is_staff=True)
    client = Client(REMOTE_ADDR="10.0.2.1")
    wrong = {"username": name, "password": "wrong", "next": "/"}
    assert [client.post("/login/", wrong).status_code for _ in range(4)] == [200] * 4
    assert client.post("/login/", {**wrong, "password": PASSWORD}).status_code == 302
    client.post("/logout/")
    answers = [client.post("/login/", wrong).status_code for _ in range(6)]
    assert answers == [200] * 5 + [429]  # the success cleared the four failures before it


NUL_NAME = "lamp\x00"
#: Ids no item can have: a NUL (psycopg refuses it), not a number, more than PostgreSQL's integer.
BAD_IDS = ["1\x00", "abc", "99999999999"]


def test_sqladmin_refuses_a_nul_in_search_and_form() -> None:
    """psycopg cannot send a NUL in text to PostgreSQL (a DataError, so a 500): the search
    box finds nothing for one and the add form refuses it, on either database."""
    client = _sqladmin_client()
    login = client.post("/login", data={"username": _fastapi_user(True), "password": PASSWORD})
    assert login.status_code == 302
    assert client.get("/item/list", params={"search": NUL_NAME}).status_code == 200
    created = client.post("/item/create", data={"name": NUL_NAME, "price": "1"})
    assert created.status_code == 400, created.text[-500:]
    assert "Null characters are not allowed" in created.text


def test_sqladmin_form_keeps_its_validators_from_request_to_request() -> None:
    """Review: a validator given in ``form_args`` was appended to on every form SQLAdmin
    built (one per request), with the column's own: five requests, five copies of each
    message. The NUL check lives on the form class instead."""
    client = _sqladmin_client()
    client.post("/login", data={"username": _fastapi_user(True), "password": PASSWORD})
    for _ in range(3):
        assert client.get("/item/create").status_code == 200
    created = client.post("/item/create", data={"name": "x" * 101, "price": "1"})
    assert created.status_code == 400
    assert created.text.count("Field cannot be longer than 100 characters.") == 1


@pytest.mark.parametrize("bad", BAD_IDS)
def test_sqladmin_answers_404_for_an_id_no_item_can_have(bad: str) -> None:
    """Review: SQLAdmin calls int() on the id in the URL (ValueError, a 500) and would send a
    NUL or a too-big number to the database."""
    client = _sqladmin_client()
    client.post("/login", data={"username": _fastapi_user(True), "password": PASSWORD})
    for path in (f"/item/details/{quote(bad)}", f"/item/edit/{quote(bad)}"):
        assert client.get(path).status_code == 404, path
    assert client.delete("/item/delete", params={"pks": bad}).status_code == 404


def test_flask_admin_refuses_a_nul_in_search_and_form() -> None:
    client = flask_admin.app.test_client()
    client.post("/auth/login", data={"username": _flask_user(True), "password": PASSWORD})
    assert client.get("/item/", query_string={"search": NUL_NAME}).status_code == 200
    token = _hidden(client.get("/item/new/").get_data(as_text=True), "csrf_token")
    created = client.post("/item/new/", data={"csrf_token": token, "name": NUL_NAME, "price": "1"})
    assert created.status_code == 200  # the form again, with the field's error
    assert "Null characters are not allowed" in created.get_data(as_text=True)


def _flask_item(name: str) -> int:
    with flask_admin.app.app_context():
        item = flask_db.Item(name=name, price=1.0)
        flask_db.db.session.add(item)
        flask_db.db.session.commit()
        return item.id


def _flask_item_exists(item_id: int) -> bool:
    with flask_admin.app.app_context():
        return flask_db.db.session.get(flask_db.Item, item_id) is not None


def test_flask_admin_edit_delete_and_bulk_delete_take_only_real_ids() -> None:
    """Review: an id no item can have reached the database from the edit page, the delete
    button and the bulk delete (a 500 on PostgreSQL), and the bulk delete compared the
    integer key with text, which PostgreSQL refuses even for real ids."""
    client = flask_admin.app.test_client()
    client.post("/auth/login", data={"username": _flask_user(True), "password": PASSWORD})
    token = _hidden(client.get("/item/").get_data(as_text=True), "csrf_token")
    for bad in BAD_IDS:
        assert client.get("/item/edit/", query_string={"id": bad}).status_code == 302, bad
        gone = client.post("/item/delete/", data={"csrf_token": token, "id": bad})
        assert gone.status_code == 302, bad
    kept, deleted = _flask_item(_unique("kept")), _flask_item(_unique("deleted"))
    form = {"csrf_token": token, "action": "delete", "rowid": [str(deleted), *BAD_IDS]}
    assert client.post("/item/action/", data=form).status_code == 302
    assert not _flask_item_exists(deleted) and _flask_item_exists(kept)


#: Prices FloatField parses that no JSON number holds (float("1e309") is inf).
NOT_FINITE = ["inf", "-inf", "nan", "1e309"]


def test_flask_admin_lists_any_page_number() -> None:
    """Review: ``?page=`` times the page size is the list query's OFFSET, and one past 64 bits
    was a 500 (OverflowError from the driver); PostgreSQL also refuses a negative OFFSET."""
    client = flask_admin.app.test_client()
    client.post("/auth/login", data={"username": _flask_user(True), "password": PASSWORD})
    name = _unique("paged")
    _flask_item(name)
    for page in (str(2**63 - 1), str(10**20), str(-(2**63)), "-1"):
        listed = client.get("/item/", query_string={"page": page})
        assert listed.status_code == 200, page
    first = client.get("/item/", query_string={"page": "-1", "search": name})
    assert name in first.get_data(as_text=True)  # a negative page is the first
    # Flask-Admin's own get_list, without the snippet's bound: the offset reaches the database.
    view = next(v for v in flask_admin.admin._views if isinstance(v, flask_admin.ItemView))
    with (
        flask_admin.app.test_request_context("/item/"),
        pytest.raises(
            (OverflowError, DBAPIError)  # SQLite's driver; PostgreSQL: bigint out of range
        ),
    ):
        ModelView.get_list(view, 2**63 - 1, None, False, None, [])


def test_sqladmin_and_flask_admin_refuse_a_price_that_is_not_finite() -> None:
    """Review: WTForms' FloatField takes "inf" and "nan", and the database topic's API then
    answered with ``Infinity`` (Flask, which JavaScript's JSON.parse refuses) or ``null``
    (FastAPI)."""
    sqladmin = _sqladmin_client()
    sqladmin.post("/login", data={"username": _fastapi_user(True), "password": PASSWORD})
    client = flask_admin.app.test_client()
    client.post("/auth/login", data={"username": _flask_user(True), "password": PASSWORD})
    token = _hidden(client.get("/item/new/").get_data(as_text=True), "csrf_token")
    for price in NOT_FINITE:
        name = _unique("sqladmin-price")
        created = sqladmin.post("/item/create", data={"name": name, "price": price})
        assert created.status_code == 400 and "Enter a finite number." in created.text, price
        with Session(fastapi_db.engine) as session:
            assert session.scalar(select(fastapi_db.Item).filter_by(name=name)) is None

        name = _unique("flask-price")
        form = {"csrf_token": token, "name": name, "price": price}
        created = client.post("/item/new/", data=form)
        assert created.status_code == 200, price  # the form again, with the field's error
        assert "Enter a finite number." in created.get_data(as_text=True), price
        with flask_admin.app.app_context():
            stored = flask_db.db.session.scalar(select(flask_db.Item).filter_by(name=name))
            assert stored is None, price


@pytest.mark.django_db
def test_django_admin_refuses_a_nul_in_search_form_and_filters(settings) -> None:
    """Django's form fields refuse a NUL and its search drops one; a filter in the list's URL
    (``?name=``) took one to the database, a 500 on PostgreSQL, and is now a 400."""
    settings.ROOT_URLCONF = "snippets.admin.django"
    DjangoUser.objects.create_superuser(_unique("root"), password=PASSWORD)
    client = Client()
    client.force_login(DjangoUser.objects.get(is_superuser=True))
    assert client.get("/guide/item/", {"q": NUL_NAME}).status_code == 200
    assert client.get("/guide/item/", {"name": NUL_NAME}).status_code == 400
    assert client.get("/guide/item/", {"name": "lamp"}).status_code == 200
    for bad in BAD_IDS:
        assert client.get("/guide/item/", {"id": bad}).status_code < 500, bad
        assert client.get(f"/guide/item/{quote(bad)}/change/").status_code < 500, bad
    resp = client.post("/guide/item/add/", {"name": NUL_NAME, "price": "1"})
    assert resp.status_code == 200 and "Null characters are not allowed" in resp.text
    for price in NOT_FINITE:  # Django's FloatField refuses them itself
        resp = client.post("/guide/item/add/", {"name": "lamp", "price": price})
        assert resp.status_code == 200 and "Enter a number." in resp.text, price
    assert not DjangoItem.objects.filter(name="lamp").exists()


def test_admins_on_postgresql(postgres) -> None:
    """This module again, with the snippets and Django's settings pointed at PostgreSQL
    (``GUIDE_DATABASE_URL``): a NUL, an id out of range and Flask-Admin's bulk delete each
    gave a 500 there and not on SQLite."""
    url = postgres.create_database("admin_tests")
    result = subprocess.run(
        [
            sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-x",
            __file__, "-k", "not on_postgresql",
        ],
        cwd=ROOT, env={**os.environ, "GUIDE_DATABASE_URL": url},
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and "skipped" not in result.stdout, result.stdout[-2000:]


@pytest.mark.parametrize("snippet", [fastapi_admin, flask_admin], ids=["fastapi", "flask"])
def test_item_id_refuses_what_no_integer_column_holds(snippet) -> None:
    """Review: a 5,000-digit id reached int(), which refuses more than 4,300 digits (a
    ValueError: SQLAdmin's detail, edit and delete pages and Flask-Admin's edit page were 500s
    for a signed-in admin)."""
    too_many_digits = "9" * (sys.get_int_max_str_digits() + 700)
    refused = [too_many_digits, str(2**31), "1e3", "-1", "²", "1\x00", ""]
    assert [snippet.item_id(text) for text in refused] == [None] * len(refused)
    assert [snippet.item_id(text) for text in ("0", "7", str(2**31 - 1))] == [0, 7, 2**31 - 1]
