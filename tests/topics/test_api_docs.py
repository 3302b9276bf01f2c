"""What the api_docs cases cannot express: the schema's content in detail, and that it follows code.

The page claims FastAPI generates its docs from the code, with request and response
schemas, error models and authentication requirements, and that they change when the
code does. These tests check each part of that claim, and that the three docs pages
load their JavaScript from a CDN (so nothing is missing when Django runs with DEBUG off).
"""

import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import create_model

from verified_guide.topics import get_topic, import_snippet

TOPIC = get_topic("api_docs")
ASSET = re.compile(r'(?:src|href)="([^"]+)"')


@pytest.fixture
def fastapi_schema() -> dict:
    return TestClient(import_snippet(TOPIC, "fastapi").app).get("/openapi.json").json()


@pytest.mark.claim("fastapi-auto-docs", "fastapi-api-default")
def test_fastapi_schema_has_the_422_error_model(fastapi_schema: dict) -> None:
    create = fastapi_schema["paths"]["/items"]["post"]
    ref = create["responses"]["422"]["content"]["application/json"]["schema"]["$ref"]
    assert ref == "#/components/schemas/HTTPValidationError"
    assert {"HTTPValidationError", "ValidationError"} <= set(
        fastapi_schema["components"]["schemas"]
    )


@pytest.mark.claim("fastapi-auto-docs")
def test_fastapi_schema_has_the_declared_404_model(fastapi_schema: dict) -> None:
    read = fastapi_schema["paths"]["/items/{item_id}"]["get"]
    ref = read["responses"]["404"]["content"]["application/json"]["schema"]["$ref"]
    assert ref == "#/components/schemas/Error"


@pytest.mark.claim("fastapi-auto-docs")
def test_fastapi_schema_marks_only_the_protected_endpoint(fastapi_schema: dict) -> None:
    assert fastapi_schema["components"]["securitySchemes"] == {
        "HTTPBearer": {"type": "http", "scheme": "bearer"}
    }
    assert fastapi_schema["paths"]["/items"]["post"]["security"] == [{"HTTPBearer": []}]
    assert "security" not in fastapi_schema["paths"]["/items/{item_id}"]["get"]


def _schema_of_app_with(model: type) -> dict:
    """A fresh app with one endpoint taking and returning ``model``: its OpenAPI schema."""
    app = FastAPI()

    @app.post("/items")
    async def create_item(item: model) -> model:  # type: ignore[valid-type]
        return item

    return TestClient(app).get("/openapi.json").json()


@pytest.mark.claim("fastapi-auto-docs")
def test_fastapi_schema_follows_a_changed_model() -> None:
    item = import_snippet(TOPIC, "fastapi").Item
    before = _schema_of_app_with(item)["components"]["schemas"]["Item"]
    changed = create_model("Item", __base__=item, description=(str | None, None))
    after = _schema_of_app_with(changed)["components"]["schemas"]["Item"]
    assert "description" not in before["properties"]
    assert after["properties"]["description"]["anyOf"] == [{"type": "string"}, {"type": "null"}]
    assert after["required"] == before["required"] == ["name", "price"]


def _docs_html(framework: str, path: str, settings) -> str:
    if framework == "fastapi":
        return TestClient(import_snippet(TOPIC, "fastapi").app).get(path).text
    if framework == "flask":
        return import_snippet(TOPIC, "flask").app.test_client().get(path).get_data(as_text=True)
    from django.test import Client

    settings.ROOT_URLCONF = TOPIC.module_name("django")
    import_snippet(TOPIC, "django")
    return Client().get(path).content.decode()


@pytest.mark.parametrize(
    ("framework", "path"),
    [("fastapi", "/docs"), ("fastapi", "/redoc"), ("django", "/docs"), ("flask", "/docs")],
)
def test_docs_pages_load_their_assets_from_a_cdn(framework: str, path: str, settings) -> None:
    """Nothing the page needs is a local static file, which DEBUG-off Django would not serve."""
    assert settings.DEBUG is False
    assets = ASSET.findall(_docs_html(framework, path, settings))
    assert assets
    assert all(url.startswith("https://") for url in assets), assets
