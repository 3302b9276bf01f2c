"""The FastAPI demo app: every topic's FastAPI snippet, mounted at ``/<topic>``.

Run it: ``uvicorn demo_apps.fastapi_app.main:app``.
"""

from fastapi import FastAPI

from scripts.topics import all_topics, import_snippet
from snippets.security.fastapi import BodySizeLimit

app = FastAPI(title="Verified guide: FastAPI demo")
# The security topic's body limit in front of every topic: uvicorn and granian have none.
app.add_middleware(BodySizeLimit)

for _topic in all_topics():
    if "fastapi" in _topic.frameworks():
        app.mount(f"/{_topic.slug}", import_snippet(_topic, "fastapi").app)


@app.get("/")
async def index() -> dict[str, list[str]]:
    """List the mounted topics, so a reader poking at the server sees what is there."""
    return {"topics": [t.slug for t in all_topics() if "fastapi" in t.frameworks()]}
