import codecs

from asgiref.sync import iscoroutinefunction
from django.http import HttpResponse
from django.utils.decorators import sync_and_async_middleware
from django.utils.http import parse_header_parameters

REFUSAL = b"Unsupported charset\n"
# Codecs that decode some bytes to a lone surrogate (half of a UTF-16 pair: "+2AA-" in UTF-7
# is "\ud800", so is "ib9b" in Punycode), which no template, database or UTF-8 response can
# encode.
SURROGATE_CODECS = {"utf-7", "unicode-escape", "raw-unicode-escape", "punycode"}


def unusable_charset(content_type):
    # Django decodes with the charset that the request's Content-Type names, when Python has
    # a codec of that name. A codec that is no text encoding ("charset=hex", "rot13", "idna")
    # then raises LookupError or UnicodeError where Django decodes: a query string under
    # WSGI, multipart field names under both: "not text". A header Django cannot parse at all
    # (a NUL in an encoded charset*=, a huge value) raises ValueError while Django builds any
    # request, under WSGI and ASGI: "unparsable". A codec that decodes to lone surrogates
    # passes Django's decoding, then fails whatever encodes the text (a page showing a query
    # value, a password hash): "surrogates". None: Django can use it.
    try:
        charset = parse_header_parameters(content_type)[1].get("charset")
        if charset is None:
            return None
        if codecs.lookup(charset).name in SURROGATE_CODECS:
            return "surrogates"
    except LookupError:
        return None  # no codec of that name: Django ignores it and uses DEFAULT_CHARSET
    except ValueError:
        return "unparsable"
    try:
        b"0".decode(charset, "replace")
    except (LookupError, UnicodeError):
        return "not text"
    return None


@sync_and_async_middleware  # no thread hop under ASGI
def text_charsets_only(get_response):  # high in MIDDLEWARE: before CSRF reads a form
    def refused(request):
        if unusable_charset(request.META.get("CONTENT_TYPE", "")):
            return HttpResponse(REFUSAL, status=415, content_type="text/plain")
        return None

    if iscoroutinefunction(get_response):

        async def middleware(request):
            return refused(request) or await get_response(request)

        return middleware

    def middleware(request):
        return refused(request) or get_response(request)

    return middleware


def text_charsets_only_wsgi(application):
    # Under WSGI, Django trips on such a charset while it builds the request, before any
    # middleware runs: wsgi.py wraps the application in this same check.
    def checked(environ, start_response):
        if unusable_charset(environ.get("CONTENT_TYPE", "")):
            start_response("415 Unsupported Media Type", [("Content-Type", "text/plain")])
            return [REFUSAL]
        return application(environ, start_response)

    return checked


def unparsable_content_type_asgi(application):
    # Under ASGI, Django parses the Content-Type while it builds the request, before any
    # middleware, and a header it cannot parse raises there: asgi.py wraps the application.
    # The rest is left to the middleware, whose 415 gets the CORS and security headers.
    async def checked(scope, receive, send):
        if scope["type"] == "http":
            # Joined as Django joins them when a request repeats the header.
            named = [v.decode("latin-1") for k, v in scope["headers"] if k == b"content-type"]
            if unusable_charset(",".join(named)) == "unparsable":
                headers = [(b"content-type", b"text/plain")]
                await send({"type": "http.response.start", "status": 415, "headers": headers})
                await send({"type": "http.response.body", "body": REFUSAL})
                return
        await application(scope, receive, send)

    return checked
