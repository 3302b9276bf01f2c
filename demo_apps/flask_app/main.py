"""The Flask demo app: every topic's Flask snippet, mounted at ``/<topic>``.

Each snippet is a complete Flask app; Werkzeug's ``DispatcherMiddleware`` routes
``/<topic>/...`` to it with the prefix moved into ``SCRIPT_NAME``, so ``url_for``
inside a snippet still builds correct URLs.

Run it: ``gunicorn demo_apps.flask_app.main:app``.
"""

from flask import Flask
from werkzeug.middleware.dispatcher import DispatcherMiddleware

from verified_guide.topics import import_snippet, mounted_topics

app = Flask(__name__)
TOPICS = mounted_topics("flask")  # with any Flask variant, at /<topic>/<snippet>


@app.get("/")
def index():
    """List the mounted topics."""
    return {"topics": [t.mount for t in TOPICS]}


app.wsgi_app = DispatcherMiddleware(
    app.wsgi_app,
    {f"/{t.mount}": import_snippet(t, "flask").app for t in TOPICS},
)
