"""Files shipped inside the package (the schema, the report's assets, the bundled example).

Read from beside the modules when the package is installed as files, as pip installs it:
importlib.resources, which also reads a zipped install, took 8.5 ms of every `xxgk convert`'s
start here (it imports tempfile and zipfile), and is imported only for such an install.
"""

from __future__ import annotations

import importlib
from pathlib import Path


def packaged_bytes(package: str, *parts: str) -> bytes:
    """The bytes of the file `parts` (a path relative to the package `package`)."""
    module = importlib.import_module(package)  # the caller's own package: imported already
    if module.__file__ is not None:
        beside = Path(module.__file__).parent.joinpath(*parts)
        if beside.is_file():
            return beside.read_bytes()
    from importlib import resources  # a zipped install

    return resources.files(package).joinpath(*parts).read_bytes()
