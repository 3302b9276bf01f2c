"""``uv.lock`` read one way for everyone: the site's version lists, the version matrix and the
in-browser bundle.

A lock can *fork*: hold two versions of one package for different environments (today
``cbor2``, one release for older Pythons). Readers that kept whichever entry came last could
disagree with one that kept the newest; this module keeps the newest, by version order, for
every reader.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

from packaging.utils import canonicalize_name
from packaging.version import Version

from verified_guide.topics import ROOT

LOCK_FILE = ROOT / "uv.lock"


def locked_packages(lock: Path = LOCK_FILE) -> dict[str, dict[str, Any]]:
    """Each package's entry by canonical name; of a forked package, the newest version's.

    Parsed once per process (a quarter of a second each time, and a site build needs it for
    the landing page and twice for the live bundle); ``docs/plugins/hooks.py`` clears the
    cache when ``mkdocs serve`` rebuilds. Callers read the result and never change it."""
    return _parsed(lock.resolve())


@cache
def _parsed(lock: Path) -> dict[str, dict[str, Any]]:
    packages: dict[str, dict[str, Any]] = {}
    for package in tomllib.loads(lock.read_text(encoding="utf-8"))["package"]:
        name = canonicalize_name(package["name"])
        if name not in packages or _version(package) > _version(packages[name]):
            packages[name] = package
    return packages


def locked_versions(lock: Path = LOCK_FILE) -> dict[str, str]:
    """Each package's locked version by canonical name (the newest, where the lock forks)."""
    return {name: package["version"] for name, package in locked_packages(lock).items()}


def _version(package: dict[str, Any]) -> Version:
    return Version(package.get("version", "0"))
