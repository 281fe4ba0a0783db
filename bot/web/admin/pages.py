"""The staff admin's HTML pages: answer data, history, import/export, staff.

Plain forms that work without JavaScript. Every change posts the session's
CSRF token (checked by ``auth.staff_only``); a change that worked redirects
(303) with a notice chosen by a query flag (never text a user typed), one
that did not shows the page again with everything typed still in it.

The front page starts with "Skal tjekkes" (the entries due for a check, the
staff member's own first) and every entry page says when the entry is to be
checked; "Stadig rigtigt" posts to ``mark_checked`` from either
(``review_forms`` says what they show). Its notice names the entry checked
(``?tjekket=<id>``): the name and next review date are read from the store.
"""
from functools import partial
from typing import Dict, List, Optional, Sequence

import aiohttp_jinja2
from aiohttp import web

from bot.answer_store import AnswerStore, EditConflict, NotFound, StaffError, StoredEntry, audit
from bot.answer_store.exchange import import_yaml
from bot.answer_store.live_chats import WAITING
from bot.answer_store.times import danish_time
from bot.knowledge.model import KnowledgeError, Problem
from bot.knowledge.schema import ID_PATTERN, KINDS
from bot.web.admin import forms, review_forms, translation_forms
from bot.web.admin.auth import require_admin, staff
from bot.web.admin.preview import Preview, preview_reply
from bot.web.keys import ANSWER_STORE

KIND_HEADINGS = {
    "plan": "Om helhedsplanen",
    "work_area": "Indsatsområder",
    "initiative": "Indsatser og samarbejder",
    "housing_area": "Boligområder",
    "contact": "Kontakter",
    "faq": "Ofte stillede spørgsmål",
    "referral": "Henvisninger (spørgsmål uden for helhedsplanen)",
}

# Shown after a change that worked, chosen by a flag in the address (?gemt=1).
NOTICES = {
    "gemt": "Gemt. Borgerne får det nye svar med det samme.",
    "oprettet": "Posten er oprettet. Borgerne kan få svar om den med det samme.",
    "fjernet": "Posten er fjernet. Borgerne får ikke længere svar om den.",
    "gendannet": "Versionen er gendannet. Borgerne får svaret med det samme.",
    "tilfoejet": "Medarbejderen er oprettet og kan logge ind nu.",
    "konto": "Ændringen af kontoen er gemt.",
    "oversat": "Oversættelsen er gemt. Borgere, der skriver på sproget, får den med det samme.",
    "bekraeftet": "Oversættelsen er markeret som stadig rigtig. Borgere, der skriver på sproget, får den igen.",
    "oversaettelse_slettet": "Oversættelsen er slettet. Borgere, der skriver på sproget, får den danske tekst.",
}

VERSION_ACTIONS = {
    "seeded": "Fra start",
    "created": "Oprettet",
    "edited": "Ændret",
    "retired": "Fjernet",
    "restored": "Gendannet",
    "imported": "Importeret",
    "checked": "Tjekket: stadig rigtigt",
    "review_added": "Ejer og tjekdato tilføjet",
    "translated": "Oversættelse skrevet",
    "translation_checked": "Oversættelse tjekket",
    "translation_removed": "Oversættelse slettet",
}

AUDIT_ACTIONS = {
    "entry_seeded": "Indlæste posten fra start",
    "entry_created": "Oprettede posten",
    "entry_edited": "Ændrede posten",
    "entry_retired": "Fjernede posten",
    "entry_restored": "Gendannede en version",
    "entry_imported": "Importerede posten",
    "entry_checked": "Tjekkede posten (Stadig rigtigt)",
    "entry_review_added": "Gav posten ejer og tjekdato",
    "review_digest_mailed": "Sendte listen over poster, der skal tjekkes",
    "entry_translated": "Skrev eller rettede en oversættelse",
    "entry_translation_checked": "Bekræftede en oversættelse (Stadig rigtig)",
    "entry_translation_removed": "Slettede en oversættelse",
    "fixed_texts_reviewed": "Registrerede, at en oversætter har tjekket faste sætninger",
    "user_added": "Oprettede en medarbejder",
    "user_enabled": "Åbnede en konto",
    "user_disabled": "Lukkede en konto",
    "password_changed": "Skiftede adgangskode",
    "logged_in": "Loggede ind",
    "logged_out": "Loggede ud",
    "callback_taken": "Tog en opringning",
    "callback_done": "Markerede en opringning som færdig",
    "callback_reopened": "Satte en opringning tilbage til ny",
    "inbox_handled": "Markerede spørgsmål i indbakken som klaret",
    "live_taken": "Tog en live samtale",
    "live_ended": "En live samtale sluttede",
    "live_released": "En live samtale gik tilbage i køen",
    "live_day_closed": "Lukkede live chatten for en dag",
    "live_day_opened": "Åbnede live chatten igen for en dag",
}

CONFLICT_SAVE = "Dine ændringer er ikke gemt"
CONFLICT_RETIRE = "Posten er ikke fjernet"
NOT_SAVED = "Posten er ikke gemt. Ret dette og prøv igen:"
NO_PREVIEW = "Svaret kan ikke vises, før dette er rettet:"
NOT_RETIRED = "Posten er ikke fjernet. Fjern først henvisningerne til den:"
NOT_RESTORED = "Versionen er ikke gendannet:"
NOT_CHECKED = review_forms.NOT_CHECKED
NOT_IMPORTED = "Filen er ikke indlæst, og intet er ændret. Ret dette i filen og prøv igen:"
NO_FILE = "Vælg en fil at indlæse."
OWN_ACCOUNT = "Du kan ikke lukke din egen konto."


# --- helpers -------------------------------------------------------------------


def _store(request: web.Request) -> AnswerStore:
    return request.app[ANSWER_STORE]


def _user(request: web.Request) -> str:
    return staff(request).user.name


def render(request: web.Request, template: str, status: int = 200, **context) -> web.Response:
    notices = [text for flag, text in NOTICES.items() if request.query.get(flag) == "1"]
    context.update(staff=staff(request), messages=notices + context.pop("messages", []), when=danish_time,
                   kinds=KIND_HEADINGS, labels=forms.LABELS, live_waiting=_live_waiting(request))
    return aiohttp_jinja2.render_template(template, request, context, status=status)


def _live_waiting(request: web.Request) -> int:
    """How many residents wait for a staff member in the live chat (the menu says so)."""
    return sum(chat.status == WAITING for chat in _store(request).live_chats.open_chats())


def _stored(request: web.Request) -> StoredEntry:
    try:
        return _store(request).entries.get(request.match_info["id"])
    except NotFound:
        raise web.HTTPNotFound() from None


def _kind(kind: Optional[str]) -> str:
    if kind not in KINDS:
        raise web.HTTPNotFound()
    return kind


def query_number(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _problem_items(problems: Sequence[Problem], entry_ids: Sequence[Optional[str]]) -> List[dict]:
    """The problem summary: each problem in a sentence, linked to its field or entry."""
    items = []
    for problem in problems:
        field = forms.field_of(problem, entry_ids)
        if field:
            href = f"#felt-{field}"
        elif problem.entry and ID_PATTERN.match(problem.entry):
            href = f"/admin/entries/{problem.entry}"
        else:
            href = None
        items.append({"text": forms.describe_problem(problem, entry_ids), "href": href})
    return items


# --- the entry form --------------------------------------------------------------


def _choices(store: AnswerStore, entry_id: Optional[str], values: dict) -> Dict[str, list]:
    """What the contact list and the checkbox lists offer: the other active
    entries, plus anything chosen that is not among them (so nothing is
    dropped without anyone seeing it)."""
    active = [s for s in store.entries.all(include_retired=False) if s.id != entry_id]
    known = {s.id for s in active}

    def of_kind(kind: Optional[str], chosen: Sequence[str] = ()) -> list:
        return ([(s.id, s.name) for s in active if s.kind == kind]
                + [(item, item) for item in chosen if item and item not in known])

    related = [{"heading": KIND_HEADINGS[kind], "options": of_kind(kind)} for kind in KINDS]
    related.append({"heading": "Andre", "options": of_kind(None, values["related"])})
    return {
        "contact": of_kind("contact", [values["contact"]]),
        "related": [group for group in related if group["options"]],
        "work_areas": of_kind("work_area", values["work_areas"]),
    }


def _conflict(store: AnswerStore, entry_id: str, base_version: int, error: EditConflict, typed: bool = True) -> dict:
    """What to say when someone else saved the entry first, and what they changed.

    ``typed``: the page keeps what this staff member typed (a save), rather
    than showing the newest version (a retire)."""
    versions = {v.version: v for v in store.entries.history(entry_id)}
    newest = store.entries.get(entry_id)
    before = versions.get(base_version)
    if typed:
        title, message = CONFLICT_SAVE, str(error)
    else:
        title = CONFLICT_RETIRE
        message = (f"Posten er blevet ændret af {error.changed_by} ({danish_time(error.changed_at)}), mens du så på "
                   "den. Herunder ser du den nyeste udgave. Fjern den igen, hvis det stadig er rigtigt.")
    return {"title": title, "message": message, "typed": typed, "version": newest.version,
            "retired": newest.retired, "changes": forms.changed_fields(before.data if before else None, newest.data)}


def _newest_active_version(store: AnswerStore, stored: StoredEntry) -> Optional[int]:
    if not stored.retired:
        return None
    return next((v.version for v in store.entries.history(stored.id) if not v.retired), None)


def _entry_page(request: web.Request, kind: str, values: dict, stored: Optional[StoredEntry] = None,
                version: Optional[int] = None, problems: Sequence[Problem] = (), items: Optional[List[dict]] = None,
                alert: str = NOT_SAVED, preview: Optional[Preview] = None, conflict: Optional[dict] = None,
                status: int = 200, messages: Sequence[str] = ()) -> web.Response:
    """The entry form. ``problems`` are shown at the top and by their fields;
    ``items``, when given, is the list at the top instead."""
    store = _store(request)
    entry_ids = [stored.id if stored else None, values["id"].strip() or None]
    entry = stored.entry if stored else None
    return render(
        request, "admin/entry.html", status=status, section="svar",
        kind=kind, stored=stored, values=values, version=version,
        review=review_forms.entry_review(store, stored) if stored and not stored.retired else None,
        review_months=review_forms.months_text(review_forms.review_months(store, kind)),
        owners=store.review_dates.owners(),
        readability={name: translation_forms.readability(values[name]) for name in translation_forms.LIX_FIELDS},
        lix_texts={"easy": translation_forms.LIX_EASY, "hard": translation_forms.LIX_HARD,
                   "limit": translation_forms.LIX_LIMIT},
        translations=translation_forms.rows(entry) if entry else [],
        untranslated=translation_forms.missing(entry) if entry else [],
        intent=stored.data.get("intent") if stored else None,
        restore_version=_newest_active_version(store, stored) if stored else None,
        choices=_choices(store, stored.id if stored else None, values),
        errors=forms.field_problems(problems, entry_ids),
        problems=items if items is not None else _problem_items(problems, entry_ids),
        alert=alert, preview=preview, conflict=conflict, messages=list(messages),
    )


def _preview_page(show, store: AnswerStore, data: dict, entry_id: Optional[str]) -> web.Response:
    try:
        return show(preview=preview_reply(store.entries, data, entry_id))
    except KnowledgeError as error:
        return show(problems=error.problems, alert=NO_PREVIEW, status=400)


async def new_entry(request: web.Request) -> web.Response:
    # ?question=...: an answer to a question from the inbox, its text filled in.
    question = request.query.get("question", "").strip()
    values = forms.values_for_question(question) if question else forms.empty_values()
    return _entry_page(request, _kind(request.query.get("kind")), values)


async def create_entry(request: web.Request) -> web.Response:
    post = await request.post()
    kind = _kind(post.get("kind"))
    values = forms.values_from_post(post)
    data = forms.data_from_values(values, kind)
    show = partial(_entry_page, request, kind, values)
    store = _store(request)
    if post.get("action") == "preview":
        return _preview_page(show, store, data, None)
    try:
        stored = store.entries.create(data, _user(request))
    except KnowledgeError as error:
        return show(problems=error.problems, status=400)
    raise web.HTTPSeeOther(f"/admin/entries/{stored.id}?oprettet=1")


def entry_page(request: web.Request, stored: StoredEntry, **context) -> web.Response:
    """The entry's page as stored, with ``context`` (``items`` and ``alert``: a list at the top; ``status``)."""
    return _entry_page(request, stored.kind, forms.values_from_data(stored.data), stored, stored.version, **context)


async def edit_entry(request: web.Request) -> web.Response:
    stored = _stored(request)
    checked = request.query.get("tjekket") == "1"
    return entry_page(request, stored,
                      messages=review_forms.checked_notice(_store(request), stored.id) if checked else [])


async def save_entry(request: web.Request) -> web.Response:
    stored = _stored(request)
    post = await request.post()
    values = {**forms.values_from_post(post), "id": stored.id}
    data = forms.data_from_values(values, stored.kind, stored.data.get("intent"), before=stored.data)
    version = query_number(post.get("version"))
    show = partial(_entry_page, request, stored.kind, values, stored, version)
    store = _store(request)
    if post.get("action") == "preview":
        return _preview_page(show, store, data, stored.id)
    try:
        store.entries.update(stored.id, data, version, _user(request))
    except KnowledgeError as error:
        return show(problems=error.problems, status=400)
    except EditConflict as error:
        return show(conflict=_conflict(store, stored.id, version, error), status=409)
    raise web.HTTPSeeOther(f"/admin/entries/{stored.id}?gemt=1")


async def retire_entry(request: web.Request) -> web.Response:
    stored = _stored(request)
    post = await request.post()
    store = _store(request)
    try:
        store.entries.retire(stored.id, query_number(post.get("version")), _user(request))
    except (KnowledgeError, EditConflict) as error:
        newest = store.entries.get(stored.id)
        show = partial(_entry_page, request, newest.kind, forms.values_from_data(newest.data), newest,
                       newest.version)
        if isinstance(error, EditConflict):
            conflict = _conflict(store, stored.id, query_number(post.get("version")), error, typed=False)
            return show(conflict=conflict, status=409)
        return show(items=_references(store, error.problems, stored.id), alert=NOT_RETIRED, status=400)
    raise web.HTTPSeeOther(f"/admin/entries/{stored.id}?fjernet=1")


def _references(store: AnswerStore, problems: Sequence[Problem], entry_id: str) -> List[dict]:
    """Why an entry cannot be retired, said as "X refers to it" (linked to X)
    rather than as the dangling reference the check found."""
    names = {s.id: s.name for s in store.entries.all()}
    items = _problem_items(problems, [entry_id])
    for item, problem in zip(items, problems):
        if problem.entry in names and problem.entry != entry_id and problem.field:
            label = forms.LABELS.get(problem.field.split(".")[0], problem.field)
            item["text"] = f"{names[problem.entry]} henviser til posten under »{label}«."
    return items


# --- "Stadig rigtigt" ------------------------------------------------------------


async def mark_checked(request: web.Request) -> web.Response:
    """"Stadig rigtigt" from the front page or the entry's page: the entry is checked
    without changing its text, and the page it came from says when it is due next."""
    stored = _stored(request)
    post = await request.post()
    back = str(post.get("tilbage", ""))
    store = _store(request)
    try:
        store.entries.mark_checked(stored.id, query_number(post.get("version")), _user(request))
    except EditConflict as error:
        items = [{"text": review_forms.conflict_text(store, stored.name, error),
                  "href": f"/admin/entries/{stored.id}"}]
        return _not_checked(request, back, items, status=409)
    except KnowledgeError as error:
        items = [{"text": problem.message, "href": None} for problem in error.problems]
        return _not_checked(request, back, items, status=400)
    raise web.HTTPSeeOther(review_forms.back_to(back, stored.id))


def _not_checked(request: web.Request, back: str, items: List[dict], status: int) -> web.Response:
    """The page "Stadig rigtigt" came from, as it is now, with why nothing was checked at the top."""
    if back in review_forms.BACK:
        return _index_page(request, problems=items, status=status, show_all=back == "forside-alle")
    return entry_page(request, _stored(request), items=items, alert=NOT_CHECKED, status=status)


# --- history ---------------------------------------------------------------------


def _history_page(request: web.Request, stored: StoredEntry, problems: Sequence[Problem] = (),
                  conflict: Optional[str] = None, status: int = 200) -> web.Response:
    versions = _store(request).entries.history(stored.id)
    rows = []
    for position, version in enumerate(versions):
        before = versions[position + 1] if position + 1 < len(versions) else None
        rows.append({
            "version": version,
            "action": VERSION_ACTIONS.get(version.action, version.action),
            "changes": forms.changed_fields(before.data if before else None, version.data),
            "fields": forms.display_fields(version.data),
            "first": before is None,
            "can_restore": version.version != stored.version and not version.retired,
        })
    return render(request, "admin/history.html", status=status, section="svar", stored=stored, rows=rows,
                   problems=_problem_items(problems, [stored.id]), alert=NOT_RESTORED, conflict=conflict)


async def history(request: web.Request) -> web.Response:
    return _history_page(request, _stored(request))


async def restore(request: web.Request) -> web.Response:
    stored = _stored(request)
    post = await request.post()
    store = _store(request)
    try:
        store.entries.restore(stored.id, query_number(post.get("to_version")), query_number(post.get("version")),
                              _user(request))
    except KnowledgeError as error:
        return _history_page(request, store.entries.get(stored.id), problems=error.problems, status=400)
    except EditConflict as error:
        return _history_page(request, store.entries.get(stored.id), conflict=str(error), status=409)
    raise web.HTTPSeeOther(f"/admin/entries/{stored.id}?gendannet=1")


# --- index -----------------------------------------------------------------------


async def index(request: web.Request) -> web.Response:
    checked = review_forms.checked_notice(_store(request), request.query.get("tjekket", ""))
    return _index_page(request, messages=checked, show_all=request.query.get("tjek") == "alle")


def _index_page(request: web.Request, problems: Sequence[dict] = (), messages: Sequence[str] = (),
                show_all: bool = False, status: int = 200) -> web.Response:
    """All answers by kind; above them, unless searching, "Skal tjekkes" (``show_all``: every entry
    due, not the first few of each list). ``problems``: why "Stadig rigtigt" did nothing."""
    query = request.query.get("q", "").strip()
    store = _store(request)
    found = store.entries.search(query) if query else store.entries.all()
    groups = [{"kind": kind, "heading": KIND_HEADINGS[kind],
               "entries": [s for s in found if s.kind == kind and not s.retired]} for kind in KINDS]
    due = None if query else review_forms.due_lists(store, _user(request), show_all)
    return render(request, "admin/index.html", status=status, section="svar", q=query, groups=groups,
                   found=len(found), retired=[s for s in found if s.retired], due=due,
                   problems=list(problems), alert=NOT_CHECKED, messages=list(messages))


# --- export and import -------------------------------------------------------------


async def exchange(request: web.Request) -> web.Response:
    return render(request, "admin/exchange.html", section="exchange")


async def import_entries(request: web.Request) -> web.Response:
    upload = (await request.post()).get("file")
    content = upload.file.read() if isinstance(upload, web.FileField) else b""
    problems: List[Problem] = [Problem("filen", None, None, NO_FILE)] if not content else []
    counts = None
    if not problems:
        try:
            counts = import_yaml(_store(request).entries, content, _user(request))
        except KnowledgeError as error:
            problems = error.problems
    return render(request, "admin/exchange.html", status=400 if problems else 200, section="exchange",
                   counts=counts, problems=_problem_items(problems, []), alert=NOT_IMPORTED)


# --- staff accounts and the audit log (administrators only) --------------------------


def _users_page(request: web.Request, error: Optional[str] = None, name: str = "", is_admin: bool = False,
                status: int = 200) -> web.Response:
    return render(request, "admin/users.html", status=status, section="users", users=_store(request).staff.list(),
                   error=error, name=name, is_admin=is_admin)


async def users(request: web.Request) -> web.Response:
    require_admin(request)
    return _users_page(request)


async def add_user(request: web.Request) -> web.Response:
    require_admin(request)
    post = await request.post()
    name, is_admin = str(post.get("name", "")).strip(), bool(post.get("is_admin"))
    try:
        _store(request).staff.add(name, str(post.get("password", "")), is_admin, by=_user(request))
    except StaffError as error:
        return _users_page(request, str(error), name, is_admin, status=400)
    raise web.HTTPSeeOther("/admin/users?tilfoejet=1")


async def set_user_active(request: web.Request) -> web.Response:
    require_admin(request)
    post = await request.post()
    name, active = request.match_info["name"], post.get("active") == "1"
    try:
        if name == _user(request) and not active:
            raise StaffError(OWN_ACCOUNT)
        _store(request).staff.set_active(name, active, by=_user(request))
    except StaffError as error:
        return _users_page(request, str(error), status=400)
    raise web.HTTPSeeOther("/admin/users?konto=1")


async def audit_log(request: web.Request) -> web.Response:
    require_admin(request)
    records = audit.recent(_store(request).engine)
    return render(request, "admin/audit.html", section="audit", records=records, actions=AUDIT_ACTIONS)
