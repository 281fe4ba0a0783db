"""The shape of one answer-data entry, with Danish validation messages.

Staff will edit these entries, so every message says in plain Danish what is
wrong with the field and how to fix it.
"""
import datetime
import re
from typing import Dict, List, Optional

from pydantic import BaseModel, validator

from bot.language.detect import DANISH, SUPPORTED
from bot.language.texts import fingerprint

# A "referral" is where to send a question the plan does not cover: its
# aliases are the topic words, its summary says who to ask, its contact or url how.
KINDS = ("plan", "work_area", "initiative", "housing_area", "contact", "faq", "referral")

ID_PATTERN = re.compile(r"^[a-z0-9_]{2,60}$")
# The admin's OpenAPI document publishes these same patterns (bot/web/admin/openapi.py).
EMAIL_PATTERN = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[a-z]{2,}$", re.IGNORECASE)
URL_PATTERN = re.compile(r"^https://[a-z0-9.-]+\.[a-z]{2,}(/\S*)?$", re.IGNORECASE)
# Eight digits, optionally after +45 or 0045, with spaces or dashes anywhere ("0045 22-33-44-55").
PHONE_PATTERN = re.compile(r"^[\s-]*(?:\+[\s-]*4[\s-]*5|0[\s-]*0[\s-]*4[\s-]*5)?(?:[\s-]*[0-9]){8}[\s-]*$")

MAX_LENGTHS = {
    "name": 120,
    "title": 120,
    "summary": 700,
    "details": 1500,
    "address": 200,
    "hours": 300,
    "source": 300,
    "alias": 80,
    "owner": 80,
}


def format_phone(raw: str) -> str:
    """Return a Danish phone number as '12 34 56 78', or raise ValueError."""
    if not PHONE_PATTERN.match(raw):
        raise ValueError("Telefonnummeret skal være et dansk nummer med 8 cifre, fx 56 67 67 67.")
    digits = re.sub(r"[\s-]", "", raw)[-8:]
    return " ".join(digits[i : i + 2] for i in range(0, 8, 2))


# The Danish texts a translation renders; when one changes, the translation must be checked again.
TRANSLATED_FIELDS = ("name", "summary", "details", "title", "hours")


def danish_fingerprint(values: dict) -> str:
    """A short hash of an entry's Danish texts (``TRANSLATED_FIELDS``)."""
    return fingerprint("\n".join(str(values.get(field) or "") for field in TRANSLATED_FIELDS))


def checked_length(cls, value, field):
    """A text field is not empty and not longer than its limit (``MAX_LENGTHS``)."""
    if value is None:
        return value
    if not value:
        raise ValueError("Feltet må ikke være tomt.")
    limit = MAX_LENGTHS[field.name]
    if len(value) > limit:
        raise ValueError(f"Teksten er for lang: {len(value)} tegn, højst {limit}.")
    return value


class Translation(BaseModel):
    """An entry's texts in another language, and the Danish they were translated from."""

    name: Optional[str] = None
    summary: str
    details: Optional[str] = None
    title: Optional[str] = None
    hours: Optional[str] = None
    # danish_fingerprint() of the entry when the translation was written or last checked.
    written_for: Optional[str] = None
    checked_by: Optional[str] = None
    checked_on: Optional[datetime.date] = None

    class Config:
        extra = "forbid"
        allow_mutation = False
        anystr_strip_whitespace = True

    _length = validator("name", "title", "summary", "details", "hours", allow_reuse=True)(checked_length)


class Entry(BaseModel):
    id: str
    kind: str
    name: str
    aliases: List[str] = []
    intent: Optional[str] = None
    summary: str
    details: Optional[str] = None
    url: Optional[str] = None
    contact: Optional[str] = None
    related: List[str] = []
    work_areas: List[str] = []
    title: Optional[str] = None
    phone: Optional[str] = None
    email: Optional[str] = None
    address: Optional[str] = None
    hours: Optional[str] = None
    fallback_contact: bool = False
    ends: Optional[datetime.date] = None
    source: str
    # Who keeps the entry right: a staff account's name or a team ("Helhedsplanens sekretariat"),
    # and the day it is to be checked again at the latest (bot/answer_store/review_dates.py).
    owner: Optional[str] = None
    review_due: Optional[datetime.date] = None
    # By language code (en, ar, ...): see Translation.
    translations: Dict[str, Translation] = {}

    class Config:
        extra = "forbid"
        allow_mutation = False
        anystr_strip_whitespace = True

    @validator("id", "contact")
    def _valid_id(cls, value):
        if value is not None and not ID_PATTERN.match(value):
            raise ValueError(
                "Id må kun indeholde små bogstaver a-z, tal og _ (2-60 tegn), fx 'faelles_fremtid'."
            )
        return value

    @validator("related", "work_areas", each_item=True)
    def _valid_ref(cls, value):
        return cls._valid_id(value)

    @validator("kind")
    def _valid_kind(cls, value):
        if value not in KINDS:
            raise ValueError(f"Ukendt type '{value}'. Brug en af: {', '.join(KINDS)}.")
        return value

    _length = validator("name", "title", "summary", "details", "address", "hours", "source", "owner",
                        allow_reuse=True)(checked_length)

    @validator("owner")
    def _one_line(cls, value):
        if value is not None and any(char in value for char in "\r\n\t"):
            raise ValueError("Ejeren skal stå på én linje: en medarbejders brugernavn eller et teams navn.")
        return value

    @validator("aliases", each_item=True)
    def _alias(cls, value):
        if not value or len(value) > MAX_LENGTHS["alias"]:
            raise ValueError(f"Et alternativt navn skal have 1-{MAX_LENGTHS['alias']} tegn.")
        return value

    @validator("url")
    def _https(cls, value):
        if value is not None and not URL_PATTERN.match(value):
            raise ValueError("Linket skal begynde med https:// og være en gyldig adresse, fx https://bosj.dk.")
        return value

    @validator("phone")
    def _phone(cls, value):
        return None if value is None else format_phone(value)

    @validator("email")
    def _email(cls, value):
        if value is not None and not EMAIL_PATTERN.match(value):
            raise ValueError("E-mailadressen er ikke gyldig, fx navn@koege.dk.")
        return value

    @validator("fallback_contact")
    def _fallback_is_contact(cls, value, values):
        if value and values.get("kind") != "contact":
            raise ValueError("Kun en kontakt kan være standardkontakt.")
        return value

    @validator("translations")
    def _known_languages(cls, value):
        unknown = sorted(code for code in value if code not in SUPPORTED or code == DANISH)
        if unknown:
            known = ", ".join(code for code in SUPPORTED if code != DANISH)
            raise ValueError(f"Ukendt sprog: {', '.join(unknown)}. Brug en af: {known}.")
        return value

    def danish_fingerprint(self) -> str:
        return danish_fingerprint(self.dict(include=set(TRANSLATED_FIELDS)))

    def translation_is_current(self, language: str) -> bool:
        """Whether the translation was written (or checked) for the Danish text as it is now."""
        translation = self.translations.get(language)
        return translation is not None and translation.written_for == self.danish_fingerprint()

    def in_language(self, language: str) -> "Entry":
        """This entry with its current translation's texts (its Danish name kept as an alias)."""
        if not self.translation_is_current(language):
            return self
        translation = self.translations[language]
        texts = {field: getattr(translation, field) for field in TRANSLATED_FIELDS if getattr(translation, field)}
        aliases = self.aliases + ([self.name] if texts.get("name", self.name) != self.name else [])
        return self.copy(update={**texts, "aliases": aliases})

    def has_contact_details(self) -> bool:
        return bool(self.phone or self.email or self.address)
