"""The async-database measurement: `measure` writes the result file, `check` validates it.

The code is `verified_guide.async_database`, which the async_database page renders from.
"""

import sys

from verified_guide.async_database import main

if __name__ == "__main__":
    sys.exit(main())
