import math

from fastapi import FastAPI
from sqladmin import Admin, ModelView
from sqladmin.authentication import AuthenticationBackend
from sqlalchemy import Select, false
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from wtforms import FloatField, Form, ValidationError

from snippets.auth.fastapi import SECRET_KEY, authenticate_user
from snippets.auth.fastapi_limit import forget_login_attempts, login_key, reserve_login_attempt
from snippets.database.fastapi_db import Item, User, engine
from snippets.security.fastapi_charset import TextCharsetsOnly


def item_id(text: str) -> int | None:
    """An item id from a URL: digits that fit PostgreSQL's integer, else None. SQLAdmin
    calls int() on it (ValueError: a 500) and psycopg refuses a NUL (DataError: a 500)."""
    # The length first: int() refuses more than 4,300 digits (a ValueError, so a 500).
    fits = text.isascii() and text.isdigit() and len(text) <= 10
    return int(text) if fits and int(text) < 2**31 else None


class ItemForm(Form):
    # SQLAdmin builds its form on every request: a validator listed in form_args would be
    # appended to again each time, so the check lives on the form class instead.
    def validate_name(self, field):
        if "\x00" in (field.data or ""):  # psycopg cannot send a NUL to PostgreSQL (a 500)
            raise ValidationError("Null characters are not allowed.")

    def validate_price(self, field):
        # FloatField takes "inf" and "nan": the API would then send its clients a price that
        # is no JSON number (FastAPI writes null for it).
        if field.data is not None and not math.isfinite(field.data):
            raise ValidationError("Enter a finite number.")


def admin_user_id(username: str, password: str) -> int | None:
    with Session(engine) as session:
        user = authenticate_user(session, username, password)
        return user.id if user is not None and user.is_admin else None


def is_admin(user_id: int) -> bool:
    with Session(engine) as session:
        user = session.get(User, user_id)
        return user is not None and user.is_admin


class AdminAuth(AuthenticationBackend):
    async def login(self, request: Request) -> bool:
        form = await request.form()
        username = str(form.get("username", ""))
        key = login_key(request, username)
        reserve_login_attempt(key)  # the auth topic's limit: 429 after 5 failures a minute
        user_id = await run_in_threadpool(admin_user_id, username, str(form.get("password", "")))
        if user_id is None:
            return False
        forget_login_attempts(key)
        request.session["user_id"] = user_id
        return True

    async def logout(self, request: Request) -> bool:
        request.session.clear()
        return True

    async def authenticate(self, request: Request) -> bool:
        # Every request re-reads the user: a deleted account or a revoked is_admin locks
        # the session out at once, not when the cookie expires.
        user_id = request.session.get("user_id")
        # SQLite ids are 64-bit: a bigger one is no user of ours (and would raise OverflowError).
        valid = isinstance(user_id, int) and 0 < user_id < 2**63
        return valid and await run_in_threadpool(is_admin, user_id)


class ItemAdmin(ModelView, model=Item):
    column_list = [Item.id, Item.name, Item.price]
    column_searchable_list = [Item.name]
    form_overrides = {"price": FloatField}  # no built-in converter for SQLAlchemy 2.1's Float
    form_base_class = ItemForm

    def search_query(self, stmt: Select, term: str) -> Select:
        if "\x00" in term:  # no name holds a NUL, and PostgreSQL could not be asked
            return stmt.where(false())
        return super().search_query(stmt, term)

    def _stmt_by_identifier(self, identifier: str) -> Select:
        # SQLAdmin's one query by id (details, edit, delete, downloads): a 404 for a bad one.
        if item_id(identifier) is None:
            raise HTTPException(status_code=404)
        return super()._stmt_by_identifier(identifier)


app = FastAPI(max_body_size=1024 * 1024)  # forms only: a bigger body gets 413 unread
app.add_middleware(TextCharsetsOnly)  # the security page: a form in UTF-7, say, gets 415
# The session cookie: signed with the auth topic's key, HTTPS only, not sent cross-site, 8 hours.
backend = AdminAuth(secret_key=SECRET_KEY, https_only=True, same_site="strict", max_age=8 * 3600)
admin = Admin(app, engine, base_url="/", authentication_backend=backend)
admin.add_view(ItemAdmin)
