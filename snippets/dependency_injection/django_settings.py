# This topic's line in the project's settings.py: the users' tokens are read when the settings
# load, at startup, so a missing one stops the server before it answers anything. The view
# module that uses them is imported on the first request: left to it, a missing token would
# fail then, as a 500 on every URL of the project.
from snippets.dependency_injection.tokens import TOKENS as USER_API_TOKENS  # noqa: F401
