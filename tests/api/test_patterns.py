"""The text patterns the API states in its schema mean the same to every reader (schemathesis found a lone U+0085
valid by the schema and refused by the server: ``\\s`` differs between JSON Schema's ECMA-262, pydantic-core's Rust
regex and Python). Here: the server's validator and Python refuse a text of any reader's white space (U+FEFF was
accepted by the server before); the schema's side (ECMA-262, where U+0085 is not white space) is what
tests/api/test_schemathesis.py exercises."""

from __future__ import annotations

import re

import pytest
from pydantic import BaseModel, Field, ValidationError

from kompas.api.deps import VISIBLE_TEXT

#: White space by any reader: ECMA-262 (\s and its line terminators), Unicode White_Space (Rust's \s) and Python's
#: str.isspace (which adds the separators U+001C..U+001F).
ECMA = "\t\n\v\f\r \u00a0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u2028\u2029\u202f\u205f\u3000\ufeff"
ANY_READER = sorted(set(ECMA) | {c for c in map(chr, range(0x3001)) if c.isspace()})


class Text(BaseModel):
    text: str = Field(pattern=VISIBLE_TEXT)


@pytest.mark.parametrize("blank", ANY_READER, ids=lambda c: f"U+{ord(c):04X}")
def test_a_text_of_any_readers_white_space_is_refused_by_the_server_and_by_python(blank: str) -> None:
    assert "\x85" in ANY_READER and "\ufeff" in ANY_READER and "\x1c" in ANY_READER
    with pytest.raises(ValidationError):
        Text(text=blank * 3)
    assert re.match(VISIBLE_TEXT, blank * 3) is None
    assert Text(text=f"{blank}x{blank}").text == f"{blank}x{blank}"  # one visible character is enough


def test_nul_is_refused_anywhere() -> None:
    for text in ("\x00", "a\x00", "\x00a"):
        with pytest.raises(ValidationError):
            Text(text=text)
