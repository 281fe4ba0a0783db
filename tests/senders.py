"""Fresh sender ids for tests.

Made of letters only: a random hex id can hold a run of digits that looks like
a phone or CPR number, and such a sender id is stored under a pseudonym, not
under the id the test looks for.
"""
import uuid

_DIGITS_TO_LETTERS = str.maketrans("0123456789", "ghijklmnop")


def new_sender_id(prefix: str, length: int = 12) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:length].translate(_DIGITS_TO_LETTERS)}"
