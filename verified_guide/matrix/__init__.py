"""The version matrix: every topic's cases against each supported release line of each framework.

``docs/data/versions.yaml`` names the lines and their pins (``config``); ``envs`` installs each
line into its own virtual environment from PyPI with uv; ``run`` runs the in-process cases there
and writes ``docs/data/matrix.json``; ``page`` renders that file on the topic pages.
"""
