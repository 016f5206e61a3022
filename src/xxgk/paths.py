"""Reading and writing a value of report data by its model path, tolerant of bad shapes."""

from __future__ import annotations

from typing import Any

Path = tuple[str, ...]


def get_path(data: Any, path: Path) -> Any:
    """The value at `path`, or None where the data has no such object or key."""
    for key in path:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def set_path(data: dict[str, Any], path: Path, value: Any) -> None:
    """Set the value at `path`, creating the objects on the way."""
    for key in path[:-1]:
        data = data.setdefault(key, {})
    data[path[-1]] = value
