"""``uv.lock`` is read one way: a forked package gives every reader its newest version."""

from __future__ import annotations

from pathlib import Path

from verified_guide.lockfile import locked_packages, locked_versions

FORKED = """
version = 1

[[package]]
name = "cbor2"
version = "6.3.0"

[[package]]
name = "Flask_Login"
version = "0.6.3"

[[package]]
name = "cbor2"
version = "5.9.0"
"""


def test_a_forked_package_reads_as_its_newest_version_whatever_the_order(tmp_path: Path) -> None:
    lock = tmp_path / "uv.lock"
    lock.write_text(FORKED, encoding="utf-8")
    assert locked_versions(lock) == {"cbor2": "6.3.0", "flask-login": "0.6.3"}
    assert locked_packages(lock)["cbor2"]["version"] == "6.3.0"


def test_the_project_lock_names_each_package_once_with_a_version() -> None:
    versions = locked_versions()
    assert versions["fastapi"] and versions["django"] and versions["flask"]
