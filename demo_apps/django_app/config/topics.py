"""What the topics add to the Django demo project, found by convention in their folders.

A topic's ``snippets/<topic>/django_settings.py`` contributes its upper-case names to the
settings (a list named ``*_APPS`` is appended to ``INSTALLED_APPS``), its
``django_models.py`` registers its models with the "guide" app, and a ``django_templates/``
folder is a template directory. Nobody keeps a list of them, so adding a topic touches no file
here. The folders are globbed rather than read through ``verified_guide.topics``: the in-browser
runner loads these settings too, and only ``snippets/`` and ``demo_apps/`` travel to the browser.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import snippets

SNIPPETS = Path(snippets.__file__).resolve().parent


class TopicSettingsError(Exception):
    """Two topics set the same Django setting; the message names both files."""


def _modules(name: str) -> list[str]:
    """``snippets.<topic>.<name>`` of every topic folder holding ``<name>.py``, by folder name."""
    return [f"snippets.{p.parent.name}.{name}" for p in sorted(SNIPPETS.glob(f"*/{name}.py"))]


def settings() -> dict[str, Any]:
    """Every topic's upper-case settings; the same name in two topics is an error."""
    found: dict[str, Any] = {}
    source: dict[str, str] = {}
    for module_name in _modules("django_settings"):
        module = importlib.import_module(module_name)
        for name in (n for n in vars(module) if n.isupper() and not n.startswith("_")):
            if name in source:
                raise TopicSettingsError(f"{name} is set by both {source[name]} and {module_name}")
            found[name], source[name] = getattr(module, name), module_name
    return found


def apps(found: dict[str, Any]) -> list[str]:
    """The apps the topics' settings ask for (lists named ``*_APPS``), in topic order."""
    return [app for name, value in found.items() if name.endswith("_APPS") for app in value]


def template_dirs() -> list[Path]:
    """Every topic's ``django_templates/`` folder."""
    return sorted(p for p in SNIPPETS.glob("*/django_templates") if p.is_dir())


def register_models() -> None:
    """Import every topic's ``django_models.py`` (``app_label = "guide"``)."""
    for module_name in _modules("django_models"):
        importlib.import_module(module_name)
