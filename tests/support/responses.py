"""Where the browser tests import the comparison from; it lives in ``verified_guide/cases.py``, with
the rest of sending a case, since the benchmark's endpoint check (outside ``tests/``) uses it."""

from verified_guide.cases import Observed, mismatches

__all__ = ["Observed", "mismatches"]
