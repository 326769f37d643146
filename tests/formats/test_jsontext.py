"""corsprobe.output.render.jsontext.dumps gives exactly json.dumps(value, indent=2): generated values
(every JSON type, nesting, escapes, non-ASCII, NaN and infinities) and a whole rendered document."""

from __future__ import annotations

import json
import math
from enum import IntEnum, StrEnum
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from corsprobe.output.render.jsontext import dumps

_leaves = st.none() | st.booleans() | st.integers() | st.floats() | st.text()
_values = st.recursive(_leaves, lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner)
                       | st.dictionaries(st.text(max_size=6), inner, max_size=4), max_leaves=30)


@settings(max_examples=300, deadline=None)
@given(_values)
def test_same_text_as_json_dumps(value: Any) -> None:
    assert dumps(value) == json.dumps(value, indent=2)


class Colour(StrEnum):
    RED = "red"


class Level(IntEnum):
    HIGH = 3


def test_enums_empty_containers_and_specials() -> None:
    value = {"a": [], "b": {}, "c": [Colour.RED, Level.HIGH, math.nan, -math.inf, 1e300, "é\u2028\x00\"\\"]}
    assert dumps(value) == json.dumps(value, indent=2)


def test_unusual_keys_and_types_fall_back_to_json() -> None:
    value = {1: "one", None: [True]}
    assert dumps(value) == json.dumps(value, indent=2)
    try:
        dumps({"x": object()})
    except TypeError as error:
        assert "not JSON serializable" in str(error)
    else:
        raise AssertionError("json.dumps refuses an object; so must dumps")
