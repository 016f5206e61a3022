"""The manifest of a summed report as the bytes `xxgk aggregate` writes, each entry made as it
is written and the bytes handed on a slice at a time: for 5,000 inputs, the entries as dicts and
the encoder's pieces in one list took 4 MB at once, the whole file's bytes 0.6 MB, held while
the workbook was made (issue 16: peak memory flat in the number of inputs)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

from xxgk.aggregate.sums import Aggregate, Entry
from xxgk.format.clean import clean_data


class _Made(list[Any]):
    """Entries' dicts as json's Python encoder takes a list: its length, then each dict made
    (and cleaned) when it is reached. For that encoder only: the C one reads a list's items."""

    def __init__(self, entries: Sequence[Entry]) -> None:
        super().__init__()
        self._entries = entries

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[Any]:
        return (clean_data(e.to_dict()) for e in self._entries)


_SLICE = 1 << 16


def manifest_pieces(agg: Aggregate, outputs: Sequence[str] = ()) -> Iterator[bytes]:
    """`json.dumps(clean_data(agg.manifest(outputs)), ensure_ascii=False, indent=2) + "\\n"`,
    in UTF-8, in slices of about 64 KB, each made when it is asked for."""
    made = agg.manifest(outputs, entries=_Made)
    # clean_data of the whole would walk the entries (all at once): each is cleaned as made
    doc = {k: v if isinstance(v, _Made) else clean_data(v) for k, v in made.items()}
    out = bytearray()
    # with an indent, json encodes in Python, taking a list's items by iterating it
    for piece in json.JSONEncoder(ensure_ascii=False, indent=2).iterencode(doc):
        out += piece.encode("utf-8")
        if len(out) >= _SLICE:
            yield bytes(out)
            out.clear()
    out += b"\n"
    yield bytes(out)
