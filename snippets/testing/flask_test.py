import pytest

from .flask import create_app


@pytest.fixture
def app():
    return create_app({"TESTING": True})


@pytest.fixture
def client(app):
    return app.test_client()


def test_default_greeting(client):
    response = client.get("/hello", query_string={"name": "Ada"})
    assert response.status_code == 200
    assert response.json == {"message": "Hello, Ada!"}


def test_greeting_from_config():
    client = create_app({"TESTING": True, "GREETING": "Bonjour"}).test_client()
    response = client.get("/hello", query_string={"name": "Ada"})
    assert response.json == {"message": "Bonjour, Ada!"}


def test_long_name_is_rejected(client):
    response = client.get("/hello", query_string={"name": "x" * 21})
    assert response.status_code == 400
    assert response.json == {"detail": "name is too long"}
