"""Fetch the bundle's wheels for the Pyodide platform from PyPI.

Pure-Python and `pyemscripten_*` wheels come straight from PyPI with pip (the venv has no pip,
so a pinned pip runs through uvx). A distribution with neither (markupsafe: CPython-only C
speedups) is rebuilt from its sdist as a pure-Python wheel, using the fallback it ships.
"""

from __future__ import annotations

import base64
import email.parser
import hashlib
import subprocess
import tarfile
import tempfile
import zipfile
from fnmatch import fnmatch
from pathlib import Path

PIP = ["uvx", "--from", "pip==24.2", "pip"]


def download_wheels(pins: dict[str, str], config: dict, dest: Path) -> None:
    """Download binary wheels (pure or for Pyodide's platform) of exactly the pinned versions."""
    if not pins:
        return
    command = [
        *PIP, "download", "--no-deps", "--only-binary=:all:", "--dest", str(dest),
        "--platform", config["platform"], "--python-version", config["python_version"],
        "--implementation", "cp", "--abi", config["abi"],
        *(f"{name}=={version}" for name, version in sorted(pins.items())),
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(
            "live bundle: a wheel for Pyodide is missing; add the distribution to pure_from_sdist"
            f" or exclude in verified_guide/live/bundle.yaml.\n{result.stdout[-3000:]}"
            f"{result.stderr[-3000:]}"
        )


def build_pure_from_sdist(name: str, version: str, dest: Path) -> Path:
    """Build a py3-none-any wheel from the sdist's Python files only (its C speedups left out)."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        subprocess.run(
            [*PIP, "download", "--no-deps", "--no-binary=:all:", "--dest", str(work),
             f"{name}=={version}"],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        sdist = next(work.glob("*.tar.gz"))
        with tarfile.open(sdist) as archive:
            archive.extractall(work, filter="data")
        source = next(p for p in work.iterdir() if p.is_dir())
        metadata = (source / "PKG-INFO").read_text(encoding="utf-8")
        dist_name = email.parser.Parser().parsestr(metadata)["Name"].replace("-", "_").lower()
        package_root = source / "src" if (source / "src").is_dir() else source
        files = {
            path.relative_to(package_root).as_posix(): path.read_bytes()
            for path in sorted((package_root / dist_name).rglob("*"))
            if path.suffix in {".py", ".pyi", ".typed"}
        }
        return _write_wheel(dest, dist_name, version, metadata, files)


def slim_wheel(directory: Path, name: str, drop: list[str], keep: list[str]) -> None:
    """Rewrite a downloaded wheel without the files matching `drop` (unless they match `keep`),
    and its RECORD without their lines: e.g. Django's translation sources (.po, never read at run
    time) and catalogs of languages the demo never activates, most of its 7.8 MB."""
    wheel = next(directory.glob(f"{name.replace('-', '_')}-*.whl"), None)
    if wheel is None:
        raise SystemExit(f"live bundle: slim names {name}, which is not in the bundle")

    def gone(path: str) -> bool:
        return any(fnmatch(path, p) for p in drop) and not any(fnmatch(path, p) for p in keep)

    with zipfile.ZipFile(wheel) as source:
        infos = source.infolist()
        entries = [(info, source.read(info)) for info in infos if not gone(info.filename)]
    dropped = {info.filename for info in infos if gone(info.filename)}
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in entries:
            if info.filename.endswith(".dist-info/RECORD"):
                lines = data.decode().splitlines(keepends=True)
                data = "".join(ln for ln in lines if ln.split(",")[0] not in dropped).encode()
            archive.writestr(info, data, zipfile.ZIP_DEFLATED)


def _write_wheel(
    dest: Path, dist_name: str, version: str, metadata: str, files: dict[str, bytes]
) -> Path:
    """Write a minimal valid wheel (METADATA, WHEEL, RECORD): enough for pyodide-lock."""
    info = f"{dist_name}-{version}.dist-info"
    files = {
        **files,
        f"{info}/METADATA": metadata.encode(),
        f"{info}/WHEEL": b"Wheel-Version: 1.0\nGenerator: verified-guide\n"
        b"Root-Is-Purelib: true\nTag: py3-none-any\n",
    }
    record = [f"{path},sha256={_digest(data)},{len(data)}" for path, data in files.items()]
    record.append(f"{info}/RECORD,,")
    files[f"{info}/RECORD"] = ("\n".join(record) + "\n").encode()
    wheel = dest / f"{dist_name}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, data in files.items():
            archive.writestr(zipfile.ZipInfo(path, date_time=(1980, 1, 1, 0, 0, 0)), data)
    return wheel


def _digest(data: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
