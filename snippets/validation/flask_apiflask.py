import json

from apiflask import APIFlask, abort
from flask import Request, request

MAX_JSON_BYTES = 1024 * 1024  # as strict_json's: APIFlask, like Flask, limits no body itself


class LenientAuthRequest(Request):
    @property
    def authorization(self):
        try:
            return super().authorization
        except ValueError:  # Werkzeug 3.1 raises on non-ASCII Basic credentials ("Basic é")
            return None  # unreadable credentials are no credentials: a 401, not a 500


def reject_unreadable_json():
    # APIFlask's parser (webargs) calls json.loads and turns only JSONDecodeError into a 400;
    # a body nested 100,000 deep (RecursionError) or a 5,000-digit number (ValueError) would
    # be a 500. Reading the body once here answers both with a 400.
    if request.is_json:
        try:
            json.loads(request.get_data(cache=True))
        except (ValueError, RecursionError):
            abort(400, "Request body is not valid JSON")


def hardened(app: APIFlask) -> APIFlask:
    """Unreadable credentials and JSON are a 4xx, and a body over the limit a 413 (read in
    full by reject_unreadable_json otherwise, before the view checks who is asking)."""
    app.request_class = LenientAuthRequest
    app.before_request(reject_unreadable_json)
    if app.config["MAX_CONTENT_LENGTH"] is None:
        app.config["MAX_CONTENT_LENGTH"] = MAX_JSON_BYTES
    return app
