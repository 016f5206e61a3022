"""Reading and writing a value of report data by its model path, tolerant of bad shapes, and
the one test of what counts as a number in report data."""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing
if TYPE_CHECKING:
    from typing import Any, TypeGuard


Path = tuple[str, ...]

_ABSENT = object()


def pointer(path: Path) -> str:
    """The JSON Pointer (RFC 6901) of `path`: "/requests/new/total"."""
    joined = "/".join(path)
    if "~" in joined or joined.count("/") != len(path) - 1:
        # a key holding "~" or "/" (none of the model's: a caller's data), or no key at all
        return "".join("/" + p.replace("~", "~0").replace("/", "~1") for p in path)
    return "/" + joined


def is_number(value: Any) -> TypeGuard[int | float]:
    """An int or float, but not a bool (JSON's true/false are no counts)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def number_or_zero(value: Any) -> int | float:
    """The value if it is a number, else 0: for rules that skip what the schema reports."""
    return value if is_number(value) else 0


def is_whole(value: Any) -> TypeGuard[int]:
    """An int, but not a bool: a year, a count."""
    return isinstance(value, int) and not isinstance(value, bool)


def get_path(data: Any, path: Path) -> Any:
    """The value at `path`, or None where the data has no such object or key."""
    for key in path:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def has_path(data: Any, path: Path) -> bool:
    """Whether the data holds a key at `path` (its value may be None)."""
    for key in path:
        if not isinstance(data, dict) or key not in data:
            return False
        data = data[key]
    return True


def set_path(data: dict[str, Any], path: Path, value: Any) -> None:
    """Set the value at `path`, creating the objects on the way."""
    for key in path[:-1]:
        data = data.setdefault(key, {})
    data[path[-1]] = value
