"""`xxgk.format.record.record` behaves as `dataclasses.dataclass` does for the classes that use it
(the model, the findings, the checks): each case builds the same class both ways and compares
what a caller sees. dataclass is the oracle; record only has to be cheaper to build."""

from __future__ import annotations

import copy
import dataclasses
import pickle
from functools import cached_property
from typing import Any, ClassVar

import pytest

from xxgk.format import model as m
from xxgk.format.record import FrozenInstanceError, field, record


def _frozen_pair() -> tuple[type, type]:
    @dataclasses.dataclass(frozen=True)
    class Leaf:
        path: tuple[str, ...]
        title: str
        table: str | None = None
        total: bool = False
        paths: tuple[str, ...] = dataclasses.field(default=(), compare=False)

    @record(frozen=True)
    class Leaf2:
        path: tuple[str, ...]
        title: str
        table: str | None = None
        total: bool = False
        paths: tuple[str, ...] = field(default=(), compare=False)

    Leaf2.__qualname__ = Leaf.__qualname__  # the same name in repr
    return Leaf, Leaf2


def _mutable_pair() -> tuple[type, type]:
    @dataclasses.dataclass
    class Finding:
        code: str
        paths: list[str] = dataclasses.field(default_factory=list)
        sheet: str | None = None

    @record
    class Finding2:
        code: str
        paths: list[str] = field(default_factory=list)
        sheet: str | None = None

    Finding2.__qualname__ = Finding.__qualname__
    return Finding, Finding2


CALLS: list[tuple[tuple[Any, ...], dict[str, Any]]] = [
    ((("a",), "t"), {}),
    ((("a",), "t", "表三", True, ("x",)), {}),
    ((("a",),), {"title": "t", "total": True}),
    ((), {"path": ("a",), "title": "t", "paths": ("y",)}),
]


@pytest.mark.parametrize(("args", "kwargs"), CALLS)
def test_a_frozen_record_is_built_read_and_compared_as_a_frozen_dataclass(
    args: tuple[Any, ...], kwargs: dict[str, Any]
) -> None:
    dc, rc = _frozen_pair()
    a, b = dc(*args, **kwargs), rc(*args, **kwargs)
    assert repr(a) == repr(b)
    assert vars(a) == vars(b) and list(vars(a)) == list(vars(b))  # fields in order
    assert hash(a) == hash(b)
    assert b == rc(*args, **kwargs) and b != a  # another class is never equal
    assert rc.__match_args__ == dc.__match_args__
    other = rc(("a",), "t", paths=("z",))  # `paths` is left out of ==, as compare=False
    assert (other == rc(("a",), "t")) is (dc(("a",), "t", paths=("z",)) == dc(("a",), "t"))


def test_a_frozen_record_refuses_assignment_and_deletion() -> None:
    _, rc = _frozen_pair()
    leaf = rc(("a",), "t")
    with pytest.raises(FrozenInstanceError):
        leaf.title = "u"
    with pytest.raises(AttributeError):  # FrozenInstanceError is one, as dataclasses' is
        del leaf.title
    assert leaf.title == "t"


def test_the_arguments_a_dataclass_refuses_a_record_refuses() -> None:
    dc, rc = _frozen_pair()
    for cls in (dc, rc):
        with pytest.raises(TypeError):
            cls(("a",))  # title missing
        with pytest.raises(TypeError):
            cls(("a",), "t", None, False, (), "one too many")
        with pytest.raises(TypeError):
            cls(("a",), "t", colour="red")
        with pytest.raises(TypeError):
            cls(("a",), "t", path=("b",))  # path given twice


def test_a_mutable_record_has_a_fresh_default_per_instance_and_no_hash() -> None:
    dc, rc = _mutable_pair()
    one, two = rc("A"), rc("A")
    one.paths.append("/x")
    one.sheet = "表三"
    assert two.paths == [] and two.sheet is None
    assert repr(one) == repr(dc("A", ["/x"], "表三"))
    assert one == rc("A", ["/x"], sheet="表三") and one != two
    with pytest.raises(TypeError):
        hash(one)  # as dataclass(eq=True) leaves a mutable class: unhashable
    assert rc.__hash__ is None and dc.__hash__ is None
    assert not hasattr(rc, "paths") and not hasattr(dc, "paths")  # no class attribute
    assert rc.sheet is None and dc.sheet is None


def test_records_pickle_copy_and_cache_properties() -> None:
    """Worker processes pickle findings; readers cache Leaf.pointer on the instance."""

    @record(frozen=True)
    class Cached:
        path: tuple[str, ...]

        @cached_property
        def joined(self) -> str:
            return "/".join(self.path)

    item = Cached(("a", "b"))
    assert item.joined == "a/b" and vars(item)["joined"] == "a/b"
    leaf = m.LEAF_BY_POINTER["/requests/new/total"]
    for clone in (pickle.loads(pickle.dumps(leaf)), copy.deepcopy(leaf), copy.copy(leaf)):
        assert clone == leaf and hash(clone) == hash(leaf) and clone is not leaf


def test_a_field_without_a_default_after_one_with_is_refused() -> None:
    with pytest.raises(TypeError):

        @record
        class Bad:
            a: int = 0
            b: int


def test_what_record_leaves_out_is_refused_rather_than_done_otherwise() -> None:
    """dataclass would run __post_init__, skip a ClassVar and inherit a base's fields."""
    with pytest.raises(TypeError):

        @record
        class Posted:
            a: int

            def __post_init__(self) -> None:
                pass

    with pytest.raises(TypeError):

        @record
        class Shared:
            a: int
            count: ClassVar[int] = 0

    @record
    class Base:
        a: int

    with pytest.raises(TypeError):

        @record
        class Derived(Base):
            b: int
