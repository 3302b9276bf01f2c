import itertools

from django.core.cache import cache
from django.http import JsonResponse
from django.urls import path
from django.views.decorators.cache import cache_control, cache_page
from django.views.decorators.http import condition, require_GET

RATES = {"EUR": 1.08, "GBP": 1.27, "JPY": 0.0067}  # stands for a slow rates service
ARTICLES = {1: {"id": 1, "title": "Caching in three frameworks", "revision": 3}}
RENDERS = itertools.count(1)  # how often the report view really ran


def fetch_rate(code: str) -> float:
    return RATES[code]  # imagine a network call here


# Per view: the whole response is stored for 60 s, keyed by the full URL, in the "pages"
# cache (django_settings.py says why). cache_page also sets Cache-Control and Expires.
@require_GET
@cache_page(60, cache="pages")
def report(request):
    return JsonResponse({"report": "daily", "renders": next(RENDERS)})


# Low level: cache-aside with django.core.cache. Check the input before it becomes a key,
# so unknown codes never fill the cache.
@require_GET
def rate(request, code: str):
    if code not in RATES:
        return JsonResponse({"detail": "Unknown currency"}, status=404)
    key = f"rate:{code}"
    value = cache.get(key)
    cached = value is not None
    if not cached:
        value = fetch_rate(code)
        cache.set(key, value, timeout=300)
    return JsonResponse({"code": code, "rate": value, "cached": cached})


# Conditional GET: the ETag comes from the revision, so a match answers 304 before the view
# body runs. Django quotes the value and compares the way RFC 9110 says (weak, for GET).
def article_etag(request, article_id: int) -> str | None:
    article = ARTICLES.get(article_id)
    return f"article-{article_id}-r{article['revision']}" if article else None


@require_GET
@cache_control(no_cache=True)  # browsers may keep it, but must revalidate every time
@condition(etag_func=article_etag)
def article(request, article_id: int):
    if article_id not in ARTICLES:
        return JsonResponse({"detail": "Article not found"}, status=404)
    return JsonResponse(ARTICLES[article_id])


urlpatterns = [
    path("report", report),
    path("rates/<str:code>", rate),
    path("articles/<int:article_id>", article),
]
