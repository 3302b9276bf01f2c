"""Send hostile requests through any sender and tally the answers."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from hypothesis import given, settings

from tests.hostile.inputs import HostileRequest, Template, hostile_requests
from tests.hostile.verdict import Answer, Tally

#: None: the client refused to put the request on the wire, so no server saw it (not counted).
Send = Callable[[HostileRequest], Answer | None]


def timed(send: Callable[[HostileRequest], tuple[int, bytes]]) -> Send:
    """Wrap a sender returning (status, body); an exception becomes an answer, not a crash,
    so one bad route does not hide the rest of the run."""

    def answer(request: HostileRequest) -> Answer:
        started = time.perf_counter()
        try:
            status, body = send(request)
        except Exception as exc:  # the app raised instead of answering: a 500 to a real client
            return Answer(500, b"", time.perf_counter() - started, f"{type(exc).__name__}: {exc}")
        return Answer(status, body, time.perf_counter() - started)

    return answer


def run_fixed(send: Send, requests: Iterable[HostileRequest], tally: Tally) -> None:
    for request in requests:
        answer = send(request)
        if answer is not None:
            tally.record(request, answer)


def run_generated(
    send: Send,
    templates: list[Template],
    tally: Tally,
    examples: int,
    tokens: list[bytes],
    cookies: list[bytes],
) -> None:
    """``examples`` requests drawn by Hypothesis from the templates' mutations.

    Failures are tallied, not raised: the run goes on so the report counts every fault,
    and the test names them all at the end.
    """

    @settings(settings.get_profile("hostile"), max_examples=examples)
    @given(hostile_requests(templates, tokens, cookies))
    def attack(request: HostileRequest) -> None:
        answer = send(request)
        if answer is not None:
            tally.record(request, answer)

    attack()


def failure_message(where: str, tally: Tally) -> str:
    counts = tally.counts
    return (
        f"{where}: {counts['failed']} of {counts['sent']} hostile requests failed "
        f"(5xx {counts['5xx']}, hangs {counts['hangs']}, leaks {counts['leaks']}):\n  "
        + "\n  ".join(tally.failures)
    )
