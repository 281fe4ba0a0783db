"""The inbox of unanswered questions and the dashboard: staff pages and JSON API.

Both read the conversations through ``bot.insights`` (the query layer over
Rasa's tracker store); the app holds one ``Insights`` under ``INSIGHTS``,
made by ``setup_admin`` from the privacy settings read when the app was
created. Questions are redacted again on their way here; the pages show them
as text, never as HTML.
"""
import datetime
import re
from typing import List, Optional
from urllib.parse import urlencode

from aiohttp import web

from bot.answer_store.times import LOCAL_TIME, danish_time
from bot.insights import DEFAULT_DAYS, MAX_DAYS, ConversationsUnavailable, Dashboard, InboxItem, Insights
from bot.insights.labels import channel_label
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


def new_answer_link(question: str) -> str:
    """The new-entry form for a frequently asked question, with ``question`` filled in."""
    return "/admin/entries/new?" + urlencode({"kind": "faq", "question": question})


# --- the inbox --------------------------------------------------------------------------------


def inbox_item_json(item: InboxItem) -> dict:
    group = item.group
    return {
        "key": group.key, "question": group.question, "count": group.count, "channels": group.channels,
        "first": _iso(group.first), "last": _iso(group.last), "variants": group.variants,
        "handled": item.handled is not None,
        "handled_at": _iso(item.handled.handled_at) if item.handled else None,
        "handled_by": item.handled.handled_by if item.handled else None,
    }


def _inbox_rows(items: List[InboxItem]) -> List[dict]:
    return [{
        "key": item.group.key, "question": item.group.question, "count": item.group.count,
        "variants": item.group.variants, "channels": [channel_label(c) for c in item.group.channels],
        "first": danish_time(item.group.first), "last": danish_time(item.group.last),
        "new_answer": new_answer_link(item.group.question),
        "handled": {"at": danish_time(item.handled.handled_at), "by": item.handled.handled_by}
        if item.handled else None,
    } for item in items]


def _inbox_page(request: web.Request, problem: Optional[str] = None, status: int = 200) -> web.Response:
    days = _page_days(request)
    include_handled = request.query.get("include_handled") == "true"
    messages = [HANDLED] if request.query.get("klaret") == "1" else []
    try:
        rows = _inbox_rows(_insights(request).inbox(days, include_handled))
    except ConversationsUnavailable:
        rows, problem, status = [], UNAVAILABLE, 503
    return render(request, "admin/inbox.html", status=status, section="inbox", rows=rows, days=days,
                   periods=PERIODS, include_handled=include_handled, problem=problem, messages=messages)


async def inbox_page(request: web.Request) -> web.Response:
    return _inbox_page(request)


async def mark_handled_page(request: web.Request) -> web.Response:
    post = await request.post()
    key = post.get("key")
    try:
        item = _insights(request).mark_handled(key, staff(request).user.name) \
            if isinstance(key, str) and KEY_PATTERN.match(key) else None
    except ConversationsUnavailable:
        return _inbox_page(request, UNAVAILABLE, status=503)
    if item is None:
        return _inbox_page(request, UNKNOWN_QUESTION, status=404)
    days = post.get("days")
    same_period = f"&days={days}" if isinstance(days, str) and days in map(str, PERIODS) else ""
    raise web.HTTPSeeOther(f"/admin/inbox?klaret=1{same_period}")


@api_handler()
async def inbox(request: web.Request) -> web.Response:
    include_handled = query_flag(request, "include_handled", default=False)
    days = query_number(request, "days", default=DEFAULT_DAYS, highest=MAX_DAYS)
    try:
        items = _insights(request).inbox(days, include_handled)
    except ConversationsUnavailable:
        raise ApiError(503, UNAVAILABLE) from None
    return web.json_response({"days": days, "groups": [inbox_item_json(item) for item in items]})


@api_handler()
async def mark_handled(request: web.Request) -> web.Response:
    body = await read_body(request, key=KEY)
    try:
        item = _insights(request).mark_handled(body["key"], staff(request).user.name)
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
    }


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
    "handled": {"type": "boolean"},
    "handled_at": {**MOMENT, "nullable": True}, "handled_by": {"type": "string", "nullable": True},
}, required=("key", "question", "count", "channels", "first", "last", "variants", "handled", "handled_at",
             "handled_by"), description="Lignende spørgsmål, assistenten ikke kunne svare på eller var usikker på.")

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
}, required=("days", "from", "to", "channels", "residents", "conversations_per_day", "topics", "answered",
             "callbacks_per_day", "callbacks"))

OPENAPI_PATHS = {
    "/admin/api/inbox": {"get": read_operation(
        "Ubesvarede spørgsmål, grupperet efter lighed (mest stillede først)", {
            **ok_response("Grupperne.", object_schema({"days": {"type": "integer"},
                                         "groups": {"type": "array", "items": INBOX_GROUP}}, ("days", "groups"))),
            **error_responses("BadRequest"), **UNAVAILABLE_RESPONSE,
        }, parameters=[
            DAYS_PARAMETER,
            {"name": "include_handled", "in": "query", "schema": {"type": "boolean", "default": False},
             "description": "Medtag grupper, der er markeret som klaret."},
        ], operationId="inbox")},
    "/admin/api/inbox/handled": {"post": change_operation(
        "Markér en gruppe spørgsmål som klaret (den vises ikke mere, heller ikke når spørgsmålet kommer igen)",
        json_body({"key": {"type": "string", "pattern": KEY_PATTERN.pattern, "description": "Gruppens nøgle."}},
              ("key",)), {
            **ok_response("Gruppen er markeret som klaret.", INBOX_GROUP), **NOT_IN_INBOX, **UNAVAILABLE_RESPONSE,
        }, operationId="mark_inbox_handled")},
    "/admin/api/dashboard": {"get": read_operation(
        "Overblikket: samtaler pr. dag og kanal, emner, andel besvaret, opringninger", {
            **ok_response("Tallene for perioden.", DASHBOARD), **error_responses("BadRequest"), **UNAVAILABLE_RESPONSE,
        }, parameters=[DAYS_PARAMETER], operationId="dashboard")},
}
