"""The one cleaning step for text on its way into a file, and the one range of numbers a file
can hold.

Every writer of xxgk — the report renderers, the workbook filler, the batch summary and CSV,
the aggregate's workbook and manifest, output file names, JSON printed on stdout — passes the
text it writes through `clean_text` (or a whole structure through `clean_data`), and every
number through `in_range`. So one bad character or one absurd number can never stop a writer
half-way (a lone surrogate cannot be encoded as UTF-8; 10**400 has no float), whatever the
input's kind.
"""

from __future__ import annotations

from decimal import Decimal

from xxgk.format.lazyre import lazy

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing
if TYPE_CHECKING:
    from typing import Any

REPLACEMENT = "\ufffd"
# A lone UTF-16 surrogate (JSON "\ud800"), or a byte that was not UTF-8 in a file name
# (Python's surrogateescape maps it to U+DC80–U+DCFF): not a character, cannot be encoded.
_SURROGATE = lazy("[\ud800-\udfff]")  # compiled only to replace one: 0.25 ms

# The largest number a report may hold: Excel keeps 15 significant digits, so a larger one is
# not what was typed once it has been through a workbook.
MAX_NUMBER = 999_999_999_999_999


def clean_text(text: str) -> str:
    """`text` as it can be written to any file: every lone surrogate replaced by U+FFFD."""
    if not has_surrogate(text):
        return text
    return _SURROGATE.sub(REPLACEMENT, text)


def has_surrogate(text: str) -> bool:
    if text.isascii():
        return False
    try:  # a surrogate is the one code point UTF-8 cannot encode
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def clean_data(value: Any) -> Any:
    """A JSON-like structure with every string (keys included) through `clean_text`.

    Returns `value` itself when nothing needed cleaning, so the common case copies nothing.
    """
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        if not _needs_cleaning(value):
            return value
        return {clean_text(k) if isinstance(k, str) else k: clean_data(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        if not _needs_cleaning(value):
            return value
        return [clean_data(v) for v in value]
    return value


def _needs_cleaning(value: Any) -> bool:
    """Whether a string of `value` (a key included) holds a lone surrogate.

    orjson answers at C speed (6× the walk below on a report): it refuses a surrogate in any
    string it writes, and, told to pass subclasses on, writes only plain dicts, lists, tuples
    and scalars, every string the walk would look at among them. When it writes `value`, no
    string there holds one; whatever it refuses (a surrogate, a class, an integer beyond 64
    bits, a key that is not a string) goes the walk's way, which tells.
    """
    import orjson  # 2.5 ms to import: when first needed, not for every command

    try:
        orjson.dumps(value, option=orjson.OPT_PASSTHROUGH_SUBCLASS)
    except orjson.JSONEncodeError:
        return _walk_needs_cleaning(value)
    return False


def _walk_needs_cleaning(value: Any) -> bool:
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            if has_surrogate(node):
                return True
        elif isinstance(node, dict):
            for k, v in node.items():
                if isinstance(k, str) and has_surrogate(k):
                    return True
                stack.append(v)
        elif isinstance(node, (list, tuple)):
            stack.extend(node)
    return False


def in_range(value: int | float) -> bool:
    """Whether a number can be written to a workbook or a report as it is (|value| ≤ MAX_NUMBER,
    finite)."""
    try:
        return -MAX_NUMBER <= value <= MAX_NUMBER
    except (OverflowError, TypeError):  # pragma: no cover - int/float comparisons do not raise
        return False


def out_of_range_text(value: int | float) -> str:
    """A number beyond MAX_NUMBER as a short text (1E+400), where the number cannot go."""
    if isinstance(value, float) and value != value:
        return "NaN"
    try:
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    except (ValueError, ArithmeticError):  # pragma: no cover
        return "（数值超出范围）"
    if not number.is_finite():
        return "∞" if number > 0 else "-∞"
    return format(number, ".15G")
