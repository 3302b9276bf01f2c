"""A private X display for WebKitGTK (the parity test and `make measure-live`), on Xvfb.

Xvfb picks a free display number itself and reports it on the fd given with ``-displayfd``, so
concurrent runs (pytest-xdist workers, other sessions) never race for one.
"""

from __future__ import annotations

import os
import select
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# How long Xvfb may take to report its display and open its socket (well under 1 s when idle).
XVFB_SECONDS = 30


class XvfbError(RuntimeError):
    """Xvfb did not start; the message holds what it printed."""


def _read_display(read: int) -> str:
    """The display number Xvfb writes to its -displayfd, read to the end; closes ``read``.

    Xvfb writes the number and its newline in two writes, then closes the fd. Closing the
    pipe after the first read (as the WebKit fixture once did) could make the second write fail
    under load, and Xvfb then exits with "Cannot write display number to fd"; a number of two
    digits could also arrive in two reads. So read until end of file, which Xvfb's close (or
    exit) gives, or until XVFB_SECONDS have passed.
    """
    chunks = []
    deadline = time.monotonic() + XVFB_SECONDS
    try:
        while select.select([read], [], [], max(0.0, deadline - time.monotonic()))[0]:
            if not (chunk := os.read(read, 64)):
                break
            chunks.append(chunk)
    finally:
        os.close(read)
    return b"".join(chunks).decode(errors="replace").strip()


@contextmanager
def private_display(xvfb: str = "Xvfb") -> Iterator[str]:
    """``":N"`` for a fresh 1280x960 Xvfb display while the block runs; stopped at its end.

    Raises XvfbError, with Xvfb's own output, when it exits or never opens its socket (a
    WebKitWebDriver pointed at such a display would wait for a browser that never starts)."""
    read, write = os.pipe()
    with tempfile.TemporaryFile() as stderr:
        server = subprocess.Popen(
            [xvfb, "-displayfd", str(write), "-screen", "0", "1280x960x24", "-nolisten", "tcp"],
            pass_fds=[write], stderr=stderr,
        )  # fmt: skip
        os.close(write)
        try:
            display = _read_display(read)
            socket = Path(f"/tmp/.X11-unix/X{display}")
            deadline = time.monotonic() + XVFB_SECONDS
            while display.isdigit() and not socket.exists() and time.monotonic() < deadline:
                time.sleep(0.1)
            if not (display.isdigit() and socket.exists() and server.poll() is None):
                stderr.seek(0)
                said = stderr.read().decode(errors="replace")[-2000:]
                raise XvfbError(f"Xvfb did not start (it reported {display!r}):\n{said}")
            yield f":{display}"
        finally:
            server.terminate()
            server.wait(timeout=30)
