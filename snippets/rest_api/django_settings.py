# This topic's line in the project's settings.py: read at startup, so a missing token stops the
# server before it answers anything. A view module is imported on the first request, so a token
# read there would fail then, as a 500 on every URL of the project.
from snippets.configuration.secret_env import require_secret

BOOKS_API_TOKEN = require_secret("BOOKS_API_TOKEN")
