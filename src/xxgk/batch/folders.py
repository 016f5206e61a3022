"""Where a batch's files really are, and the folders it searches walked: for discovery
(batch/discover.py), which looks at every file of a county's folder and at every output an
earlier run there listed, so that each system call saved is saved a thousand times."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from xxgk.batch.summary import plain_name


def resolved(path: Path) -> str:
    return os.path.normcase(str(path.resolve()))


def real_files(folder: Path, names: Iterable[str]) -> set[str]:
    """`{resolved(folder / name) for name in names}`, the folder resolved once: on POSIX only a
    name that is a symbolic link there (one listing of the folder tells) is resolved whole.
    Resolving each of the 3,000 outputs that an earlier run over 1,000 inputs lists, component
    by component, took longer than the rest of discovery (0.1 s) when a run went again."""
    links: set[str] | None = None
    if os.name == "posix":
        with contextlib.suppress(OSError), os.scandir(folder) as entries:
            links = {entry.name for entry in entries if entry.is_symlink()}
    if links is None:
        return {resolved(folder / name) for name in names}
    real = str(folder.resolve())
    return {
        resolved(folder / name)
        if name in links or not plain_name(name)
        else os.path.join(real, name)
        for name in names
    }


class RealPaths:
    """`str(Path(p).resolve())` of many files, each folder's real path worked out once: on
    POSIX a file that is not a symbolic link lies in its folder's real path; anything else is
    resolved whole. Resolving every input whole (seven system calls each), three times over,
    took 0.1 s of a run over 1,000 inputs before its workers started."""

    def __init__(self) -> None:
        self._folders: dict[str, str] = {}

    def __call__(self, path: Path | str, link: bool | None = None) -> str:
        """`link`: whether the file is a symbolic link, where a folder's listing told."""
        text = os.fspath(path)
        head, name = os.path.split(text)
        if os.name != "posix" or name in ("", ".", ".."):
            return str(Path(text).resolve())
        if link if link is not None else os.path.islink(text):
            return str(Path(text).resolve())
        real = self._folders.get(head)
        if real is None:
            real = self._folders[head] = str(Path(head or os.curdir).resolve())
        return os.path.join(real, name)


def walk(
    top: str, onerror: Callable[[OSError], None]
) -> Iterator[tuple[str, list[str], list[os.DirEntry[str]]]]:
    """`os.walk(top, onerror=onerror)` (top down, the caller may prune the folder names, links
    to folders not followed), giving the files' entries: whether a file is a symbolic link is
    then known from the listing, not asked of the system for each of a thousand files."""
    try:
        with os.scandir(top) as listing:
            entries = list(listing)
    except OSError as exc:
        onerror(exc)
        return
    folders: dict[str, os.DirEntry[str]] = {}
    files = []
    for entry in entries:
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        if is_dir:
            folders[entry.name] = entry
        else:
            files.append(entry)
    names = list(folders)
    yield top, names, files
    for name in names:
        if not is_link(folders[name]):
            yield from walk(os.path.join(top, name), onerror)


def is_link(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_symlink()
    except OSError:
        return True  # resolved whole, as if it were one
