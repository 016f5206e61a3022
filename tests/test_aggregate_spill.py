"""What `xxgk aggregate` keeps per input on disk or as a hash (aggregate/spill.py) answers as the
lists and sets it replaced would."""

from __future__ import annotations

from xxgk.aggregate.spill import FirstSeen
from xxgk.aggregate.sums import Candidate, Entry
from xxgk.files.spill import Spilled


def test_spilled_reads_back_what_was_appended_by_position_slice_and_in_order() -> None:
    spilled: Spilled[Entry] = Spilled()
    for i, name in enumerate(["甲局", "乙局", "丙局"]):
        spilled.append(Entry(f"{i}.json", name, "included", figures=[i, 0.5], index=i))
    try:
        assert len(spilled) == 3
        assert [e.agency for e in spilled] == ["甲局", "乙局", "丙局"]
        assert spilled[-1].path == "2.json" and spilled[1].figures == [1, 0.5]
        assert [e.index for e in spilled[1:]] == [1, 2]
        # two readers at once (the manifest's and the workbook's loops never nest, but may)
        pairs = [(a.agency, b.agency) for a in spilled for b in spilled if a.index == b.index]
        assert pairs == [("甲局", "甲局"), ("乙局", "乙局"), ("丙局", "丙局")]
    finally:
        spilled.close()


def test_spilled_candidates_keep_what_select_decides_by() -> None:
    spilled: Spilled[Candidate] = Spilled()
    spilled.append(Candidate("a.json", {"agency": {"name": " 甲局 "}, "year": 2024}, 2))
    got = spilled[0]
    spilled.close()
    assert (got.agency, got.year, got.errors, got.readable) == ("甲局", 2024, 2, True)


def test_first_seen_tells_apart_names_of_one_hash_by_reading_them_back() -> None:
    names = ["甲局", "乙局", "甲局", "丙丙", "乙局"]  # all of one hash: their length
    seen = FirstSeen(lambda i: names[i], digest=len)
    got = []
    for i, name in enumerate(names):
        first = seen.get(name)
        got.append(first)
        if first is None:
            seen.add(name, i)
    assert got == [None, None, 0, None, 1]
    assert "丙丙" in seen and seen.get("丙丙") == 3
    assert "丁局" not in seen and seen.get("丁丁丁") is None


def test_appends_after_reads_go_at_the_end() -> None:
    """The list keeps its end itself: a read in between moves the file, not where items go."""
    spilled: Spilled[str] = Spilled()
    try:
        spilled.append("甲")
        spilled.append("乙")
        assert spilled[0] == "甲"  # the file now stands after the first item
        spilled.append("丙")
        assert list(spilled) == ["甲", "乙", "丙"]
        for got in spilled:  # appended while being read
            if got == "甲":
                spilled.append("丁")
        assert list(spilled) == ["甲", "乙", "丙", "丁"]
    finally:
        spilled.close()


class _Full:
    """A file that takes `room` bytes, then fails as a full disk does."""

    def __init__(self, file: object, room: int) -> None:
        self.file, self.room = file, room

    def write(self, data: bytes) -> int:
        if len(data) > self.room:
            self.file.write(data[: self.room])  # type: ignore[attr-defined]
            self.room = 0
            raise OSError(28, "No space left on device")
        self.room -= len(data)
        return self.file.write(data)  # type: ignore[attr-defined, no-any-return]

    def __getattr__(self, name: str) -> object:
        return getattr(self.file, name)


def test_an_append_that_fails_part_way_leaves_the_others_readable() -> None:
    spilled: Spilled[str] = Spilled()
    try:
        spilled.append("甲")
        real = spilled._file
        spilled._file = _Full(real, 5)  # type: ignore[assignment]
        try:
            spilled.append("乙" * 50)
        except OSError:
            pass
        else:
            raise AssertionError("the write did not fail")
        spilled._file = real
        spilled.append("丙")
        assert list(spilled) == ["甲", "丙"]
    finally:
        spilled.close()
