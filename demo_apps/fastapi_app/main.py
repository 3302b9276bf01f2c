"""The FastAPI demo app: every topic's FastAPI snippet, mounted at ``/<topic>``.

Run it: ``uvicorn demo_apps.fastapi_app.main:app``.
"""

from fastapi import FastAPI
from fastapi.middleware.trustedhost import TrustedHostMiddleware

from snippets.security.fastapi import ALLOWED_HOSTS, MAX_BODY_BYTES
from verified_guide.topics import import_snippet, mounted_topics

# The security topic's body limit, in front of every mounted topic (FastAPI applies it before
# routing): uvicorn and granian set none.
app = FastAPI(title="Verified guide: FastAPI demo", max_body_size=MAX_BODY_BYTES)
# And its host check: a redirect or an absolute URL built from a forged Host header (a mounted
# app's trailing-slash redirect, the admin's script and form URLs) would point elsewhere.
app.add_middleware(TrustedHostMiddleware, allowed_hosts=ALLOWED_HOSTS)

TOPICS = mounted_topics("fastapi")  # with any FastAPI variant, at /<topic>/<snippet>
for _topic in TOPICS:
    app.mount(f"/{_topic.mount}", import_snippet(_topic, "fastapi").app)


@app.get("/")
async def index() -> dict[str, list[str]]:
    """List the mounted topics, so a reader poking at the server sees what is there."""
    return {"topics": [t.mount for t in TOPICS]}
