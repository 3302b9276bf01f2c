# Lines of the project's settings.py: read the environment once, at startup.
import os

from snippets.configuration.secret_env import require_secret

DEBUG = os.environ.get("GUIDE_DEBUG") == "1"  # off unless asked for
SECRET_KEY = require_secret("DJANGO_SECRET_KEY")  # no default: a missing key stops the server

APP_NAME = os.environ.get("SHOP_APP_NAME", "Verified guide")
NEW_CHECKOUT = os.environ.get("SHOP_NEW_CHECKOUT", "false").lower() in {"1", "true", "yes"}
