from flask import Flask, render_template_string, request
from flask_cors import CORS
from flask_wtf.csrf import CSRFProtect

app = Flask(__name__)
app.config["SECRET_KEY"] = "dev-only-insecure"  # from the environment in production
CSRFProtect(app)  # every POST, PUT, PATCH, DELETE needs the token
CORS(app, origins=["https://app.example.com"])

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'",
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
