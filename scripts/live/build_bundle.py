"""Build the live demos' bundle (Pyodide, wheels, lockfile, editor) when a pin changes.

Prints the bundle's folder, in the user's cache directory. The code is
`verified_guide.live.build_bundle`, which the site's hook also calls.
"""

from verified_guide.live.build_bundle import ensure_bundle

if __name__ == "__main__":
    print(ensure_bundle())
