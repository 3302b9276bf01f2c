"""The Flask demo app: every topic's Flask snippet, mounted at ``/<topic>``.

Each snippet is a complete Flask app; Werkzeug's ``DispatcherMiddleware`` routes
``/<topic>/...`` to it with the prefix moved into ``SCRIPT_NAME``, so ``url_for``
inside a snippet still builds correct URLs.

Run it: ``gunicorn demo_apps.flask_app.main:app``.
"""

from flask import Flask
from werkzeug.middleware.dispatcher import DispatcherMiddleware

from snippets.security.flask import ALLOWED_HOSTS
from verified_guide.topics import import_snippet, mounted_topics

app = Flask(__name__)
TOPICS = mounted_topics("flask")  # with any Flask variant, at /<topic>/<snippet>


def checking_hosts(flask_app: Flask) -> Flask:
    """The app, with the security topic's host check unless it has its own: each mounted app
    builds redirects and absolute URLs from the Host header, which a client can forge."""
    if flask_app.config["TRUSTED_HOSTS"] is None:
        flask_app.config["TRUSTED_HOSTS"] = ALLOWED_HOSTS
    return flask_app


checking_hosts(app)


@app.get("/")
def index():
    """List the mounted topics."""
    return {"topics": [t.mount for t in TOPICS]}


app.wsgi_app = DispatcherMiddleware(
    app.wsgi_app,
    {f"/{t.mount}": checking_hosts(import_snippet(t, "flask").app) for t in TOPICS},
)
