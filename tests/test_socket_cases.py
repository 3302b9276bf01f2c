"""Every socket case of every topic, against every framework's snippet, in-process.

The conversations live under ``sockets:`` in ``snippets/<topic>/cases.yaml``; each goes through
the framework's own socket test client (tests/support/sockets.py) and is judged by
scripts/sockets.py, as the demo servers' and the browser's conversations are. The version
matrix runs it on each release line beside tests/test_cases.py (``GUIDE_CASE_FRAMEWORKS``).
"""

from __future__ import annotations

import pytest

from scripts.sockets import mismatches
from scripts.topics import SocketCase, Topic, all_topics
from tests.support.sockets import converse
from tests.test_cases import ONLY


def _params() -> list:
    params = []
    for topic in all_topics():
        for case in topic.sockets:
            for framework in case.frameworks:
                if ONLY and framework not in ONLY:
                    continue
                claims = topic.meta.claims.get(framework)
                marks = [pytest.mark.claim(*claims)] if claims else []
                name = f"{topic.slug}/{framework}/{case.name}"
                params.append(pytest.param(topic, framework, case, id=name, marks=marks))
    return params


@pytest.mark.parametrize(("topic", "framework", "case"), _params())
def test_socket_case(topic: Topic, framework: str, case: SocketCase) -> None:
    problems = mismatches(case, framework, converse(topic, framework, case))
    snippet = topic.snippet_path(framework).relative_to(topic.folder.parent.parent)
    assert not problems, f"{snippet} fails socket case {case.name!r}:\n  " + "\n  ".join(problems)
