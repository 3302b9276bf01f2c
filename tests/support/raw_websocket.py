"""A WebSocket client that reads nothing after the handshake: the client of a flood.

A client library reads every reply for us (the ``websockets`` client keeps reading into its
own buffer), so it cannot show what a server does with a client that stops reading. This one
writes frames on a plain socket and never reads them back.
"""

from __future__ import annotations

import base64
import json
import os
import socket
import struct
from collections.abc import Iterable

#: How long a send may block before the client counts the server as no longer reading.
BLOCKED_S = 3.0


def _masked_frame(opcode: int, data: bytes) -> bytes:
    """One final masked frame, as a client must send it (RFC 6455, section 5.3)."""
    mask, size = os.urandom(4), len(data)
    if size < 126:
        header = struct.pack("!BB", 0x80 | opcode, 0x80 | size)
    elif size < 1 << 16:
        header = struct.pack("!BBH", 0x80 | opcode, 0x80 | 126, size)
    else:
        header = struct.pack("!BBQ", 0x80 | opcode, 0x80 | 127, size)
    key = int.from_bytes((mask * (size // 4 + 1))[:size])
    return header + mask + (int.from_bytes(data) ^ key).to_bytes(size)


def text_frame(text: str) -> bytes:
    """One masked text frame."""
    return _masked_frame(0x1, text.encode())


def close_frame() -> bytes:
    """A client's close frame (1000, a normal closure)."""
    return _masked_frame(0x8, struct.pack("!H", 1000))


def announced_frame_header(size: int) -> bytes:
    """The header of a text frame that says ``size`` bytes follow, with a mask of zeros (so
    the bytes sent after it are the payload as they are)."""
    return struct.pack("!BBQ", 0x81, 0x80 | 127, size) + bytes(4)


class RawWebSocket:
    """A WebSocket connection to ``path`` on 127.0.0.1:``port``, from a page at ``origin``;
    ``socketio`` joins Socket.IO's default namespace first, and frames the echo's event."""

    def __init__(self, port: int, path: str, origin: str, *, socketio: bool) -> None:
        self.socketio = socketio
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=BLOCKED_S)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall(
            f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: {origin}\r\n"
            "Upgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n".encode()
        )
        reply = b""
        while b"\r\n\r\n" not in reply:
            reply += self.sock.recv(4096) or b"\r\n\r\n"  # the server hung up: stop reading
        if not reply.startswith(b"HTTP/1.1 101"):
            self.sock.close()
            raise ConnectionError(f"{path}: the handshake was refused: {reply[:200]!r}")
        if socketio:
            self.sock.sendall(text_frame("40"))

    def echo(self, text: str) -> bytes:
        """The frame of the echo's request for ``text``."""
        if self.socketio:
            return text_frame("42" + json.dumps(["echo", {"message": text}]))
        return text_frame(json.dumps({"message": text}))

    def send_until_refused(self, chunks: Iterable[bytes]) -> tuple[int, str]:
        """Send each chunk until the server stops reading (a send blocks for BLOCKED_S) or
        drops the connection: the bytes it took, and why the sending stopped (``"blocked"``,
        ``"dropped"``, or ``"all sent"``)."""
        taken = 0
        for chunk in chunks:
            try:
                self.sock.sendall(chunk)
            except TimeoutError:
                return taken, "blocked"
            except OSError:  # a reset, a broken pipe
                return taken, "dropped"
            taken += len(chunk)
        return taken, "all sent"

    def close(self) -> None:
        self.sock.close()

    def __enter__(self) -> RawWebSocket:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
