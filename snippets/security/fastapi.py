import os

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.middleware.trustedhost import TrustedHostMiddleware
from fastapi.responses import HTMLResponse
from jinja2 import Environment
from starlette.exceptions import HTTPException
from starlette.responses import PlainTextResponse

ALLOWED_HOSTS = os.environ.get("GUIDE_ALLOWED_HOSTS", "localhost,127.0.0.1").split(",")
MAX_BODY_BYTES = 1024 * 1024


class BodySizeLimit:
    """413 for a request body over `max_bytes`, whether or not it declares a Content-Length:
    neither uvicorn nor Starlette limits bodies, so an endpoint would read any size."""

    def __init__(self, app, max_bytes: int = MAX_BODY_BYTES):
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = dict(scope["headers"]).get(b"content-length", b"0")
        if not declared.isdigit() or int(declared) > self.max_bytes:
            return await PlainTextResponse("Content Too Large", 413)(scope, receive, send)
        received = 0

        async def counted_receive():
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_bytes:  # a chunked body that keeps coming
                raise HTTPException(413, "Content Too Large")
            return message

        return await self.app(scope, counted_receive, send)


app = FastAPI()
app.add_middleware(
    CORSMiddleware,
    allow_origins=["https://app.example.com"],
    allow_methods=["GET", "POST"],
    allow_headers=["Authorization", "Content-Type"],
)
app.add_middleware(TrustedHostMiddleware, allowed_hosts=ALLOWED_HOSTS)  # other Hosts: 400
app.add_middleware(BodySizeLimit)

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'",
    # HTTPS only, for two years: browsers ignore it over plain HTTP, so it is safe to always send.
    "Strict-Transport-Security": "max-age=63072000; includeSubDomains",
}


@app.middleware("http")
async def security_headers(request, call_next):
    response = await call_next(request)
    response.headers.update(SECURITY_HEADERS)
    return response


# autoescape=True: Jinja's own default is off, which would let <script> through.
PAGE = Environment(autoescape=True).from_string("<h1>Hello {{ name }}</h1>")


@app.get("/hello", response_class=HTMLResponse)
async def hello(name: str = "world"):
    return PAGE.render(name=name)


@app.get("/api/data")
async def data():
    return {"data": [1, 2, 3]}
