"""Which tests pytest-xdist must run on one worker (``make test``: ``-n 2 --dist loadgroup``).

pytest-xdist groups the tests of one ``xdist_group`` by appending ``@<group>`` to their node ids
in each worker, but since pytest 9 a node id is no longer read from the attribute it sets, so
the groups silently fall apart: every test is scheduled alone, a browser module's pages are
opened on both workers and a shared demo server starts on both. The scheduler below groups by
the node id itself, which the controller receives from the workers:

- a browser module's tests (``tests/browser/``) run on one worker, in collection order (they
  come last, see ``tests/conftest.py``), so its module-scoped pages open once;
- a test whose parameter id starts with a demo server's name (``server_param``:
  ``[flask-gunicorn]``, ``[flask-gunicorn-auth]``) runs on the worker of that server's other
  tests, so the shared server (``demo_servers``) starts once;
- except the parity test's two engines (``ONE_TEST_PER_UNIT``), minutes each, which run on
  two workers at once;
- every other test is scheduled on its own, as with pytest-xdist's ``load``.

The browser units come last and are the longest of the stage (one to two minutes each), so
they are queued longest first (``BROWSER_ORDER``, measured): the last ones to start are the
short ones, and no worker is left running a long unit alone at the end. In collection order
the readable-site module (2.5 minutes) started last and ran about a minute past the others.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from xdist.scheduler import LoadScopeScheduling

from verified_guide.servers import DEMO_SERVERS, SOCKET_SERVERS

#: Browser modules whose tests each hold a whole engine's run (test_parity: one test per
#: engine, minutes each): the engines run on two workers at once instead of one after another.
ONE_TEST_PER_UNIT = frozenset({"tests/browser/test_parity.py"})
#: Browser modules by their time in the parallel stage, longest first (seconds of one run on
#: 2 quiet cores, three workers: parity 93 + 63, live demo 113, readable 95, decision guide 30,
#: sockets 9; then the live demo and readable modules lost about 30 s each); a module not
#: listed comes after these.
BROWSER_ORDER = (
    "tests/browser/test_parity.py",
    "tests/browser/test_live_demo.py",
    "tests/browser/test_readable.py",
    "tests/browser/test_decision_guide.py",
    "tests/browser/test_live_sockets.py",
)


def browser_rank(path: str) -> int:
    """Where a browser module's tests are queued (``BROWSER_ORDER``, longest first)."""
    return BROWSER_ORDER.index(path) if path in BROWSER_ORDER else len(BROWSER_ORDER)


def group_of(nodeid: str) -> str:
    """The scheduling unit of a test: its group's name, or its own node id."""
    path, _, rest = nodeid.partition("::")
    params = rest.partition("[")[2].removesuffix("]")
    if path in ONE_TEST_PER_UNIT:
        return nodeid
    if path.startswith("tests/browser/"):
        return f"browser-{PurePosixPath(path).stem}"
    # Longest name first: ``flask-gunicorn-threads-...`` is that server's, not ``flask-gunicorn``'s.
    for name in sorted([*DEMO_SERVERS, *SOCKET_SERVERS], key=len, reverse=True):
        if params == name or params.startswith(f"{name}-"):
            return f"demo-server-{name}"
    return nodeid


class GroupScheduling(LoadScopeScheduling):
    """pytest-xdist's scope scheduling with ``group_of`` as the scope, units in collection
    order (never largest first: the browser tests must stay last on their worker)."""

    def _split_scope(self, nodeid: str) -> str:
        return group_of(nodeid)
