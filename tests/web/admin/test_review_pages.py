""""Skal tjekkes" on the admin's front page, and an entry's owner and review date on
its page, driven as a browser without JavaScript would: read the form on the
page, post it back, follow the redirect."""
import datetime
import re

import pytest

from bot.answer_store import ReviewPeriods, audit
from bot.answer_store.review_dates import SEED_OWNER, add_months
from bot.answer_store.times import danish_today
from bot.web.admin.review_forms import SHOWN_AT_ONCE, long_date, short_date
from tests.web.admin.test_pages import changed, open_form, read_form, submit, text_of, value

TODAY = danish_today()
HOSTILE = '<script>alert("x")</script>'


def set_review(answer_store, entry_id: str, owner: str, due: datetime.date, user: str = "anna", **data) -> None:
    """Give an entry an owner and a review date (and other ``data``), as a staff member's save."""
    stored = answer_store.entries.get(entry_id)
    answer_store.entries.update(entry_id, {**stored.data, **data, "owner": owner, "review_due": due.isoformat()},
                                stored.version, user)


def checked_path(entry_id: str) -> str:
    return f"/admin/entries/{entry_id}/checked"


def due_section(html: str) -> str:
    """The text of "Skal tjekkes" on the front page ('' when it is not there)."""
    found = re.search(r'<section class="due" id="skal-tjekkes".*?</section>', html, re.S)
    return text_of(re.sub(r"</?mark>", "", found.group(0))) if found else ""


def due_ids(html: str, heading: str = None) -> list:
    """The entries "Skal tjekkes" lists, in order; ``heading``: only under "Dine svar" or "Andres svar"."""
    section = re.search(r'<section class="due" id="skal-tjekkes".*?</section>', html, re.S).group(0)
    if heading:
        part = re.search(rf"<h3 [^>]*>{heading} \(\d+\)</h3>(.*?)(?=<h3 |</section>)", section, re.S).group(1)
        section = part
    return re.findall(r'<p class="due-name"><a href="/admin/entries/(\w+)">', section)


async def front_page(who, path: str = "/admin") -> str:
    response = await who.client.get(path)
    assert response.status == 200
    return await response.text()


# --- the list on the front page ----------------------------------------------------------------


async def test_the_front_page_starts_with_skal_tjekkes_and_its_count(staff, answer_store):
    html = await front_page(staff)
    total = len(answer_store.review_dates.due())
    assert total == len(answer_store.entries.all())  # the seed is to be checked at once
    assert f'<h2 id="skal-tjekkes-titel">Skal tjekkes ({total})</h2>' in html
    # Above the search and the answers by kind.
    assert html.index('id="skal-tjekkes"') < html.index('role="search"') < html.index('id="type-plan"')
    counts = answer_store.review_dates.counts()
    assert (f"{counts['overdue']} svar er overskredet, og {counts['due']} skal tjekkes inden for 14 dage."
            in due_section(html))


async def test_the_list_is_oldest_first_and_the_staff_members_own_come_first(staff, answer_store):
    set_review(answer_store, "jobplaneten", "Familieteamet", TODAY - datetime.timedelta(days=30))
    set_review(answer_store, "laes_mere", "Familieteamet", TODAY - datetime.timedelta(days=5))
    set_review(answer_store, "get2sport", "bo", TODAY + datetime.timedelta(days=10))
    set_review(answer_store, "ssp", "BO", TODAY + datetime.timedelta(days=3))  # owner names ignore case
    html = await front_page(staff)
    assert due_ids(html, "Dine svar") == ["ssp", "get2sport"]
    assert "Dine svar (2)" in due_section(html)
    # Then the others, due longest first: a date in the text passed in 2025 (periode), then one
    # passed at the end of 2025 (bestyrelsen: "2021-2025"), then the review dates passed, oldest first.
    assert due_ids(html, "Andres svar")[:4] == ["periode", "bestyrelsen", "jobplaneten", "laes_mere"]
    assert due_ids(html)[:3] == ["ssp", "get2sport", "periode"]


async def test_each_row_has_state_date_owner_last_change_and_reasons(staff, answer_store):
    set_review(answer_store, "jobplaneten", "Familieteamet", TODAY - datetime.timedelta(days=12),
               summary="Jobplaneten hjælper unge med job.")
    section = due_section(await front_page(staff))
    jobplaneten = section[section.index("Jobplaneten Overskredet"):]
    jobplaneten = jobplaneten[:jobplaneten.index("Stadig rigtigt")]
    due = TODAY - datetime.timedelta(days=12)
    assert f"Tjekkes senest: {long_date(due)} (for 12 dage siden) · Ejer: Familieteamet" in jobplaneten
    # The fields in the form's order; the review date, which changed too, is left out beside them.
    when = short_date(TODAY, TODAY)
    short_months = "jan. feb. mar. apr. maj jun. jul. aug. sep. okt. nov. dec.".split()
    assert when == f"{TODAY.day}. {short_months[TODAY.month - 1]}"
    assert f"Seneste ændring: Kort svar og Ejer ændret af anna {when}" in jobplaneten

    periode = section[section.index("Helhedsplanens periode Overskredet"):]
    periode = periode[:periode.index("Stadig rigtigt")]
    assert f"Tjekkes senest: {long_date(TODAY)} (i dag) · Ejer: {SEED_OWNER}" in periode
    assert f"Seneste ændring: Indlæst fra start {when}" in periode
    assert "Slutdatoen 31. august 2025 er gået." in periode
    assert ("Teksten nævner en dato, der er gået: »Helhedsplanen gælder fra 1. september 2021 til "
            "31. august 2025.«") in periode
    html = await front_page(staff)
    assert "til <mark>31. august 2025</mark>.«" in html  # the passed date marked in the quoted sentence
    # The state is written out, not told by colour alone.
    assert re.search(r'<span class="due-state due">Skal tjekkes snart</span>', html)
    assert re.search(r'<span class="due-state overdue">Overskredet</span>', html)


async def test_a_long_list_shows_the_oldest_and_links_to_all(staff, answer_store):
    total = len(answer_store.review_dates.due())
    assert total > SHOWN_AT_ONCE
    html = await front_page(staff)
    assert len(due_ids(html)) == SHOWN_AT_ONCE
    assert f'<a href="/admin?tjek=alle#skal-tjekkes">Vis alle {total} svar, der skal tjekkes</a>' in html
    every = await front_page(staff, "/admin?tjek=alle")
    assert len(due_ids(every)) == total
    assert 'href="/admin#skal-tjekkes">Vis kun dem, der har ventet længst</a>' in every
    assert value(read_form(every, checked_path("jobplaneten")), "tilbage") == "forside-alle"


async def test_the_list_is_not_shown_while_searching(staff):
    html = await front_page(staff, "/admin?q=jobplaneten")
    assert 'id="skal-tjekkes"' not in html and 'href="/admin/entries/jobplaneten"' in html


async def test_nothing_to_check_says_so(staff, answer_store):
    for stored in answer_store.entries.all():
        answer_store.entries.mark_checked(stored.id, stored.version, "anna")
    # What is left names a passed date in its text: only a new text puts that right.
    for item in answer_store.review_dates.due():
        stored = answer_store.entries.get(item.id)
        data = {k: v for k, v in stored.data.items() if k not in ("ends", "details", "hours", "title")}
        answer_store.entries.update(item.id, {**data, "summary": "Tekst uden datoer."},
                                    stored.version, "anna")
    html = await front_page(staff)
    assert '<h2 id="skal-tjekkes-titel">Skal tjekkes (0)</h2>' in html
    assert "Der er ingen svar, der skal tjekkes lige nu." in due_section(html)
    assert "Stadig rigtigt" not in due_section(html)


# --- "Stadig rigtigt" -----------------------------------------------------------------------------


async def test_still_right_on_the_front_page_checks_the_entry_and_says_when_next(staff, admin, answer_store):
    set_review(answer_store, "jobplaneten", "bo", TODAY)
    before = answer_store.entries.get("jobplaneten")
    html = await front_page(staff)
    assert due_ids(html, "Dine svar") == ["jobplaneten"]
    form = read_form(html, checked_path("jobplaneten"))
    assert value(form, "version") == str(before.version) and value(form, "tilbage") == "forside"
    assert value(form, "csrf_token") == staff.csrf

    response = await staff.client.post(checked_path("jobplaneten"), data=form, allow_redirects=False)
    assert response.status == 303 and response.headers["Location"] == "/admin?tjekket=jobplaneten"
    after = await front_page(staff, response.headers["Location"])
    next_check = add_months(TODAY, 6)
    assert (f'<p class="notice" role="status">»Jobplaneten« er markeret som tjekket. '
            f"Næste tjek: {long_date(next_check)}.</p>") in after
    assert "jobplaneten" not in due_ids(after) and "Dine svar (0)" in due_section(after)

    stored = answer_store.entries.get("jobplaneten")
    assert stored.version == before.version + 1 and stored.updated_by == "bo"
    assert stored.data == {**before.data, "review_due": next_check.isoformat()}  # the text as it was
    history = text_of(await (await staff.client.get("/admin/entries/jobplaneten/history")).text())
    assert re.search(rf"{stored.version} \(nu\) \d\d\.\d\d\.\d{{4}} kl\. \d\d:\d\d bo Tjekket: stadig rigtigt "
                     r"Tjekkes senest ", history)
    log = text_of(await (await admin.client.get("/admin/audit")).text())
    assert (f"bo Tjekkede posten (Stadig rigtigt) jobplaneten version {stored.version}, "
            f"næste tjek senest {next_check:%d.%m.%Y}") in log
    record = audit.recent(answer_store.engine)[0]
    assert (record.user_name, record.action, record.entry_id) == ("bo", "entry_checked", "jobplaneten")


async def test_still_right_from_the_list_of_all_goes_back_to_it(staff, answer_store):
    form = read_form(await front_page(staff, "/admin?tjek=alle"), checked_path("soeparken"))
    response = await staff.client.post(checked_path("soeparken"), data=form, allow_redirects=False)
    assert response.headers["Location"] == "/admin?tjek=alle&tjekket=soeparken"


async def test_an_entry_whose_text_names_a_passed_date_stays_on_the_list(staff, answer_store):
    form = read_form(await front_page(staff), checked_path("periode"))
    response = await staff.client.post(checked_path("periode"), data=form)
    html = await response.text()
    assert "»Helhedsplanens periode« er markeret som tjekket." in html
    assert "Teksten nævner stadig en dato, der er gået, så svaret står stadig under »Skal tjekkes«." in html
    assert due_ids(html)[0] == "periode"


async def test_still_right_on_an_old_version_is_refused_in_danish(staff, admin, answer_store):
    form = read_form(await front_page(staff), checked_path("periode"))
    fields = await open_form(admin.client, "/admin/entries/periode")
    assert (await submit(admin.client, "/admin/entries/periode", changed(fields, source="Ny kilde"))).status == 303
    version = answer_store.entries.get("periode").version

    response = await staff.client.post(checked_path("periode"), data=form)
    html = await response.text()
    assert response.status == 409
    alert = text_of(html[html.index('<div class="problems" role="alert"'):])
    assert "Posten er ikke markeret som tjekket" in alert
    assert ("»Helhedsplanens periode« er ikke markeret som tjekket: anna har ændret posten" in alert
            and "Se den nyeste udgave, og tryk »Stadig rigtigt« igen, hvis svaret stadig er rigtigt." in alert)
    assert answer_store.entries.get("periode").version == version
    # The list now holds the newest version: pressing again works.
    again = read_form(html, checked_path("periode"))
    assert value(again, "version") == str(version)
    assert (await staff.client.post(checked_path("periode"), data=again, allow_redirects=False)).status == 303


async def test_still_right_after_a_colleague_checked_it_says_so(staff, admin, answer_store):
    form = read_form(await front_page(staff), checked_path("periode"))
    answer_store.entries.mark_checked("periode", 1, "anna")
    response = await staff.client.post(checked_path("periode"), data=form)
    assert response.status == 409
    assert "»Helhedsplanens periode« er allerede markeret som tjekket af anna" in text_of(await response.text())


async def test_still_right_for_a_retired_or_unknown_entry(staff, answer_store):
    answer_store.entries.retire("laes_mere", 1, "anna")
    response = await staff.client.post(checked_path("laes_mere"), data={
        "csrf_token": staff.csrf, "version": "2", "tilbage": "post"})
    html = await response.text()
    assert response.status == 400
    assert "Posten er ikke markeret som tjekket" in html and "Posten er fjernet og skal ikke tjekkes." in html
    response = await staff.client.post(checked_path("findes_ikke"), data={"csrf_token": staff.csrf, "version": "1"})
    assert response.status == 404


async def test_still_right_needs_the_csrf_token(staff, answer_store):
    form = read_form(await front_page(staff), checked_path("periode"))
    response = await staff.client.post(checked_path("periode"), data=[(n, v) for n, v in form if n != "csrf_token"])
    assert response.status == 403
    assert answer_store.entries.get("periode").version == 1


@pytest.mark.parametrize("back, location", [
    ("https://example.com/", "/admin/entries/periode?tjekket=1"),
    ("//example.com", "/admin/entries/periode?tjekket=1"),
    ("forside", "/admin?tjekket=periode"),
])
async def test_still_right_goes_back_only_to_the_admins_own_pages(staff, back, location):
    response = await staff.client.post(checked_path("periode"), allow_redirects=False, data={
        "csrf_token": staff.csrf, "version": "1", "tilbage": back})
    assert response.headers["Location"] == location


async def test_the_notice_is_read_from_the_store_not_the_address(staff):
    html = await front_page(staff, f"/admin?tjekket={HOSTILE}")
    assert 'class="notice"' not in html and "<script>" not in html
    html = await front_page(staff, "/admin?tjekket=findes_ikke")
    assert 'class="notice"' not in html


# --- the entry page ---------------------------------------------------------------------------------


async def test_the_entry_page_shows_owner_and_review_date_with_the_kinds_period(staff, answer_store):
    answer_store.entries.periods = ReviewPeriods(6, (("contact", 3),))
    html = await (await staff.client.get("/admin/entries/koege_kommune")).text()
    assert '<label for="felt-owner">Ejer</label>' in html
    assert '<label for="felt-review_due">Tjekkes senest</label>' in html
    assert f'name="owner" type="text" value="{SEED_OWNER}"' in html and 'list="ejere"' in html
    assert f'name="review_due" type="date" value="{TODAY.isoformat()}"' in html
    owners = re.search(r'<datalist id="ejere">(.*?)</datalist>', html, re.S).group(1)
    assert re.findall(r'<option value="([^"]*)">', owners) == ["anna", "bo", SEED_OWNER]
    assert "Når du retter teksten, rykkes datoen 3 måneder frem." in html
    assert "skal tjekkes igen om 3 måneder." in text_of(html)
    jobplaneten = await (await staff.client.get("/admin/entries/jobplaneten")).text()
    assert "Når du retter teksten, rykkes datoen 6 måneder frem." in jobplaneten


async def test_the_entry_page_says_whether_it_is_due_and_why(staff, answer_store):
    box = text_of(re.search(r'<section class="review-box.*?</section>',
                            await (await staff.client.get("/admin/entries/periode")).text(), re.S).group(0))
    assert f"Overskredet Tjekkes senest: {long_date(TODAY)} (i dag). Ejer: {SEED_OWNER}." in box
    assert "Slutdatoen 31. august 2025 er gået." in box and "»Helhedsplanen gælder fra" in box
    assert "Derfor siger assistenten til borgerne, at noget måske er ændret." in box

    set_review(answer_store, "jobplaneten", "bo", TODAY + datetime.timedelta(days=100))
    html = await (await staff.client.get("/admin/entries/jobplaneten")).text()
    box = text_of(re.search(r'<section class="review-box.*?</section>', html, re.S).group(0))
    assert "Overskredet" not in box and "Skal tjekkes snart" not in box and "Derfor" not in box
    assert f"Tjekkes senest: {long_date(TODAY + datetime.timedelta(days=100))} (om 100 dage). Ejer: bo." in box


async def test_still_right_on_the_entry_page_returns_to_it(staff, answer_store):
    html = await (await staff.client.get("/admin/entries/jobplaneten")).text()
    form = read_form(html, checked_path("jobplaneten"))
    assert value(form, "tilbage") == "post" and value(form, "version") == "1"
    response = await staff.client.post(checked_path("jobplaneten"), data=form, allow_redirects=False)
    assert response.headers["Location"] == "/admin/entries/jobplaneten?tjekket=1"
    html = await (await staff.client.get(response.headers["Location"])).text()
    assert f"»Jobplaneten« er markeret som tjekket. Næste tjek: {long_date(add_months(TODAY, 6))}." in html
    # The edit form shows the new version and the new date.
    form = read_form(html, "/admin/entries/jobplaneten")
    assert value(form, "version") == "2" and value(form, "review_due") == add_months(TODAY, 6).isoformat()


async def test_still_right_on_an_old_entry_page_is_refused_there(staff, admin, answer_store):
    form = read_form(await (await staff.client.get("/admin/entries/jobplaneten")).text(), checked_path("jobplaneten"))
    answer_store.entries.mark_checked("jobplaneten", 1, "anna")
    response = await staff.client.post(checked_path("jobplaneten"), data=form)
    html = await response.text()
    assert response.status == 409 and "<h1>Jobplaneten</h1>" in html
    assert "Posten er ikke markeret som tjekket" in html and "allerede markeret som tjekket af anna" in html


async def test_owner_and_review_date_are_set_in_the_form(staff, answer_store):
    fields = await open_form(staff.client, "/admin/entries/jobplaneten")
    response = await submit(staff.client, "/admin/entries/jobplaneten",
                            changed(fields, owner=" Familieteamet ", review_due="2027-03-01"))
    assert response.status == 303
    stored = answer_store.entries.get("jobplaneten")
    assert (stored.data["owner"], stored.data["review_due"]) == ("Familieteamet", "2027-03-01")
    # A new text with the date left as shown: the date moves a period on.
    fields = await open_form(staff.client, "/admin/entries/jobplaneten")
    await submit(staff.client, "/admin/entries/jobplaneten", changed(fields, summary="Ny tekst om Jobplaneten."))
    assert answer_store.entries.get("jobplaneten").data["review_due"] == add_months(TODAY, 6).isoformat()
    assert "Familieteamet" in await (await staff.client.get("/admin/entries/laes_mere")).text()  # in the datalist


@pytest.mark.parametrize("field, typed, message", [
    ("review_due", "næste år", "Skal være en dato som 2025-08-31."),
    ("owner", "x" * 81, "Teksten er for lang: 81 tegn, højst 80."),
])
async def test_a_bad_owner_or_date_is_shown_by_its_field(staff, answer_store, field, typed, message):
    fields = await open_form(staff.client, "/admin/entries/jobplaneten")
    response = await submit(staff.client, "/admin/entries/jobplaneten", changed(fields, **{field: typed}))
    html = await response.text()
    assert response.status == 400
    assert re.search(rf'<p class="field-error" id="fejl-{field}">.*{re.escape(message)}', html)
    assert f'href="#felt-{field}"' in html
    assert value(read_form(html, "/admin/entries/jobplaneten"), field) == typed
    assert answer_store.entries.get("jobplaneten").version == 1


async def test_a_new_entry_without_an_owner_is_owned_by_its_author(staff, answer_store):
    fields = await open_form(staff.client, "/admin/entries/new?kind=faq")
    assert value(fields, "owner") == "" and value(fields, "review_due") == ""
    html = await (await staff.client.get("/admin/entries/new?kind=faq")).text()
    assert "Står feltet tomt, bliver du ejer." in html and "Står feltet tomt, bliver det om 6 måneder." in html
    assert 'id="tjek-titel"' not in html  # nothing to check yet
    response = await submit(staff.client, "/admin/entries/new", changed(
        fields, id="vaskeri", name="Vaskeriet", summary="Vaskeriet er åbent hver dag.", source="Opslag"))
    assert response.status == 303
    stored = answer_store.entries.get("vaskeri")
    assert (stored.data["owner"], stored.data["review_due"]) == ("bo", add_months(TODAY, 6).isoformat())


async def test_a_retired_entry_has_no_still_right(staff, answer_store):
    answer_store.entries.retire("laes_mere", 1, "anna")
    html = await (await staff.client.get("/admin/entries/laes_mere")).text()
    assert checked_path("laes_mere") not in html


# --- escaping ---------------------------------------------------------------------------------------------


async def test_a_hostile_owner_or_name_is_shown_as_text(staff, answer_store):
    set_review(answer_store, "jobplaneten", HOSTILE, TODAY - datetime.timedelta(days=1), name=HOSTILE)
    for path in ("/admin", "/admin/entries/jobplaneten", "/admin/entries/laes_mere",
                 "/admin/entries/jobplaneten/history"):
        html = await (await staff.client.get(path)).text()
        assert "<script>" not in html, path
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html, path
    html = await front_page(staff)
    assert f"Ejer: {HOSTILE}" in due_section(html).replace("&lt;", "<").replace("&gt;", ">").replace("&#34;", '"')
    form = read_form(html, checked_path("jobplaneten"))
    response = await staff.client.post(checked_path("jobplaneten"), data=form)
    html = await response.text()
    assert "<script>" not in html
    assert "»&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;« er markeret som tjekket." in html


@pytest.mark.parametrize("path", ["/admin", "/admin?tjek=alle", "/admin/entries/periode",
                                  "/admin/entries/new?kind=faq"])
async def test_the_pages_need_no_script_or_inline_style(staff, path):
    html = await (await staff.client.get(path)).text()
    assert "style=" not in html
    assert re.sub(r'<script src="/admin/static/[\w-]+\.js" defer></script>', "", html).count("<script") == 0
