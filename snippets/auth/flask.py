import hashlib
import re

from flask import Blueprint, Flask, request
from flask_limiter import Limiter
from flask_login import LoginManager, current_user, login_required, login_user, logout_user
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from snippets.configuration.secret_env import require_secret
from snippets.database.flask_db import User, db, init_db
from snippets.validation.flask_strict import strict_json

login_manager = LoginManager()
auth = Blueprint("auth", __name__)
DUMMY_HASH = generate_password_hash("dummy password")  # same method and cost as real hashes
USERNAME = re.compile(r"[\w.@+-]{1,150}")


def client_and_username():
    # Failures are counted per client address and username. remote_addr is the proxy's address
    # behind a reverse proxy: see the security page (ProxyFix, and Redis for storage). Hashed:
    # a counter kept for a minute holds 64 characters, not a name of up to a megabyte.
    client = f"{request.remote_addr}:{request.form.get('username', '')}"
    return hashlib.sha256(client.encode()).hexdigest()


# In-memory counters are per process; production passes storage_uri="redis://...".
limiter = Limiter(client_and_username, storage_uri="memory://", headers_enabled=True)


@login_manager.user_loader
def load_user(user_id):
    try:
        return db.session.get(User, int(user_id))
    except (TypeError, ValueError, OverflowError):  # not an id we wrote ("²", 2**63): no user
        return None


@auth.post("/register")
def register():
    data = request.get_json(silent=True)
    if not isinstance(data, dict):  # also [] or "text": valid JSON, but not an object
        return {"detail": "Request body must be a JSON object"}, 400
    username, password = data.get("username"), data.get("password")
    # Django's rule for usernames: letters, digits and @.+-_ (no NUL, which PostgreSQL refuses)
    if not isinstance(username, str) or not USERNAME.fullmatch(username):
        return {"detail": "username: 1 to 150 letters, digits or @.+-_"}, 422
    if not isinstance(password, str) or len(password) < 8:
        return {"detail": "password: at least 8 characters"}, 422
    if db.session.scalar(db.select(User).filter_by(username=username)):
        return {"detail": "Username already taken"}, 409
    db.session.add(User(username=username, password_hash=generate_password_hash(password)))
    try:
        db.session.commit()
    except IntegrityError:  # taken while the password was hashed: two sign-ups at once
        db.session.rollback()
        return {"detail": "Username already taken"}, 409
    return {"username": username}, 201


@auth.post("/login")
# Every attempt counts, before the view runs: guesses sent in parallel each take a slot.
# (deduct_when, to count only failures, checks before the hash and counts after it, so
# every guess already in flight would be tried.)
@limiter.limit("5 per minute")
def login():
    # No CSRF token on this form: refuse at least what a browser marks as sent from another
    # site (Fetch Metadata), or that site could log a visitor into an account of its choosing.
    if request.headers.get("Sec-Fetch-Site", "same-origin") not in {"same-origin", "none"}:
        return {"detail": "Cross-site login refused"}, 403
    # A name no account can have is not looked up: PostgreSQL would refuse a NUL in it.
    name = request.form["username"]
    user = (
        db.session.scalar(db.select(User).filter_by(username=name))
        if USERNAME.fullmatch(name)
        else None
    )
    # Hash the password for unknown users too: the answer takes as long, so timing
    # does not tell which usernames exist.
    stored = user.password_hash if user is not None else DUMMY_HASH
    if not check_password_hash(stored, request.form["password"]) or user is None:
        return {"detail": "Incorrect username or password"}, 401
    login_user(user)
    return {"username": user.username}


@auth.errorhandler(429)
def too_many_failed_logins(error):
    return {"detail": "Too many failed logins"}, 429  # Flask-Limiter adds Retry-After


@auth.post("/logout")
def logout():
    logout_user()
    return "", 204


@auth.get("/me")
@login_required
def me():
    return {"username": current_user.username}


app = strict_json(Flask(__name__))  # see the validation page
app.config.update(
    SECRET_KEY=require_secret("GUIDE_SECRET_KEY"),  # no default: a missing key stops the app
    SESSION_COOKIE_SECURE=True,  # the session cookie travels over HTTPS only (HttpOnly: default)
    SESSION_COOKIE_SAMESITE="Lax",  # and is not sent with cross-site POSTs
    MAX_CONTENT_LENGTH=1024 * 1024,  # a bigger body gets 413 instead of filling memory
)
init_db(app)
login_manager.init_app(app)
limiter.init_app(app)  # the 6th failed login within a minute gets 429 with Retry-After
app.register_blueprint(auth)
