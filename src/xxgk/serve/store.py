"""The county store under `--data`: named collections of agencies' reports that survive a
restart.

    DATA/collections/<id>/index.json      what the collection holds (written atomically)
    DATA/collections/<id>/files/<id>.xlsx  each stored upload, under a generated name

No name a user gives ever becomes a path: collection and file ids are generated hex strings,
checked against that form before any path is made from them. A stored file is written whole
(temp file, then rename) before the index names it, and the file it replaces is deleted only
after the new index is on disk, so an upload that fails or is interrupted leaves nothing half
stored and loses nothing that was there before.
"""

from __future__ import annotations

import contextlib
import json
import re
import secrets
import threading
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from xxgk.check.years import normalise_agency
from xxgk.files.atomic import TEMP_PREFIX, write_atomic

INDEX = "index.json"
INDEX_KIND = "xxgk-serve-collection"
_ID = re.compile(r"^[0-9a-f]{32}$")
MAX_COLLECTION_NAME = 80
MAX_EXPECTED = 5000


def new_id() -> str:
    return secrets.token_hex(16)


def valid_id(value: str) -> bool:
    return bool(_ID.fullmatch(value))


def now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


@dataclass
class StoredFile:
    id: str
    name: str  # the uploaded file's name, for display only
    suffix: str
    uploaded_at: str
    size: int
    agency: str  # "" when the file could not be read
    year: int | None
    status: str  # passed | warnings | errors | unreadable
    errors: int = 0
    warnings: int = 0
    first_problem: str = ""

    @property
    def key(self) -> tuple[str, ...]:
        """Which earlier upload a new one replaces: the same agency and year; a file that
        could not be read, by its name."""
        if self.agency:
            return ("agency", normalise_agency(self.agency), str(self.year))
        return ("name", self.name)


@dataclass
class Collection:
    id: str
    name: str
    created: str
    expected: list[str] = field(default_factory=list)
    files: list[StoredFile] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["kind"] = INDEX_KIND
        out["version"] = 1
        return out

    def file(self, fid: str) -> StoredFile | None:
        return next((f for f in self.files if f.id == fid), None)


def _collection(doc: dict[str, Any]) -> Collection:
    files = [StoredFile(**f) for f in doc.get("files", [])]
    return Collection(doc["id"], doc["name"], doc["created"], list(doc.get("expected", [])), files)


class StoreError(Exception):
    """The store could not be written; the message is Chinese."""


class Store:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.base = self.root / "collections"
        self.lock = threading.RLock()
        self.collections: dict[str, Collection] = {}
        self.base.mkdir(parents=True, exist_ok=True)
        self._load()

    # -- paths -----------------------------------------------------------------------------
    def folder(self, cid: str) -> Path:
        if not valid_id(cid):
            raise KeyError(cid)
        return self.base / cid

    def file_path(self, cid: str, f: StoredFile) -> Path:
        if not valid_id(f.id):
            raise KeyError(f.id)
        return self.folder(cid) / "files" / (f.id + f.suffix)

    # -- loading: at start, what is on disk ------------------------------------------------
    def _load(self) -> None:
        for sub in sorted(self.base.iterdir()):
            index = sub / INDEX
            if not (sub.is_dir() and valid_id(sub.name) and index.is_file()):
                continue
            try:
                doc = json.loads(index.read_text("utf-8"))
                col = _collection(doc)
            except (OSError, ValueError, KeyError, TypeError):
                continue  # not ours, or damaged: left alone, never deleted
            if col.id != sub.name:
                continue
            self.collections[col.id] = col
            self._tidy(col)

    def _tidy(self, col: Collection) -> None:
        """Remove what an upload cut short left behind: temp files, and stored files that no
        index names (written, but the server stopped before the index was)."""
        files = self.folder(col.id) / "files"
        if not files.is_dir():
            return
        named = {f.id + f.suffix for f in col.files}
        for p in files.iterdir():
            if p.is_file() and (p.name.startswith(TEMP_PREFIX) or p.name not in named):
                with contextlib.suppress(OSError):
                    p.unlink()

    def _save(self, col: Collection) -> None:
        payload = json.dumps(col.to_json(), ensure_ascii=False, indent=1).encode("utf-8")
        try:
            write_atomic(self.folder(col.id) / INDEX, payload)
        except OSError as exc:
            raise StoreError(f"无法保存到数据文件夹 {self.root}：{exc.strerror or exc}") from exc

    # -- changes ---------------------------------------------------------------------------
    def create(self, name: str) -> Collection:
        col = Collection(new_id(), name, now())
        with self.lock:
            self._save(col)
            self.collections[col.id] = col
        return col

    def get(self, cid: str) -> Collection | None:
        return self.collections.get(cid) if valid_id(cid) else None

    def set_expected(self, col: Collection, names: list[str]) -> None:
        with self.lock:
            old = col.expected
            col.expected = names
            try:
                self._save(col)
            except StoreError:
                col.expected = old
                raise

    def put_bytes(self, col: Collection, fid: str, suffix: str, data: bytes) -> Path:
        """Write an upload's bytes whole under its generated name (not yet in the index)."""
        path = self.folder(col.id) / "files" / (fid + suffix)
        try:
            write_atomic(path, data)
        except OSError as exc:
            raise StoreError(f"无法保存到数据文件夹 {self.root}：{exc.strerror or exc}") from exc
        return path

    def add(self, col: Collection, entry: StoredFile) -> StoredFile | None:
        """Name the written file in the index, replacing the same agency's earlier upload of
        the same year; that one's file goes only once the new index is saved. Returns it."""
        with self.lock:
            old = next((f for f in col.files if f.key == entry.key), None)
            before = list(col.files)
            col.files = [f for f in col.files if f is not old] + [entry]
            try:
                self._save(col)
            except StoreError:
                col.files = before
                with contextlib.suppress(OSError):
                    self.file_path(col.id, entry).unlink()
                raise
            if old is not None:
                with contextlib.suppress(OSError):
                    self.file_path(col.id, old).unlink()
            return old

    def discard(self, col: Collection, fid: str, suffix: str) -> None:
        with contextlib.suppress(OSError, KeyError):
            (self.folder(col.id) / "files" / (fid + suffix)).unlink()
