from flask import Flask

from snippets.configuration.secret_env import require_secret


def create_app() -> Flask:
    app = Flask(__name__)
    app.config.from_mapping(APP_NAME="Verified guide", NEW_CHECKOUT=False)
    # SHOP_NEW_CHECKOUT=true -> NEW_CHECKOUT = True: values are parsed as JSON when they can be.
    app.config.from_prefixed_env("SHOP")
    # Text that is not JSON stays text, and text is true: "False" or "off" would turn the
    # flag on. Only JSON true or false may start the app.
    if not isinstance(app.config["NEW_CHECKOUT"], bool):
        raise ValueError("SHOP_NEW_CHECKOUT must be true or false")
    # Set after from_prefixed_env, which reads SHOP_SECRET_KEY too and would turn a key that
    # parses as JSON ("null", all digits) into None or a number: the key stays the text.
    app.config["SECRET_KEY"] = require_secret("SHOP_SECRET_KEY")  # no default: none, no start

    @app.get("/info")
    def info():
        # Name what may be shown; never return app.config.
        config = app.config
        return {
            "app_name": config["APP_NAME"],
            "new_checkout": config["NEW_CHECKOUT"],
            "debug": app.debug,
        }

    @app.get("/checkout")
    def checkout():
        if not app.config["NEW_CHECKOUT"]:
            return {"detail": "Not enabled"}, 404
        return {"checkout": "new"}

    return app


app = create_app()
