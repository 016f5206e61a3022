"""A ZIP archive written directly, as bytes: fixed timestamp (1980-01-01), members in the
order given, so that the same members give the same bytes. Deflating is the caller's (the
DOCX renderer deflates with ISA-L); this module only frames what it is given.

zipfile would do it too, but importing it (with shutil, threading, bz2 and lzma) cost
`xxgk validate` a sixth of its start (issue 16), for the one tiny workbook the reader writes
to ask python-calamine about styles (`workbook/cellscan.py`).
"""

from __future__ import annotations

import struct
import zlib

_DOS_TIME, _DOS_DATE = 0, (0 << 9) | (1 << 5) | 1
_EXTERNAL_ATTR = 0o100644 << 16

Entry = tuple[bytes, int, bytes, int, int]  # name, crc, data as stored, size, method
# an entry's local header with its name and data; its central record up to the offset; name
Records = tuple[bytes, bytes, bytes]
STORED, DEFLATED = 0, 8


def stored(name: str, payload: bytes) -> Entry:
    """A member kept as it is (method 0)."""
    return name.encode("ascii"), zlib.crc32(payload), payload, len(payload), STORED


def records(entry: Entry) -> Records:
    """An entry's local header with its name and data, and its central directory record before
    the offset of that header (the one field that depends on what precedes it), and its name."""
    name, crc, data, size, method = entry
    header = struct.pack(
        "<IHHHHHIIIHH", 0x04034B50, 20, 0, method, _DOS_TIME, _DOS_DATE,
        crc, len(data), size, len(name), 0,
    )  # fmt: skip
    record = struct.pack(
        "<IHHHHHHIIIHHHHHI", 0x02014B50, 0x0314, 20, 0, method, _DOS_TIME, _DOS_DATE,
        crc, len(data), size, len(name), 0, 0, 0, 0, _EXTERNAL_ATTR,
    )  # fmt: skip
    return header + name + data, record, name


def archive(entries: list[Records]) -> bytes:
    """The archive of `entries`, in that order."""
    out: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for local, record, name in entries:
        central += (record, struct.pack("<I", offset), name)
        out.append(local)
        offset += len(local)
    directory = b"".join(central)
    end = struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(directory), offset, 0
    )
    out += (directory, end)
    return b"".join(out)
