import pydantic_core
from flask import Flask
from flask.json.provider import DefaultJSONProvider

# Flask reads a body of any size unless told: past this, 413 before anything is read.
MAX_JSON_BYTES = 1024 * 1024


class StrictJSONProvider(DefaultJSONProvider):
    def loads(self, s, **kwargs):
        # Unlike json.loads: no NaN or Infinity, no lone surrogates, about 200 levels deep at most
        # (json.loads raises RecursionError on deep nesting, which get_json does not catch).
        # Every failure is a ValueError, so request.get_json() answers 400 and
        # get_json(silent=True) returns None.
        return pydantic_core.from_json(s, allow_inf_nan=False)


def strict_json(app: Flask) -> Flask:
    """Strict JSON parsing, and a body limit unless the app set its own."""
    app.json = StrictJSONProvider(app)
    if app.config["MAX_CONTENT_LENGTH"] is None:
        app.config["MAX_CONTENT_LENGTH"] = MAX_JSON_BYTES
    return app
