# Lines of the project's settings.py: read the environment once, at startup.
import os

APP_NAME = os.environ.get("SHOP_APP_NAME", "Verified guide")
NEW_CHECKOUT = os.environ.get("SHOP_NEW_CHECKOUT", "false").lower() in {"1", "true", "yes"}
