"""Facts the pages state in prose, pinned to the behaviour of the tested versions.

Status codes and figures in sentences are rendered from the cases and results by macros
(``status`` in ``docs/plugins/main.py``, ``bench_figure`` in ``docs/plugins/bench_page.py``).
What a macro cannot render, a behaviour of a framework or server that a sentence describes, is
checked here: each test names the page it keeps honest, so a failure says which sentence to
rewrite.
"""

from __future__ import annotations

import ast
import asyncio
import importlib.util
import inspect
import json
import os
import re
import sys
import sysconfig
from http import HTTPStatus
from pathlib import Path
from unittest import mock
from urllib.parse import urlparse

import django
import pytest
import uvicorn
from django.conf import global_settings
from django.contrib.auth import authenticate
from django.test import Client
from fastapi import BackgroundTasks, FastAPI

from verified_guide.bench import results
from verified_guide.datafiles import ROOT

#: How the pages spell the small counts the tests below find in their sentences.
FRAMEWORKS = ("fastapi", "django", "flask")
NUMBER_WORDS = {2: "two", 3: "three", 4: "four", 5: "five", 8: "eight", 10: "ten"}

STARTPROJECT_SETTINGS = (
    Path(django.__file__).parent / "conf" / "project_template" / "project_name" / "settings.py-tpl"
)


def _startproject_middleware() -> list[str]:
    """The MIDDLEWARE list a new project's settings.py gets from ``startproject``."""
    tree = ast.parse(STARTPROJECT_SETTINGS.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "MIDDLEWARE":
            return ast.literal_eval(node.value)
    raise AssertionError(f"{STARTPROJECT_SETTINGS} has no MIDDLEWARE list")


# --------------------------------------------------------------------------- guide/auth.md


def test_auth_verdict_orders_the_line_counts_as_the_size_table_does() -> None:
    """auth.md's verdict: Flask takes fewer lines than Django, and FastAPI the most."""
    from verified_guide.topics import get_topic

    auth = get_topic("auth")
    lines = {fw: auth.lines_of_code(fw) for fw in auth.frameworks()}
    assert max(lines, key=lines.__getitem__) == "fastapi", lines
    assert lines["flask"] < lines["django"], lines
    text = " ".join((ROOT / "docs" / "guide" / "auth.md").read_text().split())
    assert "Flask-Login takes fewer lines" in text and "FastAPI's version is the longest" in text


@pytest.mark.django_db
def test_auth_django_hashes_the_password_for_an_unknown_user_too() -> None:
    """auth.md: Django's ModelBackend runs the hasher for an unknown username (timing)."""
    with mock.patch("django.contrib.auth.base_user.make_password") as make_password:
        assert authenticate(username="nobody-at-all", password="some-password") is None
    # Once per backend that looks users up: ModelBackend, and allauth's (a subclass of it).
    assert make_password.call_args_list
    assert all(c == mock.call("some-password") for c in make_password.call_args_list)


@pytest.mark.django_db
def test_auth_django_csrf_tokens_do_not_depend_on_the_secret_key(settings) -> None:
    """auth.md: the CSRF token is a random value checked against its cookie, not signed."""
    settings.ROOT_URLCONF = "snippets.auth.django"
    client = Client(enforce_csrf_checks=True)
    token = client.get("/login").json()["csrfToken"]
    settings.SECRET_KEY = "a-completely-different-secret-key-" + "x" * 30
    resp = client.post("/login", {"username": "x", "password": "y"}, headers={"X-CSRFToken": token})
    assert resp.status_code == 401  # the view ran: the CSRF check passed under the new key


def test_auth_argon2_and_bcrypt_each_need_a_package() -> None:
    """auth.md and the auth free table: Argon2 or bcrypt take a setting plus a package."""
    from django.contrib.auth.hashers import (
        Argon2PasswordHasher,
        BCryptSHA256PasswordHasher,
        PBKDF2PasswordHasher,
    )

    assert PBKDF2PasswordHasher.library is None  # the default needs nothing else
    assert Argon2PasswordHasher.library == "argon2"  # imported from argon2-cffi
    assert BCryptSHA256PasswordHasher.library == ("bcrypt", "bcrypt")
    assert "argon2" not in global_settings.PASSWORD_HASHERS[0].lower()


# --------------------------------------------------------------------------- security


def test_security_django_csp_is_opt_in() -> None:
    """security.md and its free table: a new Django 6 project sends no CSP."""
    assert "django.middleware.csp.ContentSecurityPolicyMiddleware" not in (
        _startproject_middleware()
    )
    assert not global_settings.SECURE_CSP and not global_settings.SECURE_CSP_REPORT_ONLY


def test_benchmark_methodology_names_the_demo_projects_middleware(settings) -> None:
    """benchmarks/methodology.md renders the demo's additions from ``config/middleware.py``
    (``demo_django_middleware``): they must be what the settings use, on top of
    ``startproject``'s seven, which the benchmark's own settings keep unchanged."""
    from demo_apps.django_app.config import middleware
    from verified_guide.bench import django_settings as bench_settings

    assert _startproject_middleware() == middleware.STARTPROJECT_MIDDLEWARE
    assert len(_startproject_middleware()) == 7
    assert settings.MIDDLEWARE == middleware.MIDDLEWARE
    extra = [m for m in settings.MIDDLEWARE if m not in _startproject_middleware()]
    assert sorted(extra) == sorted(middleware.ADDED_BY_TOPICS)
    assert _startproject_middleware() == bench_settings.MIDDLEWARE


# --------------------------------------------------------------------------- websockets


@pytest.mark.parametrize(
    ("origin", "allowed"),
    [
        ("http://127.0.0.1:8000", True),
        ("https://127.0.0.1:9999", True),  # another scheme and port: still the same host name
        ("ftp://localhost", True),
        ("http://evil.example", False),
    ],
)
def test_websockets_allowed_hosts_origin_validator_compares_host_names_only(
    origin: str, allowed: bool
) -> None:
    """websockets.md: AllowedHostsOriginValidator ignores scheme and port."""
    from channels.security.websocket import AllowedHostsOriginValidator

    validator = AllowedHostsOriginValidator(application=None)
    assert validator.valid_origin(urlparse(origin)) is allowed


# --------------------------------------------------------------------------- configuration


def test_configuration_flask_app_run_loads_the_env_file(tmp_path, monkeypatch) -> None:
    """The configuration free table: app.run() loads .env too, not only the flask command."""
    import flask

    (tmp_path / ".env").write_text("GUIDE_PROSE_FACT_CHECK=loaded\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GUIDE_PROSE_FACT_CHECK", raising=False)
    monkeypatch.delenv("FLASK_SKIP_DOTENV", raising=False)
    with mock.patch("werkzeug.serving.run_simple") as run_simple:
        flask.Flask(__name__).run(port=0)
    run_simple.assert_called_once()
    assert os.environ.get("GUIDE_PROSE_FACT_CHECK") == "loaded"


# --------------------------------------------------------------------------- background


def test_background_uvicorn_waits_for_tasks_on_a_graceful_stop() -> None:
    """background.md: a task still running at a graceful stop completes before exit."""
    finished: list[bool] = []
    app = FastAPI()

    async def follow_up() -> None:
        await asyncio.sleep(0.3)
        finished.append(True)

    @app.get("/")
    async def endpoint(tasks: BackgroundTasks) -> dict[str, str]:
        tasks.add_task(follow_up)
        return {"ok": "yes"}

    async def scenario() -> None:
        config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="error", lifespan="off")
        server = uvicorn.Server(config)
        serving = asyncio.create_task(server.serve())
        try:
            for _ in range(500):
                if server.started:
                    break
                await asyncio.sleep(0.01)
            port = server.servers[0].sockets[0].getsockname()[1]
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            await writer.drain()
            await asyncio.wait_for(reader.readuntil(b'{"ok":"yes"}'), timeout=10)
            assert not finished, "the response came before the task finished"
            server.should_exit = True  # what SIGTERM does
            await asyncio.wait_for(serving, timeout=10)
            writer.close()
        finally:
            server.should_exit = True
            await asyncio.wait_for(serving, timeout=10)
        assert finished == [True], "Uvicorn exited before the background task finished"

    asyncio.run(scenario())


# --------------------------------------------------------------------------- deployment


def test_deployment_fastapi_cli_is_not_installed() -> None:
    """deployment.md: `fastapi run` needs fastapi[standard], which this project does not use."""
    assert importlib.util.find_spec("fastapi_cli") is None


def test_deployment_the_tested_interpreter_is_the_standard_gil_build() -> None:
    """deployment.md: the servers run the standard build, one core per process at a time."""
    assert not sysconfig.get_config_var("Py_GIL_DISABLED")
    assert getattr(sys, "_is_gil_enabled", lambda: True)()


def test_deployment_django_async_views_also_run_under_wsgi(settings) -> None:
    """deployment.md: async views work under WSGI (each in a one-off loop); ASGI is for
    overlapping their waits."""
    from snippets.async_views import django as views

    settings.ROOT_URLCONF = "snippets.async_views.django"
    assert inspect.iscoroutinefunction(views.wait_for_io)
    resp = Client().get("/io?ms=0")  # Django's test client is a WSGI request handler
    assert resp.status_code == 200 and resp.json() == {"waited_ms": 0}


def test_methodology_def_endpoints_go_to_the_thread_pool_through_fastapi() -> None:
    """methodology.md: FastAPI (Starlette's run_in_threadpool) runs `def` endpoints in a
    thread pool, whatever the server."""
    from fastapi import FastAPI, routing
    from fastapi.testclient import TestClient

    app = FastAPI()

    @app.get("/")
    def sync_endpoint() -> dict[str, int]:
        return {"n": 1}

    with (
        mock.patch.object(routing, "run_in_threadpool", wraps=routing.run_in_threadpool) as pool,
        TestClient(app) as client,
    ):
        assert client.get("/").json() == {"n": 1}
    assert pool.call_count >= 1


def test_methodology_the_io_endpoint_gains_from_a_second_worker_only_below_its_ceiling() -> None:
    """methodology.md: FastAPI's async I/O endpoint came close to the ceiling the connections
    set (connections x wait) with one worker, so a second added nothing beyond the noise, while
    Django's async view, CPU-bound below it, gained from a second worker (intervals apart)."""
    path = results.latest()
    assert path is not None, "no benchmark result file"
    cells = {
        (c["config"], c["workers"]): c
        for c in results.load(path)["results"]
        if (c["endpoint"], c["concurrency"], c["database"]) == ("io", 64, "sqlite")
        and c["status"] == "ok"
    }
    from verified_guide.bench.config import FULL
    from verified_guide.topics import get_topic

    page = " ".join((ROOT / "docs" / "benchmarks" / "methodology.md").read_text().split())
    assert f"{FULL.concurrency} connections that each wait" in page
    assert f"bench_io_ceiling({FULL.concurrency})" in page
    case = get_topic("bench").case("simulated io")
    ceiling = FULL.concurrency * 1000 / case.expected("fastapi")["json"]["waited_ms"]
    fastapi_1, fastapi_2 = cells["fastapi-uvicorn", 1], cells["fastapi-uvicorn", 2]
    django_1, django_2 = cells["django-uvicorn", 1], cells["django-uvicorn", 2]
    rewrite = f"{path.relative_to(ROOT)}: rewrite the 'Small machine' item of methodology.md"
    assert fastapi_1["rps"] >= 0.8 * ceiling, rewrite
    assert fastapi_2["rps_ci95"][0] <= fastapi_1["rps_ci95"][1] * 1.05, rewrite
    assert django_1["rps"] < 0.5 * ceiling and django_1["server_cpu"] >= 0.9, rewrite
    assert django_2["rps_ci95"][0] > django_1["rps_ci95"][1], rewrite


def test_hello_flask_answers_options_with_an_allow_header() -> None:
    """hello.md: Flask answers `OPTIONS` itself (the "safe wrong method" case) "with an `Allow`
    header", which names the methods the route takes."""
    from snippets.hello.flask import app

    resp = app.test_client().options("/")
    allowed = {method.strip() for method in resp.headers["Allow"].split(",")}
    assert allowed == {"GET", "HEAD", "OPTIONS"}


def test_the_io_endpoints_sleep_as_long_as_their_case_says() -> None:
    """The pages quote the simulated I/O wait from the bench cases' ``waited_ms``
    (``case_field``); every bench snippet's I/O view must sleep exactly that long."""
    from verified_guide.topics import get_topic

    case = get_topic("bench").case("simulated io")
    waited_ms = case.expected("fastapi")["json"]["waited_ms"]
    views = {"fastapi": ["io"], "django": ["io", "async_io"], "flask": ["io"]}
    for framework, names in views.items():
        tree = ast.parse((ROOT / "snippets" / "bench" / f"{framework}.py").read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name in names:
                sleeps = [
                    call.args[0].value
                    for call in ast.walk(node)
                    if isinstance(call, ast.Call)
                    and isinstance(call.func, ast.Attribute)
                    and call.func.attr == "sleep"
                ]
                assert sleeps == [waited_ms / 1000], (framework, node.name, sleeps)
                names.remove(node.name)
        assert not names, f"snippets/bench/{framework}.py has no view {names}"


def test_claims_django_asgi_sends_signals_and_close_through_threads() -> None:
    """claims.yaml (rps-django-async's finding): under ASGI, Django runs the sync receivers of
    request_started/request_finished (close_old_connections among them) and response.close
    through sync_to_async, for every request."""
    from django.core import signals
    from django.core.handlers.asgi import ASGIHandler
    from django.db import close_old_connections

    source = inspect.getsource(ASGIHandler.handle)
    assert "await sync_to_async(response.close)()" in source
    assert "signals.request_started.asend" in source
    for signal in (signals.request_started, signals.request_finished):
        receivers = [ref() for _, ref, *_ in signal.receivers]
        assert close_old_connections in receivers
        assert not inspect.iscoroutinefunction(close_old_connections)


def test_observability_keeps_an_incoming_id_of_1_to_64_safe_characters() -> None:
    """observability.md: the id is reused "when it is 1 to 64 characters" of a safe set, and
    "the cases show an id of 64 characters kept and one of 65 replaced"."""
    from snippets.observability.request_ids import SAFE_ID
    from verified_guide.topics import get_topic

    page = " ".join((ROOT / "docs" / "guide" / "observability.md").read_text().split())
    assert "1 to 64 characters" in page and "64 characters kept and one of 65" in page
    assert SAFE_ID.fullmatch("a" * 64) and SAFE_ID.fullmatch("a")
    assert not SAFE_ID.fullmatch("a" * 65) and not SAFE_ID.fullmatch("")
    sent = [
        value
        for case in get_topic("observability").cases
        for name, value in case.request.get("headers", {}).items()
        if name.lower() == "x-request-id"
    ]
    assert {64, 65} <= {len(value) for value in sent}


def test_background_django_tasks_is_new_in_django_6_0() -> None:
    """background.md: ``django.tasks`` is "new in Django 6.0": the version matrix's 5.2 line
    fails the topic for want of the module, and 6.0 passes it."""
    lines = {
        line["line"]: line["topics"]["background"]
        for line in json.loads((ROOT / "docs" / "data" / "matrix.json").read_text())["lines"]
        if line["framework"] == "django"
    }
    assert "No module named 'django.tasks'" in lines["5.2"]["reason"]
    assert lines["6.0"]["status"] == "pass"
    assert "new in Django 6.0" in (ROOT / "docs" / "guide" / "background.md").read_text()


def test_async_views_django_async_orm_runs_the_sync_orm_in_a_thread() -> None:
    """async_views.md: Django's async ORM methods wrap the sync ones with sync_to_async."""
    from django.db.models.query import QuerySet

    for method in (QuerySet.aget, QuerySet.acreate):
        assert "sync_to_async(" in inspect.getsource(method), method.__qualname__


def test_methodology_states_the_harness_settling_window() -> None:
    """methodology.md types the settling window (its bound, the runs, the connections and the
    spread limit come from ``bench_harness``); it must be the harness's own."""
    from scripts.bench.runner import wait_until_quiet

    text = " ".join((ROOT / "docs" / "benchmarks" / "methodology.md").read_text().split())
    defaults = inspect.signature(wait_until_quiet).parameters
    assert defaults["window_s"].default == 1.0 and "idle for a whole second" in text


def _shown_cells(endpoint: str) -> dict[str, float]:
    """Each configuration's median req/s on ``endpoint`` in the run the pages show (SQLite,
    one worker, the main concurrency)."""
    shown = results.latest()
    assert shown is not None, "docs/data/benchmarks/ holds no result file"
    doc = results.load(shown)
    return {
        c["config"]: c["rps"]
        for c in doc["results"]
        if (c["endpoint"], c["workers"], c["database"], c["concurrency"], c["status"])
        == (endpoint, 1, "sqlite", doc["suite"]["concurrency"], "ok")
    }


def _decision_reason(question_id: str, answer_id: str, endpoint: str | None = None) -> str:
    import yaml

    questions = yaml.safe_load((ROOT / "docs" / "data" / "decision.yaml").read_text())
    answers = [a for q in questions if q["id"] == question_id for a in q["options"]]
    effects = [e for a in answers if a["id"] == answer_id for e in a["effects"]]
    return " ".join(
        next(
            e["reason"] for e in effects if endpoint is None or e.get("endpoint") == endpoint
        ).split()
    )


def test_decision_slow_io_states_the_wait_and_that_granian_overlaps_it_too() -> None:
    """decision.yaml, slow I/O: the wait is the io case's, and Granian's thread pool overlaps
    Flask's waits: Flask on Granian serves at least 80 % of FastAPI's best there, and ten times
    Flask on one sync Gunicorn worker, in the run the pages show."""
    from verified_guide.topics import get_topic

    reason = _decision_reason("load", "slow_io", "io")
    waited_ms = get_topic("bench").case("simulated io").expected("fastapi")["json"]["waited_ms"]
    assert f"With a {waited_ms} ms wait in every request" in reason
    io = _shown_cells("io")
    fastapi = max(v for k, v in io.items() if k.startswith("fastapi-"))
    assert "Granian runs WSGI apps in a thread pool, which overlaps them too" in reason
    assert io["flask-granian"] >= 0.8 * fastapi, io
    assert io["flask-granian"] >= 10 * io["flask-gunicorn"], io


def test_decision_database_read_narrows_the_gap_between_the_three() -> None:
    """decision.yaml, database: the best-to-worst ratio of the three frameworks' fastest
    setups is smaller on the database read than on JSON in the run the pages show."""
    reason = _decision_reason("load", "database", "db")
    assert "the throughput gap between the three narrows" in reason

    def gap(endpoint: str) -> float:
        cells = _shown_cells(endpoint)
        best = [max(v for k, v in cells.items() if k.startswith(f"{fw}-")) for fw in FRAMEWORKS]
        return max(best) / min(best)

    assert gap("db") < gap("json"), (gap("db"), gap("json"))


def test_decision_low_traffic_flask_is_the_lightest_of_the_three() -> None:
    """decision.yaml, low traffic: Flask's install and import are the smallest of the three in
    the cost rows of the run the pages show; the import time by more than the margin within
    which the claims page counts a single timing either way (its ``lowest_costs`` rule)."""
    from verified_guide.claims.rules import COST_MARGIN, TIMED_COSTS

    reason = _decision_reason("load", "low")
    assert "Flask has the smallest install and the fastest import of the three" in reason
    shown = results.latest()
    assert shown is not None
    costs = {c["framework"]: c for c in results.load(shown)["costs"]}
    for field in ("install_mb", "import_ms"):
        margin = COST_MARGIN if field in TIMED_COSTS else 0.0
        others = [c[field] for fw, c in costs.items() if fw != "flask"]
        assert costs["flask"][field] < min(others) * (1 - margin), (field, costs)


def test_methodology_states_the_benchmark_database_size() -> None:
    """methodology.md, "Endpoints": the rows and authors the benchmark's seed writes."""
    from snippets.bench.seed import AUTHOR_COUNT, ROW_COUNT

    text = " ".join((ROOT / "docs" / "benchmarks" / "methodology.md").read_text().split())
    stated = f"one row by random id out of {ROW_COUNT:,}, with its author (one of {AUTHOR_COUNT})"
    assert stated in text


def test_database_page_states_the_pool_the_snippets_configure() -> None:
    """database.md, "Connection pools": the QueuePool sizes of the FastAPI and Flask versions."""
    from snippets.database import fastapi_db
    from snippets.database import flask as flask_snippet

    pool = fastapi_db.engine.pool
    size, overflow = pool.size(), pool._max_overflow  # QueuePool keeps no public overflow getter
    flask_pool = flask_snippet.app.config["SQLALCHEMY_ENGINE_OPTIONS"]
    assert (flask_pool["pool_size"], flask_pool["max_overflow"]) == (size, overflow)
    text = " ".join((ROOT / "docs" / "guide" / "database.md").read_text().split())
    stated = f"here {NUMBER_WORDS[size]} kept connections, {NUMBER_WORDS[overflow]} more under load"
    assert stated in text


def test_benchmarks_page_counts_the_article_throughput_figures() -> None:
    """benchmarks/index.md: how many single-worker throughput figures the article gives (the
    claims with an ``rps`` figure)."""
    from verified_guide.claims.rules import load_claims

    count = sum(1 for claim in load_claims() if "rps" in claim)
    text = " ".join((ROOT / "docs" / "benchmarks" / "index.md").read_text().split())
    assert f"The article gives {NUMBER_WORDS[count]} single-worker throughput figures" in text


def test_benchmark_pages_describe_the_machine_of_the_shown_run() -> None:
    """benchmarks/index.md ("Workers") and methodology.md ("Small machine") reason about a
    two-core machine: the run the pages show must have been measured on one."""
    shown = results.latest()
    assert shown is not None, "docs/data/benchmarks/ holds no result file"
    cores = results.load(shown)["environment"]["cores"]
    index = " ".join((ROOT / "docs" / "benchmarks" / "index.md").read_text().split())
    methodology = " ".join((ROOT / "docs" / "benchmarks" / "methodology.md").read_text().split())
    assert f"machine has {NUMBER_WORDS[cores]} cores" in index, f"{shown.name} ran on {cores} cores"
    assert f"**Small machine.** {NUMBER_WORDS[cores].capitalize()} cores." in methodology
    assert f"4 workers on {cores} cores" in index and f"4 workers on {cores} cores" in methodology


# --------------------------------------------------------------------------- every page

#: The HTTP statuses a sentence could name (1xx aside: the pages use none, and "100" is a count).
STATUS_CODE = re.compile(
    r"(?<![\w.,/$-])("
    + "|".join(str(s.value) for s in HTTPStatus if s.value >= 200)
    + r")(?![\w%]|[.,]\d| ?(?:levels|ms|MB|KB|s\b))"
)

#: Sentences that name a status no case answers, each with the test that checks it. Any other
#: typed status fails `test_every_status_in_prose_is_a_macro_or_pinned`: use ``status()``.
PINNED_STATUSES = {
    ("guide/uploads.md", "and answer 400 unless it holds exactly one file"): (
        "tests/topics/test_uploads.py::test_one_file_in_the_field_named_file_and_nothing_else"
    ),
    ("benchmarks/index.md", "had a wrong answer, an answer of status 400 or above, a socket"): (
        "tests/bench/test_bench_units.py::test_any_error_fails_the_cell"
    ),
    ("benchmarks/methodology.md", "any answer of status 400 or above or socket error"): (
        "tests/bench/test_bench_units.py::test_any_error_fails_the_cell"
    ),
    ("guide/rest_api.md", "with the 201 of the create and the 204 of the delete"): (
        "tests/topics/test_rest_api.py::test_openapi_schemas_document_the_same_operations"
    ),
    (
        "guide/rest_api.md",
        "FastAPI documents a 422 on every operation with input, APIFlask a 422 for inputs and a"
        " 401 for operations behind",
    ): "tests/topics/test_rest_api.py::test_openapi_extras_each_generator_adds",
    (
        "guide/rest_api.md",
        "FastAPI leaves out the 401 of a bearer-token dependency and the 404 a handler raises,"
        " APIFlask the 400 for a body that is not JSON",
    ): "tests/topics/test_rest_api.py::test_schemas_leave_out_statuses_the_apis_answer",
    (
        "guide/security.md",
        "and answers 400 for it; the snippet's `handler400` answers 413",
    ): (
        "tests/topics/test_security.py"
        "::test_django_body_over_the_limit_gets_413_other_bad_requests_400"
    ),
    ("guide/security.md", "and the server answered 500:"): (
        "tests/topics/test_security.py"
        "::test_django_asgi_wrapper_answers_415_for_a_content_type_django_cannot_parse"
    ),
    ("guide/security.md", "(this topic's `/hello?name=`) answered 500;"): (
        "tests/topics/test_security.py"
        "::test_django_refuses_a_query_that_utf7_decodes_to_a_lone_surrogate"
    ),
    (
        "guide/security.md",
        "and of SQLAdmin's: a 500 that any client could cause, with no account.",
    ): (
        "tests/topics/test_security.py"
        "::test_fastapi_login_refuses_a_utf7_form_that_would_hash_a_lone_surrogate"
    ),
    ("guide/security.md", "so such a request was a 500."): (
        "tests/topics/test_security.py::test_django_without_the_charset_check_answers_500"
    ),
    ("guide/admin.md", "a signed-in admin who typed either got a 500."): (
        "tests/topics/test_admin.py::test_flask_admin_lists_any_page_number"
    ),
    ("guide/admin.md", "so an admin that passes it on answers 500"): (
        "tests/topics/test_admin.py::test_admins_on_postgresql"
    ),
    ("guide/admin.md", "`lookup_allowed` refuses a NUL there, which Django answers with a 400."): (
        "tests/topics/test_admin.py::test_django_admin_refuses_a_nul_in_search_form_and_filters"
    ),
    ("guide/auth.md", "refuses a NUL in text with an error, so that request was a 500."): (
        "tests/hostile/test_on_postgresql.py"
        "::test_database_topics_survive_hostile_requests_on_postgresql"
    ),
    ("guide/auth.md", "unique constraint, which Django reports as a 500."): (
        "tests/topics/test_auth.py::test_two_allauth_sign_ups_for_one_name_at_once_get_409_not_500"
    ),
    (
        "guide/auth.md",
        "saves inside a savepoint and answers that second request with a plain-text 409,",
    ): "tests/topics/test_auth.py::test_two_allauth_sign_ups_for_one_name_at_once_get_409_not_500",
    ("guide/errors.md", 'gets a plain-text 413 "Content Too Large" before any handler runs'): (
        "tests/topics/test_errors.py"
        "::test_fastapi_orders_refuse_a_huge_body_and_nan_like_every_json_endpoint"
    ),
    (
        "guide/websockets.md",
        "refuses a POST over the size limit with 413 before Engine.IO reads it",
    ): (
        "tests/hostile/test_websockets.py"
        "::test_flask_socketio_refuses_a_long_poll_over_the_limit_without_holding_a_thread"
    ),
    ("guide/websockets.md", "a `Content-Length` it cannot read with 400"): (
        "tests/hostile/test_websockets.py::test_flask_socketio_refuses_a_negative_content_length"
    ),
    ("guide/websockets.md", "with 400 too, where Engine.IO answered 200 and logged a traceback"): (
        "tests/topics/test_websockets.py"
        "::test_flask_long_polling_refuses_a_payload_engineio_cannot_decode"
    ),
    (
        "guide/websockets.md",
        "loses its session when its queue is full: its next request gets a 400",
    ): (
        "tests/topics/test_websockets.py"
        "::test_flask_long_polling_ends_the_session_of_a_client_that_never_polls"
    ),
    ("guide/websockets.md", "to which Engine.IO answered a POST with a 500"): (
        "tests/topics/test_websockets.py::test_flask_long_polling_to_an_ended_session_is_a_400"
    ),
    ("guide/background.md", "past which a signup gets a 503 with"): (
        "tests/topics/test_background.py"
        "::test_flask_pool_refuses_signups_past_its_backlog_until_tasks_finish"
    ),
    ("guide/observability.md", "Flask answers a view that raised with its own 500 response,"): (
        "tests/topics/test_observability.py"
        "::test_flask_logs_a_crashed_request_and_still_sends_its_id_back"
    ),
    ("guide/observability.md", "the class then sees Django's 500 in `process_response`"): (
        "tests/topics/test_observability.py"
        "::test_django_middleware_logs_a_crashed_request_and_still_sends_its_id_back"
    ),
    ("guide/observability.md", "so that 500 goes out without the header"): (
        "tests/topics/test_observability.py::test_django_decorator_logs_a_crashed_request_with_its_id"
    ),
    ("guide/rest_api.md", "answer every request of the project with a 500"): (
        "tests/test_fail_closed.py::test_django_reads_each_secret_at_start_not_on_the_first_request"
    ),
    ("guide/dependency_injection.md", "would surface as a 500 on every request instead"): (
        "tests/test_fail_closed.py::test_django_reads_each_secret_at_start_not_on_the_first_request"
    ),
    ("guide/testing.md", "which answers **405** for a POST in the test above"): (
        "snippets/testing/django_test.py::test_post_is_not_allowed"
    ),
}


def _prose(page: str) -> str:
    """A page's Markdown on one line, macros and code spans blanked (what they show is not typed
    into the sentence), and case names in quotes too (a case's name may carry its status)."""
    from verified_guide.topics import all_topics

    text = " ".join((ROOT / "docs" / page).read_text(encoding="utf-8").split())
    text = re.sub(r"\{\{.*?\}\}|\{%.*?%\}", " ", text)
    for topic in all_topics():
        for case in topic.cases:
            text = text.replace(f'"{case.name}"', " ")
    return re.sub(r"`[^`]*`", " ", text)


def test_every_status_in_prose_is_a_macro_or_pinned() -> None:
    """Prose is data: a status in a sentence comes from the cases through ``status()``, or
    one of the sentences above names it, with the test that checks what it says."""
    typed = []
    for path in sorted((ROOT / "docs").rglob("*.md")):
        page = path.relative_to(ROOT / "docs").as_posix()
        raw = " ".join(path.read_text(encoding="utf-8").split())
        text = _prose(page)
        for pinned_page, sentence in PINNED_STATUSES:
            if pinned_page == page:
                assert sentence in raw, f"docs/{page} no longer says {sentence!r}: unpin it"
                text = text.replace(re.sub(r"`[^`]*`", " ", sentence), " ")
        typed += [f"docs/{page}: {m[0]!r} in …{text[m.start() - 40 : m.end() + 20]}…"
                  for m in STATUS_CODE.finditer(text)]  # fmt: skip
    assert typed == [], "typed statuses (use the status macro, or pin them):\n" + "\n".join(typed)


@pytest.mark.parametrize("test", sorted(set(PINNED_STATUSES.values())))
def test_each_pinning_test_exists(test: str) -> None:
    """A pin names a test that is there: renaming it must update the pin."""
    file, _, name = test.partition("::")
    assert re.search(rf"^\s*def {name}\(", (ROOT / file).read_text(encoding="utf-8"), re.M), test


def test_rest_api_drf_generator_ships_but_needs_inflection() -> None:
    """rest_api.md: DRF still ships ``generateschema``'s generator; without the optional
    ``inflection`` package (which DRF does not require) it cannot run."""
    from importlib.metadata import requires

    from rest_framework import compat
    from rest_framework.schemas.openapi import SchemaGenerator

    assert SchemaGenerator is not None and compat.inflection is None
    assert not any(r.startswith("inflection") for r in requires("djangorestframework") or [])


def test_admin_starlette_session_cookie_defaults_to_lax() -> None:
    """admin.md: the snippet's SameSite=Strict is its own choice; Starlette's default is Lax."""
    from starlette.middleware.sessions import SessionMiddleware

    assert inspect.signature(SessionMiddleware).parameters["same_site"].default == "lax"


def test_claims_page_names_every_verdict_label() -> None:
    """claims.md lists the verdicts a claim can get: every label the ledger gives, no other."""
    from verified_guide.claims.ledger import LABELS

    text = " ".join((ROOT / "docs" / "claims.md").read_text().split())
    paragraph = text[text.index("A verdict is ") :].split("{{", 1)[0]
    assert set(re.findall(r"\*([a-z ]+)\*", paragraph)) == set(LABELS)


def test_benchmarks_page_describes_the_external_sources_hardware() -> None:
    """benchmarks/index.md sums up the external sources' machines from their hardware column."""
    from verified_guide.bench import external

    hardware = {f.suite.split()[0]: f.hardware for f in external.load()}
    assert "every core" in hardware["TechEmpower"]
    assert "one server worker" in hardware["Granian's"]
    assert hardware["the-benchmarker/web-frameworks"].startswith("Not stated")


def test_validation_pydantic_bounds_the_integers_int_would_refuse() -> None:
    """validation.md, "Numbers in the URL and headers": int() refuses one digit past the limit,
    isdecimal() does not, and FastAPI's typed parameter answers a validation error instead."""
    from fastapi.testclient import TestClient

    too_long = "9" * (sys.get_int_max_str_digits() + 1)
    assert too_long.isdecimal()
    with pytest.raises(ValueError, match="Exceeds the limit"):
        int(too_long)
    app = FastAPI()

    @app.get("/items")
    def items(offset: int = 0) -> dict[str, int]:
        return {"offset": offset}

    resp = TestClient(app).get("/items", params={"offset": too_long})
    assert resp.status_code == 422 and resp.json()["detail"][0]["type"] == "int_parsing_size"


def test_validation_pydantic_json_refuses_nesting_past_about_200_levels() -> None:
    """validation.md and the strict_json files: Pydantic's parser stops at about 200 levels
    (201 nested arrays parse, 200 nested objects; one more of either does not)."""
    import pydantic_core

    pydantic_core.from_json("[" * 190 + "]" * 190)
    for deep in ("[" * 210 + "]" * 210, '{"a":' * 210 + "1" + "}" * 210):
        with pytest.raises(ValueError):
            pydantic_core.from_json(deep)


def test_flask_reads_trusted_hosts_from_3_1_on_as_security_and_deployment_say() -> None:
    """security.md, deployment.md and the security table: Flask 3.0 answers any host, 3.1
    refuses one not in TRUSTED_HOSTS; the version matrix's run is the evidence."""
    matrix = json.loads((ROOT / "docs" / "data" / "matrix.json").read_text(encoding="utf-8"))
    security = {
        line["line"]: line["topics"]["security"]
        for line in matrix["lines"]
        if line["framework"] == "flask"
    }
    assert security["3.0"]["case"] == "a request for a host name the app does not serve is refused"
    assert security["3.1"]["status"] == "pass"
    text = " ".join((ROOT / "docs" / "guide" / "security.md").read_text().split())
    assert "Flask reads `TRUSTED_HOSTS` from 3.1 on; Flask 3.0 ignores the setting" in text
    deployment = " ".join((ROOT / "docs" / "guide" / "deployment.md").read_text().split())
    assert "`TRUSTED_HOSTS` from Flask 3.1 on" in deployment


def test_auth_pages_state_the_login_limit_the_three_snippets_set() -> None:
    """auth.md and security.md say "sixth failure within a minute", "five guesses a minute"
    and "five logins a minute": each snippet's limit must be five a minute."""
    from limits import parse

    from snippets.auth import django_limit, fastapi_limit

    assert (fastapi_limit.FAILED_LOGINS.amount, fastapi_limit.FAILED_LOGINS.get_expiry()) == (
        5,
        60,
    )
    assert (django_limit.FAILURES, django_limit.WINDOW) == (5, 60)
    flask = (ROOT / "snippets" / "auth" / "flask.py").read_text(encoding="utf-8")
    [spelled] = re.findall(r'@limiter\.limit\("([^"]+)"', flask)
    assert (parse(spelled).amount, parse(spelled).get_expiry()) == (5, 60)
    auth = " ".join((ROOT / "docs" / "guide" / "auth.md").read_text().split())
    for words in ("sixth failure within a minute", "five guesses a minute", "five logins a minute"):
        assert words in auth, words
    security = " ".join((ROOT / "docs" / "guide" / "security.md").read_text().split())
    assert "sixth failed login for the same username within a minute" in security


# --------------------------------------------------------------------------- verdicts by size


def _page_text(page: str) -> str:
    return " ".join((ROOT / "docs" / page).read_text(encoding="utf-8").split())


def _line_counts(slug: str) -> dict[str, int]:
    """A topic's lines of code per framework, and per variant under its file's stem, as the
    page's size table counts them (``loc_table``)."""
    from verified_guide.topics import get_topic

    topic = get_topic(slug)
    return {
        snippet.snippet_path(fw).stem: snippet.lines_of_code(fw)
        for fw in topic.frameworks()
        for snippet in topic.snippets_of(fw)
    }


#: Verdicts that rank the snippets by size, each with the order it states: an edit to a snippet
#: that changes the order fails here, naming the sentence to rewrite.
SIZE_VERDICTS = [
    (
        "hello",
        ["Flask and FastAPI are equally short", "Django is a few lines longer here"],
        lambda n: n["flask"] == n["fastapi"] < n["django"] <= n["fastapi"] + 5,
    ),
    (
        "background",
        ["FastAPI's `BackgroundTasks` is the least code"],
        lambda n: n["fastapi"] < min(n["django"], n["flask"]),
    ),
    (
        "streaming",
        ["FastAPI is the shortest path"],
        lambda n: n["fastapi"] < min(n["django"], n["flask"]),
    ),
    (
        "rest_api",
        ["FastAPI and Django Ninja are the shortest path"],
        lambda n: max(n["fastapi"], n["django_ninja"]) < min(n["django"], n["flask"]),
    ),
]


@pytest.mark.parametrize(
    ("slug", "sentences", "holds"), SIZE_VERDICTS, ids=[v[0] for v in SIZE_VERDICTS]
)
def test_size_verdicts_rank_the_snippets_as_the_size_table_does(
    slug: str, sentences: list[str], holds
) -> None:
    page = _page_text(f"guide/{slug}.md")
    missing = [s for s in sentences if s not in page]
    assert not missing, f"docs/guide/{slug}.md no longer says {missing}: update SIZE_VERDICTS"
    counts = _line_counts(slug)
    assert holds(counts), f"docs/guide/{slug}.md says {sentences}, but the counts are {counts}"


# --------------------------------------------------------------------------- versions in prose


def test_support_fastapi_is_still_0x() -> None:
    """support.md: FastAPI's minor releases may change behaviour "because it is still 0.x"."""
    from importlib.metadata import version

    assert "because it is still 0.x" in _page_text("support.md")
    assert version("fastapi").startswith("0."), "FastAPI is 1.x: rewrite support.md's FastAPI line"


def test_admin_and_database_sqlalchemy_float_is_not_numeric_and_float_maps_to_double() -> None:
    """admin.md: `Float` does not derive from `Numeric` (so the admin extensions find no form
    field for it); database.md: `Mapped[float]` is `Double`."""
    from sqlalchemy import Double, Float, Numeric
    from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

    class Base(DeclarativeBase):
        pass

    # Built with real annotations: this module's are strings, which SQLAlchemy resolves in the
    # module's globals, where these names are not.
    fields = {"__annotations__": {"id": Mapped[int], "price": Mapped[float]}}
    row = type(
        "Row", (Base,), {"__tablename__": "row", "id": mapped_column(primary_key=True), **fields}
    )

    assert not issubclass(Float, Numeric)
    assert type(row.__table__.c.price.type) is Double
    assert "`Float` does not derive from `Numeric`" in _page_text("guide/admin.md")
    assert "**`Mapped[float]` is `Double` in SQLAlchemy" in _page_text("guide/database.md")


def test_validation_werkzeug_raises_on_basic_credentials_it_cannot_decode() -> None:
    """validation.md: Werkzeug "refuses to decode, raising" `Authorization: Basic é`."""
    from werkzeug.test import EnvironBuilder
    from werkzeug.wrappers import Request

    request = Request(EnvironBuilder(headers=[("Authorization", "Basic é")]).get_environ())
    with pytest.raises(ValueError):
        request.authorization  # noqa: B018 (the property parses the header)
    assert "`Authorization: Basic é` (which Werkzeug" in _page_text("guide/validation.md")


@pytest.mark.django_db
def test_auth_django_sessions_query_any_key_of_eight_and_issue_32_lowercase_and_digits() -> None:
    """auth.md: Django's database sessions look up "any `sessionid` value of eight characters or
    more", and issue keys of "32 lowercase letters and digits"."""
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    assert store._validate_session_key("x" * 8) and not store._validate_session_key("x" * 7)
    store.create()
    assert re.fullmatch(r"[a-z0-9]{32}", store.session_key or ""), store.session_key
    page = _page_text("guide/auth.md")
    assert "any `sessionid` value of eight characters or more" in page
    assert "32 lowercase letters and digits" in page


def test_async_database_the_three_send_the_same_number_of_queries() -> None:
    """async_database.md: "The three frameworks send the same number of queries for the same
    read" (each framework's own counts are checked in tests/topics/test_async_database.py)."""
    from verified_guide.async_database import QUERY_COUNTS

    assert len(set(QUERY_COUNTS.values())) == 1, QUERY_COUNTS
    assert len(QUERY_COUNTS) == len(FRAMEWORKS)
    assert "The three frameworks send the same number of queries" in _page_text(
        "guide/async_database.md"
    )


def test_every_status_in_a_for_free_table_is_one_the_topics_cases_expect() -> None:
    """topic.yaml's "for free" tables name statuses in text (``422 with the field``): each one
    in a framework's cell must be a status that topic's cases expect of that framework (a
    variant's included), and each in a feature's name one they expect of some framework."""
    from verified_guide.topics import all_topics

    wrong = []
    for topic in all_topics():
        cases = [case for t in (topic, *topic.variants()) for case in t.cases]

        def expected(framework: str, cases: list = cases) -> set[str]:
            return {
                str(c.expected(framework)["status"]) for c in cases if framework in c.frameworks
            }

        for row in topic.meta.free:
            cells = [(fw, getattr(row, fw) or "", expected(fw)) for fw in FRAMEWORKS]
            cells.append(("feature", row.feature, set().union(*(e for _, _, e in cells))))
            wrong += [
                f"snippets/{topic.slug}/topic.yaml ({who}): {m[0]} in {text!r}"
                for who, text, statuses in cells
                for m in STATUS_CODE.finditer(text)
                if m[0] not in statuses
            ]
    assert not wrong, "statuses no case of the topic answers:\n" + "\n".join(wrong)


def test_no_wrapped_line_starts_a_numbered_list() -> None:
    """A line of a paragraph or list item that wraps to start with "500. " becomes a numbered
    list of its own in Markdown, cutting the sentence in two (the admin page's did)."""
    starts = re.compile(r"^\s+\d+[.)]\s")
    found = []
    for path in sorted((ROOT / "docs").rglob("*.md")):
        lines = path.read_text(encoding="utf-8").splitlines()
        found += [
            f"{path.relative_to(ROOT)}:{number}: {line.strip()[:60]}"
            for number, (before, line) in enumerate(zip(["", *lines], lines, strict=False), 1)
            if starts.match(line) and before.strip() and not starts.match(before)
        ]
    assert found == [], "rewrap these lines:\n" + "\n".join(found)
