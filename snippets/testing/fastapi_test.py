import pytest
from fastapi.testclient import TestClient

from .fastapi import Settings, app, get_settings

client = TestClient(app)


@pytest.fixture
def french():
    app.dependency_overrides[get_settings] = lambda: Settings(greeting="Bonjour")
    yield
    app.dependency_overrides.clear()


def test_default_greeting():
    response = client.get("/hello", params={"name": "Ada"})
    assert response.status_code == 200
    assert response.json() == {"message": "Hello, Ada!"}


def test_dependency_override(french):
    response = client.get("/hello", params={"name": "Ada"})
    assert response.json() == {"message": "Bonjour, Ada!"}


def test_long_name_is_rejected():
    response = client.get("/hello", params={"name": "x" * 21})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "name"]
