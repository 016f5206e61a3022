"""The DOCX package's members, deflated for `format/ziparchive.py` to frame: zipfile would
deflate every member for every report, where the fixed ones are deflated once per process
(`report.docx`) and only the two per report (document.xml deflated, the half-kilobyte core.xml
stored) here. Fixed timestamp (1980-01-01), fixed order: the same data gives the same bytes."""

from __future__ import annotations

# stored: the half-kilobyte core.xml, where setting up a deflate (7 µs with ISA-L, 10 with zlib)
# would cost more than the 150 bytes it saves
from xxgk.format.ziparchive import DEFLATED, Entry, Records, archive, records, stored

try:  # ISA-L's deflate: four times zlib's speed on document.xml, larger (see `_deflate`)
    from isal import isal_zlib as _zlib

    _LEVEL, FIXED_LEVEL = 0, 1
except ImportError:  # pragma: no cover - a platform without its wheel: zlib, a little slower
    import zlib as _zlib  # type: ignore[no-redef]

    _LEVEL = FIXED_LEVEL = 3


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
    return name.encode("ascii"), _zlib.crc32(payload), packed, len(payload), DEFLATED


__all__ = ["Entry", "Records", "archive", "deflated", "records", "stored"]
