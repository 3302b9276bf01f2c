"""The live bundle's cold-start pieces that run outside a browser: bytecode archives, the
lockfile's dependencies, the migrated Django database's loading. (The browser side, the same
code in Pyodide, is checked by tests/browser/test_parity.py and test_live_demo.py.)"""

from __future__ import annotations

import base64
import hashlib
import sqlite3
import sys
import zipfile
from pathlib import Path

import pytest

from verified_guide.live.bytecode import compile_archive
from verified_guide.live.resolve import direct_dependencies
from verified_guide.live.runner import load_database
from verified_guide.lockfile import locked_packages

WHEEL_FILES = {
    "demo_pkg/__init__.py": '"""A package."""\nVALUE = 41 + 1\n',
    "demo_pkg/reads_itself.py": "SOURCE = open(__file__).read()\n",
    "demo_pkg/template.py": "{% if not python %}\n",
    "demo_pkg/data.txt": "kept as it is\n",
    "demo_pkg-1.0.dist-info/RECORD": "stale\n",
}


@pytest.fixture
def wheel(tmp_path: Path) -> Path:
    path = tmp_path / "demo_pkg-1.0-py3-none-any.whl"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in WHEEL_FILES.items():
            archive.writestr(name, text)
    return path


def test_sources_become_importable_bytecode_and_the_record_matches(
    wheel: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    compiled, kept = compile_archive(wheel, "/site-packages/", ["demo_pkg/reads_itself.py"])
    assert (compiled, kept) == (1, 2)  # the template does not compile; reads_itself is kept
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        assert all(info.compress_type == zipfile.ZIP_STORED for info in archive.infolist())
        record = archive.read("demo_pkg-1.0.dist-info/RECORD").decode().splitlines()
        contents = {name: archive.read(name) for name in names}
    expected = ["demo_pkg/__init__.pyc", "demo_pkg/reads_itself.py", "demo_pkg/template.py"]
    assert sorted(n for n in names if n.startswith("demo_pkg/") and ".py" in n) == expected
    for line in record[:-1]:
        name, digest, size = line.split(",")
        data = contents[name]
        sha = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        assert (digest, int(size)) == (f"sha256={sha}", len(data)), name
    assert record[-1] == "demo_pkg-1.0.dist-info/RECORD,,"
    assert len(record) == len(names)
    monkeypatch.syspath_prepend(str(wheel))  # zipimport, as Pyodide's stdlib zip is imported
    monkeypatch.delitem(sys.modules, "demo_pkg", raising=False)
    import demo_pkg  # type: ignore[import-not-found]

    assert demo_pkg.VALUE == 42
    assert demo_pkg.__file__.endswith("__init__.pyc")
    assert demo_pkg.__doc__ == "A package."  # docstrings stay: libraries read them
    monkeypatch.delitem(sys.modules, "demo_pkg")


def test_lockfile_dependencies_leave_out_optional_extras() -> None:
    lock = locked_packages()
    pydantic = direct_dependencies("pydantic", lock, "3.14")
    assert "pydantic-core" in pydantic
    assert "email-validator" not in pydantic  # only pydantic's "email" extra wants it


def test_a_serialized_database_loads_into_the_shared_memory_one() -> None:
    made = sqlite3.connect(":memory:")
    made.execute("create table item (name text)")
    made.execute("insert into item values ('migrated')")
    made.commit()
    uri = "file:test-live-bundle?mode=memory&cache=shared"
    target = sqlite3.connect(uri, uri=True)
    load_database(made.serialize(), target)
    other = sqlite3.connect(uri, uri=True)  # as Django's own connection sees it
    assert other.execute("select name from item").fetchall() == [("migrated",)]


def test_a_bundled_pydantic_plugin_stops_the_build(wheel: Path) -> None:
    """The worker skips pydantic's plugin search (PYDANTIC_DISABLE_PLUGINS): a bundled wheel
    declaring a plugin would then answer differently in the browser, so the build refuses it."""
    from mkdocs.exceptions import PluginError

    from verified_guide.live.mkdocs_hook import check_no_pydantic_plugins

    lock = {"demo-pkg": {"file_name": wheel.name}}
    check_no_pydantic_plugins(wheel.parent, lock)  # no entry points at all
    with zipfile.ZipFile(wheel, "a") as archive:
        archive.writestr(
            "demo_pkg-1.0.dist-info/entry_points.txt",
            "[console_scripts]\ndemo = demo_pkg:main\n\n[pydantic]\ndemo = demo_pkg:plugin\n",
        )
    with pytest.raises(PluginError, match="declares a pydantic plugin"):
        check_no_pydantic_plugins(wheel.parent, lock)
