"""pytest plugin: random secrets (and an upload folder and a data folder) for this test
session, set before anything imports a snippet.

Loaded with ``-p`` (pyproject's addopts) so it runs before pytest-django reads the settings
and before any test module imports a snippet; servers started by tests inherit the
environment. A variable already set (a reader's own ``.env``) is kept.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

from verified_guide.secret_env import throwaway_secrets

for _name, _value in throwaway_secrets().items():
    os.environ.setdefault(_name, _value)

# The uploads topic writes every accepted file under GUIDE_UPLOAD_DIR: one folder per session,
# removed at its end, so concurrent runs never share files and nothing is left in /tmp.
if "GUIDE_UPLOAD_DIR" not in os.environ:
    os.environ["GUIDE_UPLOAD_DIR"] = tempfile.mkdtemp(prefix="guide-uploads-")
    atexit.register(shutil.rmtree, os.environ["GUIDE_UPLOAD_DIR"], ignore_errors=True)

# Without GUIDE_DATABASE_URL the database snippets use a SQLite file under XDG_DATA_HOME (else
# ~/.local/share): the reader's own data. A test process gets an empty folder instead, removed
# at its end, so no run reads rows an earlier one left (or writes into the reader's).
_data_home = tempfile.mkdtemp(prefix="guide-data-")
os.environ["XDG_DATA_HOME"] = _data_home
atexit.register(shutil.rmtree, _data_home, ignore_errors=True)
