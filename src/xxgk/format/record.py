"""`@record`: what `@dataclass` gives the classes of the model and the checks, at about a
fortieth of its start-up cost (20 µs a class).

`dataclass` writes each class's `__init__`, `__repr__`, `__eq__`, `__hash__` and frozen
`__setattr__` as source text and compiles it when the module is imported: about 0.7 ms a class,
13 ms of the 0.1 s that `xxgk validate` may take (issue 16) for the twenty classes it loads.
Here the methods are shared functions that read the class's field names, built in 20 µs.

What it keeps of `dataclass(frozen=…)`, exactly: fields in annotation order, defaults and
`field(default_factory=…)`, `field(compare=False)`; the same `__init__` arguments (positional
or by name), `repr`, equality (same class, fields compared as a tuple), hash (of that tuple, for
a frozen class; none for a mutable one, as `dataclass` leaves it), `__match_args__`, an
instance `__dict__` (`functools.cached_property` works), and a frozen class refusing
assignment with `FrozenInstanceError` (an AttributeError). What it leaves out:
`dataclasses.fields`, `replace` and `asdict` (keep `@dataclass` where those are used, or set
a mutable record's field in place), ordering, slots; and a class with `__post_init__`, a
`ClassVar` or `InitVar`, or a record as its base is refused (TypeError) rather than built
otherwise than `dataclass` would.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing
if TYPE_CHECKING:
    from typing import Any, TypeVar, overload

    from typing_extensions import dataclass_transform

    T = TypeVar("T")
else:

    def dataclass_transform(**_: Any) -> Callable[[Any], Any]:
        return lambda f: f


class _Field:
    __slots__ = ("default", "default_factory", "compare")

    def __init__(self, default: Any, default_factory: Callable[[], Any] | None, compare: bool):
        self.default = default
        self.default_factory = default_factory
        self.compare = compare


_MISSING: Any = object()


class FrozenInstanceError(AttributeError):
    """Assigning to a field of a frozen record (dataclasses' error of that name, without
    importing dataclasses: its import, with `inspect`, is 8 ms)."""


def field(
    *,
    default: Any = _MISSING,
    default_factory: Callable[[], Any] | None = None,
    compare: bool = True,
) -> Any:
    """A field's default made anew for each instance, or a field left out of ==."""
    return _Field(default, default_factory, compare)


if TYPE_CHECKING:  # the overloads, for the type checker only

    @overload
    def record(cls: type[T], /) -> type[T]: ...
    @overload
    def record(*, frozen: bool = False) -> Callable[[type[T]], type[T]]: ...


@dataclass_transform(field_specifiers=(field,))
def record(cls: type[T] | None = None, /, *, frozen: bool = False) -> Any:
    """The class with dataclass's methods: `@record` or `@record(frozen=True)`."""
    if cls is None:
        return lambda c: _build(c, frozen)
    return _build(cls, frozen)


def _build(cls: type[T], frozen: bool) -> type[T]:
    annotations = cls.__dict__.get("__annotations__", {})
    _refuse_what_dataclass_would_do_otherwise(cls, annotations)
    names = tuple(annotations)
    defaults: dict[str, Any] = {}
    factories: dict[str, Callable[[], Any]] = {}
    compared = []
    for name in names:
        value = cls.__dict__.get(name, _MISSING)
        if isinstance(value, _Field):
            if value.default_factory is not None:
                factories[name] = value.default_factory
                delattr(cls, name)  # as dataclass: no class attribute for a factory's field
            elif value.default is not _MISSING:
                defaults[name] = value.default
                setattr(cls, name, value.default)
            else:
                delattr(cls, name)
            if value.compare:
                compared.append(name)
        else:
            if value is not _MISSING:
                defaults[name] = value
            compared.append(name)
    _check_order(cls, names, defaults, factories)
    type.__setattr__(cls, "__init__", _init(cls.__qualname__, names, defaults, factories))
    type.__setattr__(cls, "__repr__", _repr(names))
    type.__setattr__(cls, "__eq__", _eq(tuple(compared)))
    type.__setattr__(cls, "__match_args__", names)
    type.__setattr__(cls, "__record_fields__", names)
    if frozen:
        type.__setattr__(cls, "__hash__", _hash(tuple(compared)))
        type.__setattr__(cls, "__setattr__", _refuse_set)
        type.__setattr__(cls, "__delattr__", _refuse_del)
    else:
        type.__setattr__(cls, "__hash__", None)  # dataclass(eq=True): mutable, so unhashable
    return cls


def _refuse_what_dataclass_would_do_otherwise(cls: type, annotations: dict[str, Any]) -> None:
    """A class that needs what `record` leaves out fails here, not by quietly differing."""
    if "__post_init__" in cls.__dict__:
        raise TypeError(f"{cls.__qualname__}: record has no __post_init__; use @dataclass")
    if any("__record_fields__" in vars(base) for base in cls.__mro__[1:]):
        raise TypeError(f"{cls.__qualname__}: a record's fields are not inherited; use @dataclass")
    for name, annotation in annotations.items():
        if (
            str(annotation)
            .replace("typing.", "")
            .replace("dataclasses.", "")
            .startswith(("ClassVar", "InitVar"))
        ):
            raise TypeError(f"{cls.__qualname__}.{name}: ClassVar and InitVar need @dataclass")


def _check_order(
    cls: type, names: tuple[str, ...], defaults: dict[str, Any], factories: dict[str, Any]
) -> None:
    seen_default = False
    for name in names:
        if name in defaults or name in factories:
            seen_default = True
        elif seen_default:
            raise TypeError(f"non-default argument {name!r} follows default argument")


def _init(
    qualname: str,
    names: tuple[str, ...],
    defaults: dict[str, Any],
    factories: dict[str, Callable[[], Any]],
) -> Callable[..., None]:
    count = len(names)
    rest = [names[n:] for n in range(count + 1)]  # the fields after n positional arguments

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        given = len(args)
        if given == count and not kwargs:  # every field given in order: the common call
            self.__dict__.update(zip(names, args, strict=True))
            return
        if given > count:
            raise TypeError(
                f"{qualname}.__init__() takes {count + 1} positional arguments but "
                f"{given + 1} were given"
            )
        values = self.__dict__
        values.update(zip(names, args, strict=False))  # fewer arguments than fields
        for name in rest[given]:  # in field order, as dataclass's __init__ sets them
            if name in kwargs:
                values[name] = kwargs.pop(name)
            elif name in defaults:
                values[name] = defaults[name]
            elif name in factories:
                values[name] = factories[name]()
            else:
                raise TypeError(f"{qualname}.__init__() missing required argument: {name!r}")
        for key in kwargs:  # what is left named no field, or one given by position
            how = (
                "multiple values for argument" if key in names else "an unexpected keyword argument"
            )
            raise TypeError(f"{qualname}.__init__() got {how} {key!r}")

    return __init__


def _repr(names: tuple[str, ...]) -> Callable[[Any], str]:
    def __repr__(self: Any) -> str:
        inner = ", ".join(f"{name}={getattr(self, name)!r}" for name in names)
        return f"{self.__class__.__qualname__}({inner})"

    return __repr__


def _values(names: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    if len(names) == 1:  # attrgetter of one name gives the value, not a tuple of it
        one = attrgetter(names[0])
        return lambda self: (one(self),)
    if not names:
        return lambda self: ()
    return attrgetter(*names)


def _eq(names: tuple[str, ...]) -> Callable[[Any, Any], Any]:
    values = _values(names)

    def __eq__(self: Any, other: Any) -> Any:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return values(self) == values(other)

    return __eq__


def _hash(names: tuple[str, ...]) -> Callable[[Any], int]:
    values = _values(names)

    def __hash__(self: Any) -> int:
        return hash(values(self))

    return __hash__


def _refuse_set(self: Any, name: str, value: Any) -> None:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _refuse_del(self: Any, name: str) -> None:
    raise FrozenInstanceError(f"cannot delete field {name!r}")
