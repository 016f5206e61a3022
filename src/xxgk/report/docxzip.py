"""The DOCX package as a ZIP archive, written directly: zipfile would deflate every member for
every report, where the fixed ones are deflated once per process (`report.docx`) and only the
two per report (document.xml deflated, the half-kilobyte core.xml stored) here. Fixed
timestamp (1980-01-01), fixed order: the same data gives the same bytes."""

from __future__ import annotations

import struct

try:  # ISA-L's deflate: four times zlib's speed on document.xml, larger (see `_deflate`)
    from isal import isal_zlib as _zlib

    _LEVEL, FIXED_LEVEL = 0, 1
except ImportError:  # pragma: no cover - a platform without its wheel: zlib, a little slower
    import zlib as _zlib  # type: ignore[no-redef]

    _LEVEL = FIXED_LEVEL = 3

_DOS_TIME, _DOS_DATE = 0, (0 << 9) | (1 << 5) | 1
_EXTERNAL_ATTR = 0o100644 << 16

Entry = tuple[bytes, int, bytes, int, int]  # name, crc, data as stored, size, method
# an entry's local header with its name and data; its central record up to the offset; name
Records = tuple[bytes, bytes, bytes]
_STORED, _DEFLATED = 0, 8


def _deflate(payload: bytes, level: int) -> bytes:
    # On an 87 KB document.xml (bench/render_speed_bench.py --deflate): ISA-L's level 0 0.041 ms
    # CPU to 10.7 KB, its level 1 0.052 ms to 8.7 KB, its level 3 five times level 0's time for
    # 8.5 KB; zlib's level 3 0.28 ms to 8.1 KB. The 2 KB that level 0 adds to a file cost far
    # less to write than the 11 µs it saves. One call (no compressobj): a raw stream (wbits
    # -15), as a zip member holds it.
    return _zlib.compress(payload, level, -15)


def deflated(name: str, payload: bytes, fixed: bool = False) -> Entry:
    """A member deflated: the report's document.xml at the fastest level, the package's fixed
    parts (`fixed`: deflated once per process) a little smaller."""
    packed = _deflate(payload, FIXED_LEVEL if fixed else _LEVEL)
    return name.encode("ascii"), _zlib.crc32(payload), packed, len(payload), _DEFLATED


def stored(name: str, payload: bytes) -> Entry:
    """A member kept as it is: for the half-kilobyte core.xml, setting up a deflate (7 µs with
    ISA-L, 10 with zlib) costs more than the 150 bytes it would save."""
    return name.encode("ascii"), _zlib.crc32(payload), payload, len(payload), _STORED


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
