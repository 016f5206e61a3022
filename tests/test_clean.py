"""clean_data replaces every lone surrogate of a structure (keys included) by U+FFFD, and hands
back the very object when there is none, whatever the structure holds."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from xxgk.format import clean
from xxgk.format.clean import REPLACEMENT, clean_data


class Text(str):
    pass


class Table(dict):  # type: ignore[type-arg]
    pass


def has_lone_surrogate(value: Any) -> bool:
    """The definition, written out: a string holding a code point of U+D800–U+DFFF, in the
    value, a key or any value nested in a dict, list or tuple."""
    if isinstance(value, str):
        return any(0xD800 <= ord(ch) <= 0xDFFF for ch in value)
    if isinstance(value, dict):
        return any(
            (isinstance(k, str) and has_lone_surrogate(k)) or has_lone_surrogate(v)
            for k, v in value.items()
        )
    if isinstance(value, (list, tuple)):
        return any(has_lone_surrogate(v) for v in value)
    return False


texts = st.text(alphabet=st.sampled_from(["a", "政", "\ud800", "\udc80", "\udfff", "\ue000", "😀"]))
scalars = st.one_of(
    texts,
    texts.map(Text),
    st.integers(-(2**70), 2**70),  # beyond 64 bits orjson refuses
    st.floats(allow_nan=True),
    st.none(),
    st.booleans(),
    st.just(object()),
)
keys = st.one_of(texts, st.integers(0, 3), texts.map(Text))
structures = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.lists(inner, max_size=4).map(tuple),
        st.dictionaries(keys, inner, max_size=4),
        st.dictionaries(keys, inner, max_size=4).map(Table),
    ),
    max_leaves=20,
)


@settings(max_examples=400, deadline=None)
@given(structures)
def test_clean_data_changes_exactly_what_holds_a_surrogate(value) -> None:
    needs = has_lone_surrogate(value)
    assert clean._needs_cleaning(value) is needs
    cleaned = clean_data(value)
    if not isinstance(value, str):
        assert (cleaned is value) is (not needs)  # nothing copied unless something changes
    assert not has_lone_surrogate(cleaned)


def test_surrogates_in_keys_and_values_are_replaced() -> None:
    data = {"a\ud800": ["x\udfff", ("\udc80", 1)], 1: {"ok": "政"}, "n": 2**80}
    assert clean_data(data) == {
        "a" + REPLACEMENT: ["x" + REPLACEMENT, [REPLACEMENT, 1]],
        1: {"ok": "政"},
        "n": 2**80,
    }


def test_a_clean_report_is_handed_back_as_it_is(example) -> None:
    assert clean_data(example) is example
    example["overview"]["summary"] = "本机关\udc80"
    cleaned = clean_data(example)
    assert cleaned["overview"]["summary"] == "本机关" + REPLACEMENT
    assert cleaned["agency"] == example["agency"]


class Shown(dict):  # type: ignore[type-arg]
    """A dict whose items are not what it stores: the walk reads items()."""

    def items(self):  # type: ignore[override]
        return [("\ud800", 1)]


def test_a_dict_that_shows_other_items_is_judged_by_them() -> None:
    assert clean._needs_cleaning({"k": Shown(a=1)}) is True
