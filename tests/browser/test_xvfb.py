"""The private Xvfb display behind the WebKitGTK tests and `make measure-live`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from scripts.live.xvfb import XvfbError, _read_display, private_display
from tests.conftest import require_tool

# Writes a display number as Xvfb does, in more than one write, and fails if a write fails.
SLOW_WRITER = """
import os, sys, time
fd = int(sys.argv[1])
os.write(fd, b"1"); time.sleep(0.3); os.write(fd, b"2"); time.sleep(0.3); os.write(fd, b"\\n")
"""


def test_display_number_is_read_to_the_end_so_no_write_fails() -> None:
    """The fixture once closed the pipe after its first read: a later write then failed (EPIPE),
    and Xvfb exited with "Cannot write display number to fd"."""
    read, write = os.pipe()
    writer = subprocess.Popen([sys.executable, "-c", SLOW_WRITER, str(write)], pass_fds=[write])
    os.close(write)
    assert _read_display(read) == "12"
    assert writer.wait(timeout=10) == 0


def test_private_display_is_up_while_in_use_and_gone_after() -> None:
    xvfb = require_tool("Xvfb", "apt-get install xvfb")
    with private_display(xvfb) as display:
        socket = Path(f"/tmp/.X11-unix/X{display.removeprefix(':')}")
        assert socket.exists()
    assert not socket.exists()


def test_an_xvfb_that_exits_fails_with_a_message() -> None:
    with pytest.raises(XvfbError, match="did not start"), private_display("false"):
        pass  # pragma: no cover - never reached
