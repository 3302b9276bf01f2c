from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import HTMLResponse
from jinja2 import Environment

app = FastAPI()
app.add_middleware(
    CORSMiddleware,
    allow_origins=["https://app.example.com"],
    allow_methods=["GET", "POST"],
    allow_headers=["Authorization", "Content-Type"],
)

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'",
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
