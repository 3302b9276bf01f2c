"""Request ids and JSON log lines, shared by the three apps of this topic.

The id a client or proxy sends in X-Request-ID is reused only when it is short and plain
ASCII, since it ends up in a response header and in every log line of the request; anything
else (too long, spaces, newlines, non-ASCII) is replaced by a fresh one.
"""

import json
import logging
import re
import uuid
from contextvars import ContextVar

HEADER = "X-Request-ID"
SAFE_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
# The current request's id, for the log formatter: each request (thread or task) has its own.
current_id: ContextVar[str] = ContextVar("request_id", default="-")


def accept_request_id(incoming: str | None) -> str:
    """The incoming id when it is safe to echo and log, else a new random one."""
    if incoming is not None and SAFE_ID.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


# The attributes every LogRecord has; anything else came in through extra={...}.
_STANDARD = {*vars(logging.makeLogRecord({})), "message", "asctime"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: newlines or quotes in a value cannot forge a second line."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": current_id.get(),
        }
        entry.update((k, v) for k, v in vars(record).items() if k not in _STANDARD)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def json_logger(name: str) -> logging.Logger:
    """A logger writing JSON lines to stderr. An app would configure the root logger this
    way once (dictConfig); here each topic app gets its own, so other topics' logs stay as
    they are."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger(name)
    logger.handlers[:] = [handler]
    logger.setLevel(logging.INFO)
    logger.propagate = False
    return logger
