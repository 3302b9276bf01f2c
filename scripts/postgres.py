"""A throwaway PostgreSQL cluster: `run -- <command>` starts one, runs the command, removes it.

The code is `verified_guide.postgres`, which the tests and the benchmark also use.
"""

import sys

from verified_guide.postgres import main

if __name__ == "__main__":
    sys.exit(main())
