"""The inbox of unanswered questions and the dashboard: staff pages and JSON API.

Both read the conversations through ``bot.insights`` (the query layer over
Rasa's tracker store); the app holds one ``Insights`` under ``INSIGHTS``,
made by ``setup_admin`` from the privacy settings read when the app was
created. Questions are redacted again on their way here; the pages show them
as text, never as HTML, each with its language (``lang``, and ``dir="rtl"``
for Arabic, Farsi and Urdu).
"""
import datetime
import re
from typing import Dict, List, Optional, Sequence
from urllib.parse import urlencode

from aiohttp import web

from bot.answer_store.review_dates import ReviewFigures
from bot.answer_store.times import LOCAL_TIME, danish_time
from bot.insights import DEFAULT_DAYS, MAX_DAYS, ConversationsUnavailable, Dashboard, InboxItem, Insights
from bot.insights.labels import channel_label, language_code, language_label, language_own_name, text_direction
from bot.language.detect import DANISH, SUPPORTED
from bot.web.admin import charts
from bot.web.admin.api import ApiError, Field, api_handler, query_flag, query_number, read_body
from bot.web.admin.auth import staff
from bot.web.admin.openapi_parts import (
    change_operation, error_response, error_responses, json_body, object_schema, ok_response, read_operation,
)
from bot.web.admin.pages import render
from bot.web.keys import INSIGHTS

KEY_PATTERN = re.compile(r"^[0-9a-f]{64}$")
KEY = Field(lambda value: isinstance(value, str) and bool(KEY_PATTERN.match(value)),
            "en nøgle fra indbakken (64 tegn: 0-9 og a-f)")
PERIODS = (7, 30, 90, 365)  # what the pages offer; the API takes any number of days up to MAX_DAYS
LANGUAGE = Field(lambda value: language_code(value) is not None,
                 "en sprogkode: " + ", ".join(SUPPORTED)).optional()
# The language chart draws at most this many languages (admin.css colours six
# series); with more, the rest are one part, "Andre sprog". The table has them all.
CHART_LANGUAGES = 6
OTHER_LANGUAGES = "andre"

UNAVAILABLE = "Samtalerne kan ikke læses lige nu. Prøv igen om lidt."
UNKNOWN_QUESTION = "Spørgsmålet findes ikke i indbakken. Måske er samtalen slettet i mellemtiden."
HANDLED = "Spørgsmålet er markeret som klaret og vises ikke længere i indbakken."


def _insights(request: web.Request) -> Insights:
    return request.app[INSIGHTS]


def _iso(moment: datetime.datetime) -> str:
    """A moment in Køge's time, ISO 8601 with its UTC offset."""
    return moment.astimezone(LOCAL_TIME).isoformat(timespec="seconds")


def _page_days(request: web.Request) -> int:
    """The period a page shows: ``?days=`` when it is a sensible number, else the default."""
    value = request.query.get("days", "")
    return int(value) if value.isascii() and value.isdigit() and 1 <= int(value) <= MAX_DAYS else DEFAULT_DAYS


def _page_language(request: web.Request) -> Optional[str]:
    """The language a page is limited to: ``?language=`` when it is one the assistant knows, else None (all)."""
    return language_code(request.query.get("language"))


def _query_language(request: web.Request) -> Optional[str]:
    """The API's ``?language=``: None when absent or empty; 400 when it is not a known code."""
    value = request.query.get("language")
    if value is None or value == "":
        return None
    if language_code(value) is None:
        raise ApiError(400, f"Parameteren 'language' skal være en af sprogkoderne {', '.join(SUPPORTED)}.")
    return value


def language_view(language: str) -> dict:
    """What a page needs to show a language and text in it: code, Danish name,
    the language's own name (None for Danish), writing direction."""
    return {"code": language, "label": language_label(language), "own_name": language_own_name(language),
            "dir": text_direction(language)}


def language_options() -> List[tuple]:
    """The inbox's language filter: (code, Danish name), in the order the assistant lists its languages."""
    return [(code, language_label(code)) for code in SUPPORTED]


def new_answer_link(question: str) -> str:
    """The new-entry form for a frequently asked question, with ``question`` filled in."""
    return "/admin/entries/new?" + urlencode({"kind": "faq", "question": question})


# --- the inbox --------------------------------------------------------------------------------


def inbox_item_json(item: InboxItem) -> dict:
    group = item.group
    return {
        "key": group.key, "question": group.question, "count": group.count, "channels": group.channels,
        "first": _iso(group.first), "last": _iso(group.last), "variants": group.variants,
        "language": group.language, "languages": group.languages, "variant_languages": group.variant_languages,
        "handled": item.handled is not None,
        "handled_at": _iso(item.handled.handled_at) if item.handled else None,
        "handled_by": item.handled.handled_by if item.handled else None,
    }


def _inbox_rows(items: List[InboxItem]) -> List[dict]:
    return [{
        "key": item.group.key, "question": item.group.question, "count": item.group.count,
        "language": language_view(item.group.language),
        "other_languages": [language_label(code) for code in item.group.languages if code != item.group.language],
        "variants": [{"text": text, "language": language_view(code)}
                     for text, code in zip(item.group.variants, item.group.variant_languages)],
        "channels": [channel_label(c) for c in item.group.channels],
        "first": danish_time(item.group.first), "last": danish_time(item.group.last),
        "new_answer": new_answer_link(item.group.question),
        "handled": {"at": danish_time(item.handled.handled_at), "by": item.handled.handled_by}
        if item.handled else None,
    } for item in items]


def _inbox_page(request: web.Request, problem: Optional[str] = None, status: int = 200) -> web.Response:
    days = _page_days(request)
    include_handled = request.query.get("include_handled") == "true"
    language = _page_language(request)
    messages = [HANDLED] if request.query.get("klaret") == "1" else []
    try:
        rows = _inbox_rows(_insights(request).inbox(days, include_handled, language=language))
    except ConversationsUnavailable:
        rows, problem, status = [], UNAVAILABLE, 503
    return render(request, "admin/inbox.html", status=status, section="inbox", rows=rows, days=days,
                   periods=PERIODS, include_handled=include_handled, problem=problem, messages=messages,
                   language=language, language_name=language_label(language) if language else None,
                   languages=language_options())


async def inbox_page(request: web.Request) -> web.Response:
    return _inbox_page(request)


async def mark_handled_page(request: web.Request) -> web.Response:
    post = await request.post()
    key = post.get("key")
    language = language_code(post.get("language"))
    try:
        item = _insights(request).mark_handled(key, staff(request).user.name, language=language) \
            if isinstance(key, str) and KEY_PATTERN.match(key) else None
    except ConversationsUnavailable:
        return _inbox_page(request, UNAVAILABLE, status=503)
    if item is None:
        return _inbox_page(request, UNKNOWN_QUESTION, status=404)
    days = post.get("days")
    same_period = f"&days={days}" if isinstance(days, str) and days in map(str, PERIODS) else ""
    same_language = f"&language={language}" if language else ""
    raise web.HTTPSeeOther(f"/admin/inbox?klaret=1{same_period}{same_language}")


@api_handler()
async def inbox(request: web.Request) -> web.Response:
    include_handled = query_flag(request, "include_handled", default=False)
    days = query_number(request, "days", default=DEFAULT_DAYS, highest=MAX_DAYS)
    language = _query_language(request)
    try:
        items = _insights(request).inbox(days, include_handled, language=language)
    except ConversationsUnavailable:
        raise ApiError(503, UNAVAILABLE) from None
    return web.json_response({"days": days, "language": language,
                              "groups": [inbox_item_json(item) for item in items]})


@api_handler()
async def mark_handled(request: web.Request) -> web.Response:
    body = await read_body(request, key=KEY, language=LANGUAGE)
    try:
        item = _insights(request).mark_handled(body["key"], staff(request).user.name, language=body.get("language"))
    except ConversationsUnavailable:
        raise ApiError(503, UNAVAILABLE) from None
    if item is None:
        raise ApiError(404, UNKNOWN_QUESTION)
    return web.json_response(inbox_item_json(item))


# --- the dashboard ----------------------------------------------------------------------------


def dashboard_json(figures: Dashboard) -> dict:
    return {
        "days": figures.period.days,
        "from": figures.period.start.date().isoformat(),
        "to": figures.period.end.date().isoformat(),
        "channels": [{"key": channel, "label": channel_label(channel)} for channel in figures.channels],
        "residents": figures.residents,
        "conversations_per_day": [{"date": day.date.isoformat(), "total": day.total, "by_channel": day.by_channel}
                                  for day in figures.conversations],
        "topics": [{"intent": topic.intent, "label": topic.label, "count": topic.count} for topic in figures.topics],
        "answered": {"questions": figures.questions, "answered": figures.answered, "share": figures.answered_share},
        "callbacks_per_day": [{"date": day.date.isoformat(), "count": day.count} for day in figures.callbacks],
        "callbacks": figures.total_callbacks,
        "languages": [{"code": code, "label": language_label(code), "messages": figures.language_total(code)}
                      for code in figures.languages],
        "messages_per_day_and_language": [{"date": day.date.isoformat(), "total": day.total,
                                           "by_language": day.by_language}
                                          for day in figures.messages_by_language],
        "not_danish": {"messages": figures.not_danish, "share": figures.not_danish_share},
        "reviews": _reviews_json(figures.reviews),
    }


def _reviews_json(reviews: Optional[ReviewFigures]) -> dict:
    if reviews is None:
        return {"due": 0, "overdue": 0, "checked": 0, "answers_with_entry": 0, "answers_from_overdue": 0}
    return {"due": reviews.due, "overdue": reviews.overdue, "checked": reviews.checked,
            "answers_with_entry": reviews.answers_with_entry, "answers_from_overdue": reviews.answers_from_overdue}


def _danish_date(day: datetime.date) -> str:
    return day.strftime("%d.%m.%Y")


def danish_number(count: int) -> str:
    """12345 as Danes write it: 12.345."""
    return f"{count:,}".replace(",", ".")


def _plural(count: int, one: str, many: str) -> str:
    return f"{danish_number(count)} {one if count == 1 else many}"


def _conversation_chart(figures: Dashboard) -> dict:
    names = [channel_label(channel) for channel in figures.channels]
    titles = []
    for day in figures.conversations:
        parts = ", ".join(f"{name} {day.by_channel[channel]}" for channel, name in zip(figures.channels, names)
                          if day.by_channel.get(channel))
        titles.append(f"{_danish_date(day.date)}: {_plural(day.total, 'samtale', 'samtaler')}"
                      + (f" ({parts})" if parts else ""))
    chart = charts.stacked_bars([day.date for day in figures.conversations],
                                [day.by_channel for day in figures.conversations], figures.channels, titles)
    chart["legend"] = [{"series": number % charts.SERIES_CLASSES, "label": name} for number, name in enumerate(names)]
    chart["rows"] = [{"date": _danish_date(day.date), "total": day.total,
                      "counts": [day.by_channel.get(channel, 0) for channel in figures.channels]}
                     for day in figures.conversations]
    chart["names"] = names
    busiest = max(figures.conversations, key=lambda day: day.total)
    chart["busiest"] = {"date": _danish_date(busiest.date), "total": busiest.total}
    return chart


def _percent(share: Optional[float]) -> Optional[str]:
    """0.123 as "12 %" (under 1 % but not none: "under 1 %"); None as None."""
    if share is None:
        return None
    percent = round(share * 100)
    return "under 1 %" if percent == 0 and share > 0 else f"{percent} %"


def _danish_first(languages: Sequence[str]) -> List[str]:
    """Danish first (the bottom of each bar, always the same colour), then the others as given."""
    return sorted(languages, key=lambda code: code != DANISH)


def _chart_series(languages: Sequence[str]) -> List[str]:
    """The languages the chart draws (``languages`` in order), the rest as ``OTHER_LANGUAGES``."""
    if len(languages) <= CHART_LANGUAGES:
        return list(languages)
    return [*languages[:CHART_LANGUAGES - 1], OTHER_LANGUAGES]


def _chart_counts(by_language: Dict[str, int], series: Sequence[str]) -> Dict[str, int]:
    drawn = {code: by_language.get(code, 0) for code in series if code != OTHER_LANGUAGES}
    if OTHER_LANGUAGES in series:
        drawn[OTHER_LANGUAGES] = sum(count for code, count in by_language.items() if code not in drawn)
    return drawn


def _language_chart(figures: Dashboard) -> dict:
    days = figures.messages_by_language
    languages = _danish_first(figures.languages)
    series = _chart_series(languages)
    series_names = [language_label(code) if code != OTHER_LANGUAGES else "Andre sprog" for code in series]
    titles = []
    for day in days:
        parts = ", ".join(f"{language_label(code)} {day.by_language[code]}" for code in languages
                          if day.by_language.get(code))
        titles.append(f"{_danish_date(day.date)}: {_plural(day.total, 'besked', 'beskeder')}"
                      + (f" ({parts})" if parts else ""))
    chart = charts.stacked_bars([day.date for day in days], [_chart_counts(day.by_language, series) for day in days],
                                series, titles)
    chart["legend"] = [{"series": number % charts.SERIES_CLASSES, "label": name}
                       for number, name in enumerate(series_names)]
    chart["languages"] = [language_view(code) for code in languages]
    chart["rows"] = [{"date": _danish_date(day.date), "total": day.total,
                      "counts": [day.by_language.get(code, 0) for code in languages]} for day in days]
    chart["totals"] = [{**language_view(code), "messages": figures.language_total(code),
                        "share": _percent(figures.language_total(code) / figures.questions)}
                       for code in languages]
    chart["not_danish"] = {"messages": figures.not_danish, "share": _percent(figures.not_danish_share)}
    return chart


def _callback_chart(figures: Dashboard) -> dict:
    chart = charts.stacked_bars(
        [day.date for day in figures.callbacks], [{"callbacks": day.count} for day in figures.callbacks],
        ["callbacks"], [f"{_danish_date(day.date)}: {_plural(day.count, 'opringning', 'opringninger')}"
                        for day in figures.callbacks])
    chart["rows"] = [{"date": _danish_date(day.date), "count": day.count} for day in figures.callbacks]
    return chart


def _dashboard_context(figures: Dashboard) -> dict:
    share = figures.answered_share
    return {
        "figures": figures,
        "number": danish_number,
        "start": _danish_date(figures.period.start.date()),
        "end": _danish_date(figures.period.end.date()),
        "conversations": _conversation_chart(figures),
        "topics": charts.horizontal_bars([(topic.label, topic.count) for topic in figures.topics]),
        "answered": {"questions": figures.questions, "answered": figures.answered,
                     "unanswered": figures.questions - figures.answered,
                     "donut": charts.donut(share) if share is not None else None},
        "callbacks": _callback_chart(figures),
        "languages": _language_chart(figures),
        "reviews": figures.reviews,
    }


async def dashboard_page(request: web.Request) -> web.Response:
    days = _page_days(request)
    try:
        context = _dashboard_context(_insights(request).dashboard(days))
    except ConversationsUnavailable:
        return render(request, "admin/dashboard.html", status=503, section="dashboard", days=days,
                       periods=PERIODS, problem=UNAVAILABLE, figures=None)
    return render(request, "admin/dashboard.html", section="dashboard", days=days, periods=PERIODS,
                   problem=None, **context)


@api_handler()
async def dashboard(request: web.Request) -> web.Response:
    days = query_number(request, "days", default=DEFAULT_DAYS, highest=MAX_DAYS)
    try:
        figures = _insights(request).dashboard(days)
    except ConversationsUnavailable:
        raise ApiError(503, UNAVAILABLE) from None
    return web.json_response(dashboard_json(figures))


# --- the API's description --------------------------------------------------------------------

COUNT = {"type": "integer", "minimum": 0}
DATE = {"type": "string", "format": "date"}
MOMENT = {"type": "string", "format": "date-time", "description": "Tidspunkt i dansk tid (med UTC-forskydning)."}
DAYS_PARAMETER = {"name": "days", "in": "query",
                  "schema": {"type": "integer", "minimum": 1, "maximum": MAX_DAYS, "default": DEFAULT_DAYS},
                  "description": "Perioden: de seneste så mange dage, i dag medregnet (dansk tid)."}
LANGUAGE_CODE = {"type": "string", "enum": list(SUPPORTED),
                 "description": "Sprogkode: " + ", ".join(f"{code} ({language_label(code).lower()})"
                                                          for code in SUPPORTED) + "."}
LANGUAGE_PARAMETER = {"name": "language", "in": "query", "schema": LANGUAGE_CODE,
                      "description": "Kun spørgsmål skrevet på dette sprog (uden: alle sprog)."}
NOT_IN_INBOX = {"404": error_response("Spørgsmålet findes ikke i indbakken (ukendt nøgle, eller samtalen er slettet).")}
UNAVAILABLE_RESPONSE = {"503": error_response("Samtalerne kan ikke læses lige nu.")}

INBOX_GROUP = object_schema({
    "key": {"type": "string", "pattern": KEY_PATTERN.pattern,
            "description": "Gruppens nøgle (SHA-256 af det foldede spørgsmål); markerer den som klaret."},
    "question": {"type": "string", "description": "Det mest stillede spørgsmål i gruppen, uden personoplysninger."},
    "count": {"type": "integer", "minimum": 1, "description": "Hvor mange gange spørgsmålene i gruppen er stillet."},
    "channels": {"type": "array", "items": {"type": "string"},
                 "description": "Kanalerne, spørgsmålene kom fra (socketio, rest, gatewayapi, twilio, ...)."},
    "first": MOMENT, "last": MOMENT,
    "variants": {"type": "array", "items": {"type": "string"}, "description": "Andre formuleringer i gruppen."},
    "language": {**LANGUAGE_CODE, "description": "Det sprog, spørgsmålet (question) er skrevet på."},
    "languages": {"type": "array", "items": LANGUAGE_CODE,
                  "description": "Alle sprog i gruppen, det mest brugte først."},
    "variant_languages": {"type": "array", "items": LANGUAGE_CODE,
                          "description": "Sproget for hver af de andre formuleringer, i samme rækkefølge."},
    "handled": {"type": "boolean"},
    "handled_at": {**MOMENT, "nullable": True}, "handled_by": {"type": "string", "nullable": True},
}, required=("key", "question", "count", "channels", "first", "last", "variants", "language", "languages",
             "variant_languages", "handled", "handled_at", "handled_by"),
    description="Lignende spørgsmål, assistenten ikke kunne svare på eller var usikker på.")

DASHBOARD = object_schema({
    "days": {"type": "integer", "minimum": 1, "maximum": MAX_DAYS}, "from": DATE, "to": DATE,
    "channels": {"type": "array", "items": object_schema({"key": {"type": "string"}, "label": {"type": "string"}},
                                                   ("key", "label"))},
    "residents": {**COUNT, "description": "Forskellige afsendere i perioden."},
    "conversations_per_day": {"type": "array", "items": object_schema({
        "date": DATE, "total": {**COUNT, "description": "Afsendere med mindst én besked den dag."},
        "by_channel": {"type": "object", "additionalProperties": COUNT,
                       "description": "Afsendere pr. kanal den dag."},
    }, ("date", "total", "by_channel"))},
    "topics": {"type": "array", "items": object_schema({
        "intent": {"type": "string"}, "label": {"type": "string"}, "count": {"type": "integer", "minimum": 1},
    }, ("intent", "label", "count")), "description": "De emner, der blev spurgt mest om (uden hilsner og tak)."},
    "answered": object_schema({
        "questions": {**COUNT, "description": "Beskeder fra borgerne."},
        "answered": {**COUNT, "description": "Beskeder, assistenten kunne svare sikkert på."},
        "share": {"type": "number", "minimum": 0, "maximum": 1, "nullable": True,
                  "description": "answered / questions (null uden beskeder)."},
    }, ("questions", "answered", "share")),
    "callbacks_per_day": {"type": "array", "items": object_schema({"date": DATE, "count": COUNT}, ("date", "count"))},
    "callbacks": {**COUNT, "description": "Ønsker om at blive ringet op i perioden."},
    "languages": {"type": "array", "items": object_schema({
        "code": LANGUAGE_CODE, "label": {"type": "string"},
        "messages": {"type": "integer", "minimum": 1, "description": "Beskeder på sproget i perioden."},
    }, ("code", "label", "messages")), "description": "Sprogene i perioden, det mest brugte først."},
    "messages_per_day_and_language": {"type": "array", "items": object_schema({
        "date": DATE, "total": {**COUNT, "description": "Beskeder fra borgerne den dag."},
        "by_language": {"type": "object", "additionalProperties": COUNT,
                        "description": "Beskeder pr. sprogkode den dag (kun sprog med beskeder)."},
    }, ("date", "total", "by_language"))},
    "not_danish": object_schema({
        "messages": {**COUNT, "description": "Beskeder på et andet sprog end dansk."},
        "share": {"type": "number", "minimum": 0, "maximum": 1, "nullable": True,
                  "description": "messages / alle beskeder (null uden beskeder)."},
    }, ("messages", "share")),
    "reviews": object_schema({
        "due": {**COUNT, "description": "Poster, der skal tjekkes inden for 14 dage (tjekdatoen er ikke overskredet)."},
        "overdue": {**COUNT, "description": "Poster, hvis tjekdato er overskredet (eller hvis tekst nævner en "
                                            "dato, der er gået)."},
        "checked": {**COUNT, "description": "Poster, der er tjekket i perioden (»Stadig rigtigt« eller ny tekst)."},
        "answers_with_entry": {**COUNT, "description": "Svar i perioden, der kom fra én bestemt post."},
        "answers_from_overdue": {**COUNT, "description": "Af dem: svar fra en post, hvis tjekdato var "
                                                         "overskredet, da svaret blev givet."},
    }, ("due", "overdue", "checked", "answers_with_entry", "answers_from_overdue"),
        description="Tjek af svardata: 'due' og 'overdue' er, som det står i dag; resten gælder perioden."),
}, required=("days", "from", "to", "channels", "residents", "conversations_per_day", "topics", "answered",
             "callbacks_per_day", "callbacks", "languages", "messages_per_day_and_language", "not_danish",
             "reviews"))

OPENAPI_PATHS = {
    "/admin/api/inbox": {"get": read_operation(
        "Ubesvarede spørgsmål, grupperet efter lighed (mest stillede først)", {
            **ok_response("Grupperne.", object_schema({
                "days": {"type": "integer"},
                "language": {**LANGUAGE_CODE, "nullable": True, "description": "Sproget, der er valgt (null: alle)."},
                "groups": {"type": "array", "items": INBOX_GROUP}}, ("days", "language", "groups"))),
            **error_responses("BadRequest"), **UNAVAILABLE_RESPONSE,
        }, parameters=[
            DAYS_PARAMETER, LANGUAGE_PARAMETER,
            {"name": "include_handled", "in": "query", "schema": {"type": "boolean", "default": False},
             "description": "Medtag grupper, der er markeret som klaret."},
        ], operationId="inbox")},
    "/admin/api/inbox/handled": {"post": change_operation(
        "Markér en gruppe spørgsmål som klaret (den vises ikke mere, heller ikke når spørgsmålet kommer igen)",
        json_body({"key": {"type": "string", "pattern": KEY_PATTERN.pattern, "description": "Gruppens nøgle."},
                   "language": {**LANGUAGE_CODE,
                                "description": "Sproget, indbakken var begrænset til, da nøglen blev vist "
                                               "(udelades, når den viste alle sprog)."}},
              ("key",)), {
            **ok_response("Gruppen er markeret som klaret.", INBOX_GROUP), **NOT_IN_INBOX, **UNAVAILABLE_RESPONSE,
        }, operationId="mark_inbox_handled")},
    "/admin/api/dashboard": {"get": read_operation(
        "Overblikket: samtaler pr. dag og kanal, emner, andel besvaret, opringninger, beskeder pr. sprog, "
        "tjek af svardata", {
            **ok_response("Tallene for perioden.", DASHBOARD), **error_responses("BadRequest"), **UNAVAILABLE_RESPONSE,
        }, parameters=[DAYS_PARAMETER], operationId="dashboard")},
}
