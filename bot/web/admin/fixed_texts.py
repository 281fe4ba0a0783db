"""The sentences shipped in every language ("Faste oversættelser"): a staff page and the JSON API.

They come with the project (``bot/language/fixed.yml`` and the translated
responses of ``responses.yml``, listed by ``bot.language.texts.shipped_sentences``)
and residents always get them, checked or not: the danger answers must reach
everyone in their own language. Staff record here that a translator has
checked them, for a whole language or sentence by sentence; a check holds for
the text that was checked (its fingerprint), so a sentence changed in a new
release shows as not checked again (``bot.answer_store.reviews``).
"""
from typing import Dict, List, Optional, Sequence

from aiohttp import web

from bot.answer_store import AnswerStore, ReviewRefused, SentenceReview
from bot.answer_store.times import LOCAL_TIME, danish_date
from bot.language.texts import ShippedSentence, language_name, languages_with_fixed_texts, shipped_sentences
from bot.web.admin.api import ApiError, Field, api_handler, read_body
from bot.web.admin.auth import staff
from bot.web.admin.forms import language_title
from bot.web.admin.openapi_parts import (
    TIMESTAMP, change_operation, error_response, error_responses, json_body, object_schema, ok_response,
    read_operation,
)
from bot.web.admin.pages import render
from bot.web.admin.translation_forms import direction
from bot.web.keys import ANSWER_STORE

NOT_CHECKED = "Ikke tjekket af en oversætter"
NONE_CHOSEN = "Sæt flueben ved de sætninger, oversætteren har tjekket, eller vælg »Hele sproget er tjekket«."
RECORDED = "Det er gemt, at oversætteren har tjekket sætningerne."
SCOPE_ALL, SCOPE_CHOSEN = "all", "chosen"


def _store(request: web.Request) -> AnswerStore:
    return request.app[ANSWER_STORE]


def _day(review: SentenceReview) -> str:
    return danish_date(review.recorded_at.astimezone(LOCAL_TIME).date())


def checked_text(review: SentenceReview) -> str:
    return f"Tjekket af {review.translator}, {_day(review)}"


def _matching(sentence: ShippedSentence, reviews: Sequence[SentenceReview]):
    """The newest check of this text, and the newest of an earlier text of the sentence."""
    of_key = [r for r in reviews if r.sentence_key == sentence.key]  # newest first
    current = next((r for r in of_key if r.fingerprint == sentence.fingerprint), None)
    earlier = next((r for r in of_key if r.fingerprint != sentence.fingerprint), None)
    return current, earlier


def language_state(store: AnswerStore, language: str) -> dict:
    """The language's sentences with their review state, for the page and the API alike."""
    reviews = store.reviews.of_language(language)
    sentences = []
    for sentence in shipped_sentences(language):
        current, earlier = _matching(sentence, reviews)
        sentences.append({"sentence": sentence, "review": current, "earlier": earlier if current is None else None})
    return {"language": language, "sentences": sentences,
            "checked": sum(item["review"] is not None for item in sentences), "total": len(sentences)}


# --- page -----------------------------------------------------------------------------------


def _section(store: AnswerStore, language: str) -> dict:
    state = language_state(store, language)
    rows = []
    for item in state["sentences"]:
        sentence, review, earlier = item["sentence"], item["review"], item["earlier"]
        rows.append({
            "key": sentence.key, "response": sentence.response, "condition": sentence.condition,
            "text": sentence.text, "buttons": sentence.buttons, "danish": sentence.danish,
            "checked": review is not None, "state": checked_text(review) if review else NOT_CHECKED,
            "earlier": (f"Teksten er ændret, efter {earlier.translator} tjekkede den {_day(earlier)}."
                        if earlier else None),
        })
    return {"language": language, "title": language_title(language), "dir": direction(language), "rows": rows,
            "checked": state["checked"], "total": state["total"]}


def _fixed_page(request: web.Request, errors: Optional[Dict[str, str]] = None,
                typed: Optional[Dict[str, dict]] = None, status: int = 200) -> web.Response:
    store = _store(request)
    done = request.query.get("tjekket", "")
    return render(request, "admin/fixed_translations.html", status=status, section="fixed",
                  sections=[_section(store, code) for code in languages_with_fixed_texts()],
                  errors=errors or {}, typed=typed or {}, done=done, recorded=RECORDED)


async def fixed_page(request: web.Request) -> web.Response:
    return _fixed_page(request)


async def record_page(request: web.Request) -> web.Response:
    language = request.match_info["language"]
    if language not in languages_with_fixed_texts():
        raise web.HTTPNotFound()
    post = await request.post()
    translator = post.get("translator") if isinstance(post.get("translator"), str) else ""
    chosen = [key for key in post.getall("key", []) if isinstance(key, str)]
    fingerprints = {s.key: s.fingerprint for s in shipped_sentences(language)}
    if post.get("scope") == SCOPE_CHOSEN:
        fingerprints = {key: fingerprints[key] for key in chosen if key in fingerprints}
    try:
        if not fingerprints:
            raise ReviewRefused(NONE_CHOSEN)
        _store(request).reviews.record(language, fingerprints, translator, staff(request).user.name)
    except ReviewRefused as error:
        return _fixed_page(request, errors={language: str(error)},
                           typed={language: {"translator": translator, "chosen": chosen}}, status=400)
    raise web.HTTPSeeOther(f"/admin/fixed-translations?tjekket={language}#sprog-{language}")


# --- API --------------------------------------------------------------------------------------

KEYS = Field(lambda value: isinstance(value, list) and all(isinstance(key, str) for key in value),
             "en liste af tekster (sætningernes nøgler)", required=False)
TRANSLATOR = Field(lambda value: isinstance(value, str), "en tekst")


def _review_json(review: Optional[SentenceReview]) -> Optional[dict]:
    if review is None:
        return None
    return {"translator": review.translator, "recorded_by": review.recorded_by,
            "recorded_at": review.recorded_at.isoformat(), "fingerprint": review.fingerprint}


def language_json(store: AnswerStore, language: str) -> dict:
    state = language_state(store, language)
    return {
        "language": language, "language_name": language_name(language),
        "checked": state["checked"], "total": state["total"],
        "sentences": [{
            "key": item["sentence"].key, "response": item["sentence"].response,
            "condition": item["sentence"].condition, "text": item["sentence"].text,
            "buttons": list(item["sentence"].buttons), "danish": item["sentence"].danish,
            "fingerprint": item["sentence"].fingerprint, "checked": item["review"] is not None,
            "review": _review_json(item["review"]), "earlier_review": _review_json(item["earlier"]),
        } for item in state["sentences"]],
    }


def _api_language(language: str) -> str:
    if language not in languages_with_fixed_texts():
        raise ApiError(404, f"Sproget '{language}' kan ikke vælges. "
                            f"Brug en af: {', '.join(languages_with_fixed_texts())}.")
    return language


@api_handler()
async def list_fixed(request: web.Request) -> web.Response:
    wanted = request.query.get("language", "")
    if wanted and wanted not in languages_with_fixed_texts():
        raise ApiError(400, f"Parameteren 'language' skal være en af: {', '.join(languages_with_fixed_texts())}.")
    languages = [wanted] if wanted else languages_with_fixed_texts()
    store = _store(request)
    return web.json_response({"languages": [language_json(store, code) for code in languages]})


@api_handler()
async def record_reviews(request: web.Request) -> web.Response:
    language = _api_language(request.match_info["language"])
    body = await read_body(request, translator=TRANSLATOR, keys=KEYS)
    fingerprints = {s.key: s.fingerprint for s in shipped_sentences(language)}
    if "keys" in body:
        unknown = [key for key in body["keys"] if key not in fingerprints]
        if unknown:
            raise ApiError(422, f"Ukendt sætning på sproget '{language}': {', '.join(unknown[:5])}.")
        fingerprints = {key: fingerprints[key] for key in body["keys"]}
        if not fingerprints:
            raise ReviewRefused("Listen 'keys' er tom: nævn mindst én sætning, eller udelad 'keys' for hele sproget.")
    store = _store(request)
    store.reviews.record(language, fingerprints, body["translator"], staff(request).user.name)
    return web.json_response(language_json(store, language))


# --- the API's description ----------------------------------------------------------------------

LANGUAGE = {"type": "string", "enum": languages_with_fixed_texts(),
            "description": "Sprogkoden: en, ar, tr, so, ur, fa, pl, uk eller ti."}
REVIEW = object_schema({
    "translator": {"type": "string", "description": "Oversætteren, der har tjekket sætningen."},
    "recorded_by": {"type": "string", "description": "Medarbejderen, der registrerede det."},
    "recorded_at": TIMESTAMP,
    "fingerprint": {"type": "string", "description": "Fingeraftryk af den tekst, der blev tjekket."},
}, required=("translator", "recorded_by", "recorded_at", "fingerprint"))
SENTENCE = object_schema({
    "key": {"type": "string", "description": "Nøglen i fixed.yml, eller svarets navn med varianten, "
                                             "fx utter_emergency/police."},
    "response": {"type": "string", "nullable": True, "description": "Svarets navn i domain.yml (ellers null)."},
    "condition": {"type": "string", "nullable": True, "description": "Svarets variant (værdien af 'danger')."},
    "text": {"type": "string", "description": "Sætningen, som borgerne får den."},
    "buttons": {"type": "array", "items": {"type": "string"}, "description": "Knapperne under svaret."},
    "danish": {"type": "string", "nullable": True, "description": "Den danske tekst, den er oversat fra."},
    "fingerprint": {"type": "string", "description": "Fingeraftryk af sætningen, som den er nu."},
    "checked": {"type": "boolean", "description": "Tjekket af en oversætter, som teksten er nu."},
    "review": {**REVIEW, "nullable": True},
    "earlier_review": {**REVIEW, "nullable": True,
                       "description": "Et tjek af en tidligere udgave af teksten (når den ikke er tjekket nu)."},
}, required=("key", "response", "condition", "text", "buttons", "danish", "fingerprint", "checked", "review",
             "earlier_review"))
LANGUAGE_SENTENCES = object_schema({
    "language": LANGUAGE, "language_name": {"type": "string"},
    "checked": {"type": "integer", "minimum": 0}, "total": {"type": "integer", "minimum": 0},
    "sentences": {"type": "array", "items": SENTENCE},
}, required=("language", "language_name", "checked", "total", "sentences"),
    description="Sætningerne på ét sprog. Borgerne får dem altid, også før en oversætter har tjekket dem.")

OPENAPI_PATHS = {
    "/admin/api/fixed-translations": {"get": read_operation(
        "Sætningerne, der følger med assistenten på hvert sprog, og om en oversætter har tjekket dem", {
            **ok_response("Sprogene med deres sætninger.", object_schema(
                {"languages": {"type": "array", "items": LANGUAGE_SENTENCES}}, ("languages",))),
            **error_responses("BadRequest"),
        }, [{"name": "language", "in": "query", "schema": LANGUAGE, "description": "Kun dette sprog."}],
        operationId="list_fixed_translations")},
    "/admin/api/fixed-translations/{language}/reviews": {"post": change_operation(
        "Registrér, at en oversætter har tjekket sætningerne på et sprog (alle, eller dem i 'keys')",
        json_body({
            "translator": {"type": "string", "minLength": 1, "maxLength": 120, "description": "Oversætterens navn."},
            "keys": {"type": "array", "items": {"type": "string"}, "minItems": 1,
                     "description": "Kun disse sætninger (udelades: hele sproget)."},
        }, ("translator",)), {
            **ok_response("Det er registreret; sproget med sine sætninger.", LANGUAGE_SENTENCES),
            "404": error_response("Sproget findes ikke."),
            "422": error_response("Navnet mangler eller er for langt, eller en sætning findes ikke."),
        }, [{"name": "language", "in": "path", "required": True, "schema": LANGUAGE}],
        operationId="record_fixed_translation_reviews")},
}
