"""What every framework's upload view shares: the type allow-list and writing to disk.

The framework tabs above differ in how they cap the body, parse the form and answer; this
file is the same for all three, so it is shown once.
"""

import codecs
import hashlib
import os
import re
import tempfile
import uuid
from collections.abc import Iterable
from functools import cache
from pathlib import Path

MAX_BYTES = 100 * 1024  # the whole request body, multipart framing included
#: The only extensions accepted, each with the one content type it must be declared as.
ALLOWED_TYPES = {".txt": "text/plain", ".csv": "text/csv", ".md": "text/markdown"}
#: A plain file name: no folder, no "..", not hidden, nothing a shell or a browser reads twice.
SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")


class Rejected(Exception):
    """An upload refused with an HTTP status and a reason the client may see."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status, self.detail = status, detail


@cache
def upload_dir() -> Path:
    """GUIDE_UPLOAD_DIR, else a folder of this process's own in the system's temp dir: never
    the source tree, and never a fixed name in /tmp that another user could create first."""
    if configured := os.environ.get("GUIDE_UPLOAD_DIR"):
        folder = Path(configured) / "uploads"
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        return folder
    return Path(tempfile.mkdtemp(prefix="uploads-"))  # mode 0700, an unguessable name


def check_type(filename: str, content_type: str) -> str:
    """The file's extension, when it and the declared type are on the allow-list; else 415."""
    suffix = Path(filename).suffix.lower()
    if ALLOWED_TYPES.get(suffix) != content_type.partition(";")[0].strip().lower():
        allowed = ", ".join(sorted(ALLOWED_TYPES))
        raise Rejected(415, f"only {allowed} files, sent as their text type, are accepted")
    return suffix


def save(chunks: Iterable[bytes], suffix: str) -> dict[str, object]:
    """Write the chunks under a random name, checking they are text as they pass.

    The client's name is never used as a path. A file that turns out not to be UTF-8 text
    (a renamed binary) is deleted and refused with 415.
    """
    target = upload_dir() / f"{uuid.uuid4().hex}{suffix}"
    decoder = codecs.getincrementaldecoder("utf-8")()
    digest, size = hashlib.sha256(), 0
    try:
        with target.open("xb") as out:
            for chunk in chunks:
                if b"\0" in chunk:
                    raise UnicodeDecodeError("utf-8", chunk, 0, 1, "NUL byte")
                decoder.decode(chunk)
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        target.unlink()
        raise Rejected(415, "the file is not UTF-8 text") from None
    return {"size": size, "sha256": digest.hexdigest()}
