import os

from flask import Flask, render_template_string, request
from flask_cors import CORS
from flask_wtf.csrf import CSRFProtect

from snippets.configuration.secret_env import require_secret

ALLOWED_HOSTS = os.environ.get("GUIDE_ALLOWED_HOSTS", "localhost,127.0.0.1").split(",")

app = Flask(__name__)
app.config.update(
    SECRET_KEY=require_secret("GUIDE_SECRET_KEY"),  # signs the session and its CSRF token
    SESSION_COOKIE_SECURE=True,  # HTTPS only; HttpOnly is Flask's default
    SESSION_COOKIE_SAMESITE="Lax",
    MAX_CONTENT_LENGTH=1024 * 1024,  # 413 for bigger bodies
    TRUSTED_HOSTS=ALLOWED_HOSTS,  # any other Host header gets 400
)
CSRFProtect(app)  # every POST, PUT, PATCH, DELETE needs the token
CORS(app, origins=["https://app.example.com"])

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'",
    # HTTPS only, for two years: browsers ignore it over plain HTTP, so it is safe to always send.
    "Strict-Transport-Security": "max-age=63072000; includeSubDomains",
}

PAGE = """<h1>Hello {{ name }}</h1>
<form method="post" action="comment">
  <input type="hidden" name="csrf_token" value="{{ csrf_token() }}">
  <input name="text"><button>Send</button>
</form>"""


@app.after_request
def security_headers(response):
    response.headers.update(SECURITY_HEADERS)
    return response


@app.get("/hello")
def hello():
    # Flask autoescapes templates: {{ name }} cannot inject markup.
    return render_template_string(PAGE, name=request.args.get("name", "world"))


@app.post("/comment")
def comment():
    return {"received": request.form.get("text", "")}


@app.get("/api/data")
def data():
    return {"data": [1, 2, 3]}
