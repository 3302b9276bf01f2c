import codecs

from python_multipart.multipart import parse_options_header
from starlette.datastructures import Headers
from starlette.responses import PlainTextResponse

# Codecs that decode some bytes to a lone surrogate (half of a UTF-16 pair: "+2AA-" in UTF-7
# is "\ud800"), which no password hash, database or UTF-8 response can encode.
SURROGATE_CODECS = {"utf-7", "unicode-escape", "raw-unicode-escape"}


def surrogate_charset(content_type: str) -> bool:
    # Starlette decodes a multipart body's field names, values and file names with the
    # charset its Content-Type names; it parses the header with this same function.
    charset = parse_options_header(content_type)[1].get(b"charset")
    if charset is None:
        return False
    try:
        return codecs.lookup(charset.decode("latin-1")).name in SURROGATE_CODECS
    except LookupError:
        return False  # no codec of that name: Starlette decodes as Latin-1
    except ValueError:
        return True  # a NUL in the name: Starlette would raise it, a 500


class TextCharsetsOnly:
    """ASGI middleware: 415 for such a charset, before the app reads the body."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and surrogate_charset(
            Headers(scope=scope).get("content-type", "")
        ):
            refusal = PlainTextResponse("Unsupported charset\n", status_code=415)
            await refusal(scope, receive, send)
            return
        await self.app(scope, receive, send)
