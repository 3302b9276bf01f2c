import itertools
import re
from typing import Annotated

from cachetools import TTLCache, cached
from fastapi import FastAPI, Header, HTTPException, Response
from fastapi.responses import JSONResponse

app = FastAPI()
RATES = {"EUR": 1.08, "GBP": 1.27, "JPY": 0.0067}  # stands for a slow rates service
ARTICLES = {1: {"id": 1, "title": "Caching in three frameworks", "revision": 3}}
RENDERS = itertools.count(1)  # how often the report was really built

# cachetools' TTLCache: a dict in this process (one copy per worker), bounded by maxsize.
# Not thread-safe: the endpoints below are async, so one event loop thread touches it
# (in a plain def endpoint, pass lock=threading.Lock() to cached()).
rates: TTLCache[str, float] = TTLCache(maxsize=1000, ttl=300)


def fetch_rate(code: str) -> float:
    return RATES[code]  # imagine a network call here


# Per view: FastAPI has no response cache, so the work behind the view is memoized for
# 60 s and the Cache-Control header is set by hand.
@cached(TTLCache(maxsize=1, ttl=60))
def build_report() -> dict:
    return {"report": "daily", "renders": next(RENDERS)}


@app.get("/report")
async def report(response: Response):
    response.headers["Cache-Control"] = "max-age=60"
    return build_report()


# Low level: cache-aside on the TTLCache. Check the input before it becomes a key, so
# unknown codes never fill the cache.
@app.get("/rates/{code}")
async def rate(code: str):
    if code not in RATES:
        raise HTTPException(404, "Unknown currency")
    value = rates.get(code)
    cached = value is not None
    if value is None:
        value = rates[code] = fetch_rate(code)
    return {"code": code, "rate": value, "cached": cached}


# Conditional GET by hand: If-None-Match is a list of quoted tags, or "*". Tags that do not
# parse are ignored (never an error), and W/ is allowed: RFC 9110 compares weakly here.
ENTITY_TAG = re.compile(r'\s*(?:W/)?"([^"]*)"\s*')


def none_match(header: str | None, tag: str) -> bool:
    """True when an If-None-Match header names this representation."""
    if header is None:
        return False
    if header.strip() == "*":
        return True
    return any(
        (found := ENTITY_TAG.fullmatch(part)) and found.group(1) == tag
        for part in header.split(",")
    )


@app.get("/articles/{article_id}")
async def article(article_id: int, if_none_match: Annotated[str | None, Header()] = None):
    if article_id not in ARTICLES:
        raise HTTPException(404, "Article not found")
    article = ARTICLES[article_id]
    tag = f"article-{article_id}-r{article['revision']}"
    # no-cache: browsers may keep it, but must revalidate every time
    headers = {"ETag": f'"{tag}"', "Cache-Control": "no-cache"}
    if none_match(if_none_match, tag):
        return Response(status_code=304, headers=headers)
    return JSONResponse(article, headers=headers)
