import math

from flask import Flask
from flask_admin import Admin, AdminIndexView
from flask_admin.actions import action
from flask_admin.contrib.sqla import ModelView
from flask_admin.form import SecureForm
from flask_login import current_user
from wtforms import FloatField
from wtforms.validators import Regexp, ValidationError

from snippets.auth.flask import auth, limiter, login_manager
from snippets.configuration.secret_env import require_secret
from snippets.database.flask_db import Item, db, init_db
from snippets.validation.flask_strict import strict_json

# psycopg cannot send a NUL character in text to PostgreSQL (a DataError, so a 500): the form
# refuses one, as the database topic's API does, and so no name can hold one.
NO_NUL = Regexp(r"^[^\x00]*$", message="Null characters are not allowed.")
#: The rows an integer id column (PostgreSQL's integer) can number: no page starts past them.
MOST_ROWS = 2**31


def finite(form, field):
    # FloatField takes "inf" and "nan". The API would then send its clients a price no JSON
    # can hold (Flask writes Infinity and NaN, which JavaScript's JSON.parse refuses).
    if field.data is not None and not math.isfinite(field.data):
        raise ValidationError("Enter a finite number.")


def item_id(text: str) -> int | None:
    """An item id from a URL or a form: digits that fit PostgreSQL's integer, else None
    (psycopg refuses a NUL, PostgreSQL a number too big or not a number: each a 500)."""
    # The length first: int() refuses more than 4,300 digits (a ValueError, so a 500).
    fits = text.isascii() and text.isdigit() and len(text) <= 10
    return int(text) if fits and int(text) < 2**31 else None


class AdminOnly:
    def is_accessible(self):  # anyone else gets 403
        # Asked on every request, of the user Flask-Login just loaded from the database:
        # revoking is_admin takes effect at once, even for a session already open.
        return current_user.is_authenticated and current_user.is_admin


class IndexView(AdminOnly, AdminIndexView):
    pass


class ItemView(AdminOnly, ModelView):
    form_base_class = SecureForm  # a CSRF token in every form
    column_list = ["id", "name", "price"]
    column_searchable_list = ["name"]
    form_overrides = {"price": FloatField}  # no built-in converter for SQLAlchemy 2.1's Float
    form_args = {"name": {"validators": [NO_NUL]}, "price": {"validators": [finite]}}

    def get_list(self, page, sort_column, sort_desc, search, filters, **kwargs):
        if search and "\x00" in search:  # no name holds a NUL, and PostgreSQL could not be asked
            return 0, []
        # ?page= times the page size is the query's OFFSET: PostgreSQL refuses a negative one,
        # the database driver one past 64 bits (each a 500). Past the last row, a page is empty.
        page_size = kwargs.get("page_size") or self.page_size
        if page_size:  # 0 is "no pages": no OFFSET at all
            page = min(max(page or 0, 0), MOST_ROWS // page_size)
        return super().get_list(page, sort_column, sort_desc, search, filters, **kwargs)

    def get_one(self, id):  # edit and delete: "Record does not exist." for a bad id
        return None if item_id(id) is None else super().get_one(id)

    @action("delete", "Delete", "Are you sure you want to delete selected records?")
    def action_delete(self, ids):
        # Flask-Admin compares the integer key with the ids as text, which PostgreSQL refuses
        # (integer = character varying): hand it numbers, and only ids that can exist.
        return super().action_delete([n for n in map(item_id, ids) if n is not None])


app = strict_json(Flask(__name__))  # the auth blueprint reads JSON: see the validation page
app.config.update(
    SECRET_KEY=require_secret("GUIDE_SECRET_KEY"),
    SESSION_COOKIE_SECURE=True,  # as in the auth topic: HTTPS only, not sent cross-site
    SESSION_COOKIE_SAMESITE="Lax",
    MAX_CONTENT_LENGTH=1024 * 1024,
)
init_db(app)
login_manager.init_app(app)
limiter.init_app(app)  # the auth topic's limit on failed logins, for this app too
app.register_blueprint(auth, url_prefix="/auth")  # the auth topic's /auth/login
admin = Admin(app, name="Guide admin", url="/", index_view=IndexView(url="/"))
admin.add_view(ItemView(Item, db))
