"""Every kind of data file refuses a misspelt key, naming the file, the key and the fix.

A typo in a data file used to be ignored: ``contain:`` instead of ``contains:`` in a case
dropped the check it meant. Each test below copies a real file, misspells one key the way a
contributor would, and loads it through the same function the site and the tests use.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from verified_guide import decision, published, topics
from verified_guide.claims import evidence, rules
from verified_guide.datafiles import ROOT
from verified_guide.live import build_bundle, support


def _misspell(source: Path, target: Path, old: str, new: str) -> None:
    text = source.read_text(encoding="utf-8")
    assert old in text, f"{source} no longer contains {old!r}: update this test"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text.replace(old, new, 1), encoding="utf-8")


def _topic_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, slug: str) -> Path:
    shutil.copytree(topics.SNIPPETS / slug, tmp_path / slug)
    monkeypatch.setattr(topics, "SNIPPETS", tmp_path)
    return tmp_path / slug


def test_a_misspelt_check_in_a_case_names_file_line_key_and_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _topic_copy(tmp_path, monkeypatch, "hello")
    _misspell(
        ROOT / "snippets/hello/cases.yaml",
        folder / "cases.yaml",
        "contains: [CSRF",
        "contain: [CSRF",
    )
    with pytest.raises(topics.TopicError) as error:
        topics.load_topic("hello")
    message = str(error.value)
    assert f"{folder / 'cases.yaml'}:" in message
    assert re.search(
        r"cases\.yaml:\d+: cases\[2\] \(wrong method\)"
        r"\.overrides\.django\.contain: unknown key; did you mean `contains`\?",
        message,
    ), message


def test_a_wrong_type_in_a_case_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _topic_copy(tmp_path, monkeypatch, "hello")
    _misspell(
        ROOT / "snippets/hello/cases.yaml", folder / "cases.yaml", "status: 200", "status: ok"
    )
    with pytest.raises(
        topics.TopicError,
        match=r"response\.status: Input should be a valid "
        r"integer \(got 'ok'\)",
    ):
        topics.load_topic("hello")


def test_an_unknown_framework_in_an_override_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _topic_copy(tmp_path, monkeypatch, "hello")
    _misspell(
        ROOT / "snippets/hello/cases.yaml",
        folder / "cases.yaml",
        "django: {status: 403",
        "djnago: {status: 403",
    )
    with pytest.raises(topics.TopicError, match=r"overrides\.djnago.*Input should be 'fastapi'"):
        topics.load_topic("hello")


def test_a_misspelt_key_in_topic_yaml_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _topic_copy(tmp_path, monkeypatch, "auth")
    _misspell(ROOT / "snippets/auth/topic.yaml", folder / "topic.yaml", "extensions:", "extension:")
    with pytest.raises(
        topics.TopicError,
        match=r"topic\.yaml:\d+: extension: unknown key; "
        r"did you mean `extensions`\?",
    ):
        topics.load_topic("auth")


def test_a_misspelt_key_in_the_free_table_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _topic_copy(tmp_path, monkeypatch, "hello")
    _misspell(
        ROOT / "snippets/hello/topic.yaml",
        folder / "topic.yaml",
        '    flask: "yes: return',
        '    falsk: "yes: return',
    )
    with pytest.raises(
        topics.TopicError,
        match=r"free\[0\]\.falsk: unknown key; did you mean "
        r"`flask`\?",
    ):
        topics.load_topic("hello")


@pytest.mark.parametrize(
    ("old", "new", "error"),
    [
        ("snippet: django_ninja", "snippet: django_nija", r"'django_nija' must be a file django_"),
        ("snippet: django_ninja", "snippet: fastapi", r"'fastapi' must be a file django_<name>"),
        ("- limit over the maximum", "- limit over the maximun", r"unknown cases.*maximun"),
        ("    answers_like:", "    answer_like:", r"answer_like: unknown key"),
    ],
    ids=["missing file", "not the framework's file", "unknown case", "misspelt key"],
)
def test_a_wrong_variant_in_topic_yaml_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, old: str, new: str, error: str
) -> None:
    folder = _topic_copy(tmp_path, monkeypatch, "rest_api")
    _misspell(ROOT / "snippets/rest_api/topic.yaml", folder / "topic.yaml", old, new)
    with pytest.raises(topics.TopicError, match=r"topic\.yaml:.*" + error):
        topics.load_topic("rest_api")


@pytest.mark.parametrize(
    ("old", "new", "error"),
    [
        ("  templates/: [fastapi, flask]", "  templates/: []", r"'templates/' must list"),
        ("  templates/: [fastapi, flask]", "  template/: [fastapi]", r"'template/' names no"),
        ("shared:\n  templates/: [fastapi, flask]", "", r"which frameworks use \['templates/"),
    ],
    ids=["no framework", "no such file", "undeclared file"],
)
def test_a_wrong_shared_entry_in_topic_yaml_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, old: str, new: str, error: str
) -> None:
    folder = _topic_copy(tmp_path, monkeypatch, "templates")
    _misspell(ROOT / "snippets/templates/topic.yaml", folder / "topic.yaml", old, new)
    with pytest.raises(topics.TopicError, match=r"topic\.yaml: .*" + error):
        topics.load_topic("templates")


def test_shared_files_count_towards_the_frameworks_that_use_them() -> None:
    """templates: FastAPI and Flask render the same Jinja templates; both counts include them,
    and Django's (which has its own) does not."""
    topic = topics.get_topic("templates")
    shared = set(topic.shared_files())
    assert shared and all(p.suffix == ".html" for p in shared)
    assert shared <= set(topic.counted_files("fastapi")) & set(topic.counted_files("flask"))
    assert not shared & set(topic.counted_files("django"))


def test_a_variant_and_its_frameworks_main_snippet_are_counted_apart() -> None:
    """rest_api: DRF (``django.py``) and Django Ninja (``django_ninja.py``) are two answers in
    one tab; each counts with the settings line they share, never with the other's file."""
    topic = topics.get_topic("rest_api")
    folder = topic.folder
    [ninja] = topic.variants()
    assert topic.counted_files("django") == [folder / "django.py", folder / "django_settings.py"]
    assert ninja.counted_files("django") == [
        folder / "django_ninja.py",
        folder / "django_settings.py",
    ]


def test_a_variant_stands_in_for_its_framework_with_its_own_answers() -> None:
    """Django Ninja's variant: its file, its mount, and FastAPI's 422 where it validates."""
    topic = topics.get_topic("rest_api")
    (ninja,) = topic.variants()
    assert ninja.snippet_path("django").name == "django_ninja.py"
    assert (ninja.mount, ninja.frameworks()) == ("rest_api/django_ninja", ("django",))
    statuses = {c.name: c.expected("django")["status"] for c in ninja.cases}
    assert statuses["invalid book is rejected"] == 422  # DRF's answer is 400
    assert {c.name: c.expected("django")["status"] for c in topic.cases}[
        "invalid book is rejected"
    ] == 400
    assert topics.mounted_topics("django")[0] == ninja  # before /rest_api/, which would shadow it


def test_a_misspelt_rule_input_in_claims_yaml_is_named(tmp_path: Path) -> None:
    path = tmp_path / "claims.yaml"
    _misspell(rules.CLAIMS_FILE, path, "    max_lines: 10", "    max_line: 10")
    with pytest.raises(evidence.ClaimError) as error:
        rules.load_claims(path)
    message = str(error.value)
    assert re.search(
        r"claims\.yaml:\d+: claims\[\d+\] \(flask-single-file\)\.max_line: "
        r"unknown key; did you mean `max_lines`\?",
        message,
    ), message
    assert "max_lines: missing key" in message


def test_an_unknown_rule_in_claims_yaml_is_named(tmp_path: Path) -> None:
    path = tmp_path / "claims.yaml"
    _misspell(rules.CLAIMS_FILE, path, "rule: snippet_lines", "rule: snippet_line")
    with pytest.raises(
        evidence.ClaimError,
        match=r"\(flask-single-file\)\.rule: unknown value "
        r"'snippet_line'; did you mean `snippet_lines`\?",
    ):
        rules.load_claims(path)


def test_a_misspelt_key_in_decision_yaml_is_named(tmp_path: Path) -> None:
    path = tmp_path / "decision.yaml"
    _misspell(decision.RULES_FILE, path, "      effects:", "      effect:")
    with pytest.raises(
        decision.RulesError,
        match=r"decision\.yaml: question 'building', option 1: "
        r"unknown key 'effect'; did you mean 'effects'\?",
    ):
        decision.load_rules(path)


def test_a_misspelt_key_in_live_unsupported_yaml_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "live_unsupported.yaml"
    _misspell(support.UNSUPPORTED_FILE, path, "reason:", "reasons:")
    monkeypatch.setattr(support, "UNSUPPORTED_FILE", path)
    support.unsupported.cache_clear()
    try:
        with pytest.raises(
            support.UnsupportedError,
            match=r"live_unsupported\.yaml:\d+: "
            r"unsupported\[0\]\.reasons: unknown key; did you mean `reason`\?",
        ):
            support.unsupported()
    finally:
        support.unsupported.cache_clear()


def test_a_misspelt_key_in_bundle_yaml_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _misspell(build_bundle.HERE / "bundle.yaml", tmp_path / "bundle.yaml", "exclude:", "exlude:")
    monkeypatch.setattr(build_bundle, "HERE", tmp_path)
    with pytest.raises(
        build_bundle.BundleConfigError,
        match=r"bundle\.yaml:\d+: exlude: unknown "
        r"key; did you mean `exclude`\?",
    ):
        build_bundle.load_config()


def test_the_benchmark_cases_are_checked_like_any_topic(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _topic_copy(tmp_path, monkeypatch, "bench")
    _misspell(
        ROOT / "snippets/bench/cases.yaml", folder / "cases.yaml", "content_type:", "content-type:"
    )
    with pytest.raises(
        topics.TopicError,
        match=r"content-type: unknown key; did you mean "
        r"`content_type`\?",
    ):
        topics.load_topic("bench")


def test_every_data_file_in_the_repository_loads() -> None:
    """The real files pass their schemas (the build reads them the same way)."""
    topics.all_topics.cache_clear()
    assert topics.all_topics()
    assert rules.load_claims()
    assert decision.load_rules()
    assert build_bundle.load_config()["pyodide"]
    support.unsupported.cache_clear()
    assert support.unsupported()


def test_a_misspelt_key_in_published_yaml_is_named(tmp_path: Path) -> None:
    path = tmp_path / "published.yaml"
    _misspell(published.PUBLISHED_FILE, path, "share_percent:", "share_pct:")
    with pytest.raises(
        published.PublishedDataError,
        match=r"published\.yaml:\d+: sources\[0\] \(python-developers-survey-2024\)\.rankings"
        r"\[0\]\.share_pct: unknown key; did you mean `share_percent`\?",
    ):
        published.load_sources.__wrapped__(path)
