"""The grouping `make test` schedules its parallel stage by (tests/support/xdist_groups.py)."""

from tests.support.xdist_groups import BROWSER_ORDER, browser_rank, group_of


def test_a_browser_module_is_one_group() -> None:
    assert (
        group_of("tests/browser/test_live_demo.py::test_x[fastapi-uvicorn]")
        == "browser-test_live_demo"
    )
    module = "tests/browser/test_readable.py"
    assert group_of(f"{module}::test_every_chart_has_an_accessible_name[phone]") == group_of(
        f"{module}::test_no_table_hides_a_column[claims/]"
    )


def test_each_parity_engine_is_a_unit_of_its_own() -> None:
    chromium = "tests/browser/test_parity.py::test_every_runnable_snippet[chromium]"
    assert group_of(chromium) == chromium
    assert group_of(chromium.replace("chromium", "webkit")) != group_of(chromium)


def test_the_tests_of_one_demo_server_are_one_group() -> None:
    ids = [
        "tests/test_demo_servers.py::test_demo_app_answers_every_case[flask-gunicorn-auth]",
        "tests/hostile/test_servers.py::test_demo_app_survives_hostile_requests[flask-gunicorn]",
        "tests/test_fail_closed.py::test_credentials_forged_with_repository_keys_are_refused"
        "[flask-gunicorn]",
    ]
    assert {group_of(nodeid) for nodeid in ids} == {"demo-server-flask-gunicorn"}
    assert (
        group_of(ids[0].replace("flask-gunicorn", "flask-granian")) == "demo-server-flask-granian"
    )


def test_any_other_test_is_scheduled_alone() -> None:
    for nodeid in (
        "tests/test_cases.py::test_case[hello/flask/greets the world]",
        "tests/topics/test_deployment.py::test_gunicorn_with_the_config_file_starts_two_workers"
        "[flask]",
        "tests/test_site.py::test_home_page_is_built",
    ):
        assert group_of(nodeid) == nodeid


def test_browser_modules_are_queued_longest_first() -> None:
    assert browser_rank("tests/browser/test_parity.py") == 0
    assert browser_rank("tests/browser/test_readable.py") < browser_rank(
        "tests/browser/test_live_sockets.py"
    )
    assert browser_rank("tests/browser/test_xvfb.py") == len(BROWSER_ORDER)
