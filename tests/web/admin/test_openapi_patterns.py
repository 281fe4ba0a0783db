"""The OpenAPI document publishes exactly the patterns the answer data's validator checks."""
import re

import pytest
from hypothesis import given, settings, strategies as st

from bot.knowledge.schema import Entry
from bot.web.admin.openapi import document

SAMPLES = {
    "phone": ["56 67 67 67", "56676767", "+45 56676767", "+4556 67 67 67", "0045 22-33-44-55", "22-33-44-55",
              " 22 33 44 55 ", "5667676", "566767670", "+46 56676767", "45 56676767", "tlf 56676767", "", "++4556676767"],
    "email": ["raadhus@koege.dk", "A.B@Koege.DK", "a@b", "a b@koege.dk", "a@@koege.dk", "<a>@koege.dk", "x@y.c"],
    "url": ["https://bosj.dk", "HTTPS://Koege.dk/borger?x=1", "http://bosj.dk", "https://bosj", "https://bo sj.dk",
            "https://bosj.dk/ a", "javascript:alert(1)", "https://x.dk/"],
}


def accepted_by_validator(field: str, value: str) -> bool:
    data = {"id": "test_post", "kind": "contact", "name": "Test", "summary": "Test.", "source": "Test", field: value}
    try:
        Entry(**data)
    except ValueError:
        return False
    return True


def published(field: str) -> "re.Pattern":
    return re.compile(document()["components"]["schemas"]["EntryData"]["properties"][field]["pattern"])


@pytest.mark.parametrize("field,value", [(f, v) for f, values in SAMPLES.items() for v in values])
def test_the_published_pattern_accepts_what_the_validator_accepts(field, value):
    assert bool(published(field).search(value)) == accepted_by_validator(field, value)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789 -+4", min_size=0, max_size=16))
def test_phone_numbers_agree_on_any_mix_of_digits_spaces_and_dashes(value):
    assert bool(published("phone").search(value)) == accepted_by_validator("phone", value)
