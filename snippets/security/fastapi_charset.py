import codecs

from python_multipart.multipart import parse_options_header
from starlette.datastructures import Headers
from starlette.responses import PlainTextResponse

# Codecs that decode some bytes to a lone surrogate (half of a UTF-16 pair: "+2AA-" in UTF-7
# is "\ud800", so is "ib9b" in Punycode), which no password hash, database or UTF-8 response
# can encode.
SURROGATE_CODECS = {"utf-7", "unicode-escape", "raw-unicode-escape", "punycode"}


def unusable_charset(content_type: str) -> bool:
    # Starlette decodes a multipart body's field names, values and file names with the
    # charset its Content-Type names (it parses the header with this same function), and
    # falls back to Latin-1 for an unknown codec or a UnicodeDecodeError only.
    charset = parse_options_header(content_type)[1].get(b"charset")
    if charset is None:
        return False
    name = charset.decode("latin-1")
    try:
        if codecs.lookup(name).name in SURROGATE_CODECS:
            return True
        b"0".decode(name, "replace")  # "undefined": a UnicodeError that Starlette lets out
    except LookupError:
        return False  # no codec of that name, or none for text ("hex"): Latin-1 instead
    except ValueError:  # a UnicodeError, or a NUL in the name: a 500 in Starlette
        return True
    return False


class TextCharsetsOnly:
    """ASGI middleware: 415 for such a charset, before the app reads the body."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and unusable_charset(
            Headers(scope=scope).get("content-type", "")
        ):
            refusal = PlainTextResponse("Unsupported charset\n", status_code=415)
            await refusal(scope, receive, send)
            return
        await self.app(scope, receive, send)
