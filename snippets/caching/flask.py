import itertools

from flask import Flask, jsonify, request
from flask_caching import Cache

app = Flask(__name__)
# SimpleCache: a dict in this process (one copy per worker), bounded by CACHE_THRESHOLD.
# A deployment with several workers uses CACHE_TYPE "RedisCache" instead.
cache = Cache(
    app,
    config={"CACHE_TYPE": "SimpleCache", "CACHE_DEFAULT_TIMEOUT": 300, "CACHE_THRESHOLD": 1000},
)

RATES = {"EUR": 1.08, "GBP": 1.27, "JPY": 0.0067}  # stands for a slow rates service
ARTICLES = {1: {"id": 1, "title": "Caching in three frameworks", "revision": 3}}
RENDERS = itertools.count(1)  # how often the report view really ran


def fetch_rate(code: str) -> float:
    return RATES[code]  # imagine a network call here


# Per view: the response is stored for 60 s, keyed by the path (the query string is
# ignored unless query_string=True). Flask-Caching sets no header: that is ours.
@app.get("/report")
@cache.cached(timeout=60)
def report():
    response = jsonify(report="daily", renders=next(RENDERS))
    response.cache_control.max_age = 60
    return response


# Low level: cache-aside with cache.get / cache.set. Check the input before it becomes a
# key, so unknown codes never fill the cache.
@app.get("/rates/<code>")
def rate(code: str):
    if code not in RATES:
        return {"detail": "Unknown currency"}, 404
    key = f"rate:{code}"
    value = cache.get(key)
    cached = value is not None
    if not cached:
        value = fetch_rate(code)
        cache.set(key, value, timeout=300)
    return {"code": code, "rate": value, "cached": cached}


# Conditional GET: Werkzeug parses If-None-Match and make_conditional() turns a match
# (weak comparison, as RFC 9110 says for GET) into a 304 without a body.
@app.get("/articles/<int:article_id>")
def article(article_id: int):
    if article_id not in ARTICLES:
        return {"detail": "Article not found"}, 404
    article = ARTICLES[article_id]
    response = jsonify(article)
    response.set_etag(f"article-{article_id}-r{article['revision']}")
    response.cache_control.no_cache = True  # browsers may keep it, but must revalidate
    try:
        return response.make_conditional(request)
    except OverflowError:  # a year too large for a C int: Werkzeug's date parser raises
        # instead of ignoring the date, as RFC 9110 says; compare again without the dates.
        dates = ("HTTP_IF_MODIFIED_SINCE", "HTTP_IF_UNMODIFIED_SINCE")
        environ = {k: v for k, v in request.environ.items() if k not in dates}
        return response.make_conditional(environ)
