"""What the templates cases cannot express: that the escaping case has teeth, and the pitfalls.

The page claims the three setups autoescape template variables, that ``|safe`` turns
escaping off, and that a bare ``jinja2.Environment`` does not escape at all. The cases
show the escaped output; these tests show the same case fails on unescaped output and
check the two pitfalls against the real engines.
"""

import jinja2
import pytest
from django.template import engines

from verified_guide.cases import Observed, mismatches
from verified_guide.topics import get_topic, import_snippet

TOPIC = get_topic("templates")
PAYLOAD = "<script>alert(1)</script>"


def _escaping_case():
    return TOPIC.case("escapes HTML in the name")


@pytest.mark.parametrize("framework", TOPIC.frameworks())
def test_escaping_case_fails_on_a_raw_tag(framework: str) -> None:
    """A page that echoed the name unescaped would fail the case, not pass it silently."""
    raw = f"<h1>Hello, {PAYLOAD}!</h1>".encode()
    problems = mismatches(_escaping_case().expected(framework), Observed(200, "text/html", raw))
    assert "body contains '<script>'" in problems


def test_jinja_templates_escape_and_safe_does_not() -> None:
    env = import_snippet(TOPIC, "fastapi").templates.env
    assert (
        env.from_string("{{ name }}").render(name=PAYLOAD)
        == "&lt;script&gt;alert(1)&lt;/script&gt;"
    )
    assert env.from_string("{{ name|safe }}").render(name=PAYLOAD) == PAYLOAD


def test_flask_escapes_html_templates() -> None:
    app = import_snippet(TOPIC, "flask").app
    with app.test_request_context():
        html = app.jinja_env.get_template("items.html").render(name=PAYLOAD, items=[])
    assert PAYLOAD not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # shown, escaped, not dropped
    assert "No items yet." in html


def test_django_templates_escape_and_safe_does_not() -> None:
    django_engine = engines["django"]
    assert "&lt;script&gt;" in django_engine.from_string("{{ name }}").render({"name": PAYLOAD})
    assert django_engine.from_string("{{ name|safe }}").render({"name": PAYLOAD}) == PAYLOAD


def test_bare_jinja_environment_does_not_escape() -> None:
    """The pitfall: Jinja2 on its own has autoescape off unless you turn it on."""
    assert jinja2.Environment().from_string("{{ name }}").render(name=PAYLOAD) == PAYLOAD


def test_django_finds_the_snippet_templates_through_settings() -> None:
    template = engines["django"].get_template("catalog/items.html")
    html = template.render({"name": "Ada", "items": []})
    assert "<h1>Hello, Ada!</h1>" in html
    assert "No items yet." in html
