"""Where the browser tests import the comparison from; it lives in ``scripts/cases.py``, with
the rest of sending a case, since the benchmark's endpoint check (outside ``tests/``) uses it."""

from scripts.cases import Observed, mismatches

__all__ = ["Observed", "mismatches"]
