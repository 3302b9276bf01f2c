"""Strict mypy over every snippet: writes the per-framework report the typing page renders.

The code is `verified_guide.typecheck`, which the site build also calls.
"""

from verified_guide.typecheck import main

if __name__ == "__main__":
    main()
