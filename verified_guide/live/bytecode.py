"""Replace the Python sources in the bundle's archives (Pyodide's stdlib zip, the wheels) by
bytecode, so the reader's browser never compiles a library module.

Without this, every module a cold start imports (Pyodide's bootstrap, FastAPI with pydantic and
starlette, Django and its apps) is compiled from source by CPython running as WebAssembly, which
is most of a cold start's seconds. Bytecode is specific to one CPython minor version, so this file
runs inside the bundle's own Pyodide under node (verified_guide/live/compile_bytecode.mjs, at bundle
build time): the magic number is always the runtime's. Each ``name.py`` becomes ``name.pyc`` in
its place (a "sourceless" module, which both zipimport and the path finder import), written as an
unchecked hash-based pyc (PEP 552), so no timestamp is compared with anything. A wheel's RECORD
is rewritten to match. A file that does not compile (a template that ends in .py, say) is kept
as it is, and so is a file matching bundle.yaml's ``keep_source`` (a module that reads its own
source, as anyio's lazy importer does).

Bytecode is larger than source, so the archives are written uncompressed (stored) and the build
precompresses each whole archive (.br, .gz): brotli over a whole archive, across files, wins
back most of the difference (CONTRIBUTING.md has the measured bytes).

Library frames in a traceback then show no source line; the reader's snippet is shipped as source
(python.zip), so its lines always show.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import io
import marshal
import sys
import zipfile
from fnmatch import fnmatch
from pathlib import Path

#: Where Pyodide mounts its stdlib zip, and where it installs wheels: the code objects' file names,
#: so a library frame names the file the module was imported from.
STDLIB_PREFIX = "/lib/python{0}{1}.zip/"
SITE_PACKAGES = "/lib/python{0}.{1}/site-packages/"


def pyc_bytes(source: bytes, filename: str) -> bytes:
    """The .pyc for one source file: header (magic, unchecked-hash flag, source hash), then code."""
    code = compile(source, filename, "exec", dont_inherit=True)
    flags = 0b01  # hash-based, check_source unset: never compared with a source file
    header = importlib.util.MAGIC_NUMBER + flags.to_bytes(4, "little")
    return header + importlib.util.source_hash(source) + marshal.dumps(code)


def _record_line(path: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{path},sha256={digest},{len(data)}"


def compile_archive(path: Path, prefix: str, keep: list[str]) -> tuple[int, int]:
    """Rewrite a zip (or wheel), stored, with each .py replaced by its .pyc unless it matches
    ``keep``; (compiled, kept as source)."""
    compiled = kept = 0
    entries: list[tuple[zipfile.ZipInfo, bytes]] = []
    with zipfile.ZipFile(path) as source:
        for info in source.infolist():
            data = source.read(info)
            if any(fnmatch(info.filename, pattern) for pattern in keep):
                kept += 1
            elif info.filename.endswith(".py"):
                try:
                    data = pyc_bytes(data, prefix + info.filename)
                except (SyntaxError, ValueError):
                    kept += 1
                else:
                    info = _renamed(info, info.filename + "c")
                    compiled += 1
            entries.append((info, data))
    record = next((i for i, (info, _) in enumerate(entries) if _is_record(info.filename)), None)
    if record is not None:
        info, _ = entries[record]
        lines = [_record_line(i.filename, d) for i, d in entries if i is not info]
        lines.append(f"{info.filename},,")
        entries[record] = (info, ("\n".join(lines) + "\n").encode())
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for info, data in entries:
            archive.writestr(info, data, zipfile.ZIP_STORED)
    path.write_bytes(buffer.getvalue())
    return compiled, kept


def _renamed(info: zipfile.ZipInfo, name: str) -> zipfile.ZipInfo:
    renamed = zipfile.ZipInfo(name, date_time=info.date_time)
    renamed.external_attr = info.external_attr
    return renamed


def _is_record(name: str) -> bool:
    parts = name.split("/")
    return len(parts) == 2 and parts[0].endswith(".dist-info") and parts[1] == "RECORD"


def compile_bundle(directory: str, names: list[str], keep: list[str]) -> str:
    """Compile each named archive in ``directory``: the stdlib zip and the wheels, except files
    matching ``keep``. A summary line per archive comes back for the build's log."""
    major, minor = sys.version_info[:2]
    report = []
    for name in names:
        is_stdlib = not name.endswith(".whl")
        prefix = (STDLIB_PREFIX if is_stdlib else SITE_PACKAGES).format(major, minor)
        compiled, kept = compile_archive(Path(directory) / name, prefix, keep)
        report.append(f"{name}: {compiled} compiled, {kept} kept as source")
    return "\n".join(report)
