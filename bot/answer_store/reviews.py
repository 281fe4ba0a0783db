"""Translators' checks of the sentences that ship with the project in every language
(``bot/language/fixed.yml`` and the translated responses of ``responses.yml``).

Residents always get those sentences, checked or not (the danger answers above
all). Staff record here that a translator has read them: per language,
sentence key and the fingerprint of the sentence's text, so a check holds only
for the text that was checked. When a new release changes a sentence, its
fingerprint changes and the sentence is "not checked" again; the old check
stays, to say who checked the earlier text.
"""
import datetime
from dataclasses import dataclass
from typing import List, Mapping

import sqlalchemy as sa

from bot.answer_store import audit, tables
from bot.answer_store.times import as_utc, now
from bot.errors import AssistantError

MAX_TRANSLATOR = tables.fixed_text_reviews.c.translator.type.length
AUDIT_ACTION = "fixed_texts_reviewed"


class ReviewRefused(AssistantError, ValueError):
    """A check that cannot be recorded; the message says why, in Danish."""

    status, code = 422, "afvist"


@dataclass(frozen=True)
class SentenceReview:
    language: str
    sentence_key: str
    fingerprint: str
    translator: str
    recorded_by: str
    recorded_at: datetime.datetime


def _review(row) -> SentenceReview:
    return SentenceReview(row.language, row.sentence_key, row.fingerprint, row.translator, row.recorded_by,
                          as_utc(row.recorded_at))


def translator_name(raw: str) -> str:
    """The translator's name as recorded, or ``ReviewRefused``."""
    name = " ".join(str(raw).split())
    if not name:
        raise ReviewRefused("Skriv navnet på oversætteren, der har tjekket sætningerne.")
    if len(name) > MAX_TRANSLATOR:
        raise ReviewRefused(f"Oversætterens navn er for langt: højst {MAX_TRANSLATOR} tegn.")
    return name


class ReviewStore:
    def __init__(self, engine: sa.engine.Engine):
        self.engine = engine

    def record(self, language: str, fingerprints: Mapping[str, str], translator: str,
               user: str) -> List[SentenceReview]:
        """``translator`` has checked the sentences ``fingerprints`` names (sentence key ->
        fingerprint of the text checked) in ``language``. A check recorded again for the
        same text replaces the earlier one. In the audit log: the language and how many."""
        translator = translator_name(translator)
        if not fingerprints:
            raise ReviewRefused("Vælg mindst én sætning, som oversætteren har tjekket.")
        table, moment = tables.fixed_text_reviews, now()
        rows = [{"language": language, "sentence_key": key, "fingerprint": fingerprint, "translator": translator,
                 "recorded_by": user, "recorded_at": moment} for key, fingerprint in fingerprints.items()]
        with self.engine.begin() as connection:
            for row in rows:
                connection.execute(sa.delete(table).where(
                    table.c.language == language, table.c.sentence_key == row["sentence_key"],
                    table.c.fingerprint == row["fingerprint"]))
            connection.execute(sa.insert(table), rows)
            audit.record(connection, user, AUDIT_ACTION,
                         details=f"sprog: {language}, {len(rows)} sætninger, oversætter: {translator}")
        return [SentenceReview(**row) for row in rows]

    def of_language(self, language: str) -> List[SentenceReview]:
        """Every check recorded for ``language``, newest first (also those of older texts)."""
        table = tables.fixed_text_reviews
        query = (sa.select(table).where(table.c.language == language)
                 .order_by(table.c.recorded_at.desc(), table.c.sentence_key))
        with self.engine.connect() as connection:
            return [_review(row) for row in connection.execute(query).all()]
