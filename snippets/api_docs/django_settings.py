# This topic's line in the project's settings.py: read at startup, so a missing token stops
# the server before it answers anything (a view reading os.environ would fail on first use).
from snippets.configuration.secret_env import require_secret

ITEMS_API_TOKEN = require_secret("ITEMS_API_TOKEN")
