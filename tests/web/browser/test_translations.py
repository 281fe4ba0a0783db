"""A staff member adds an English translation to an entry in the admin, in
Chromium; the LIX beside the Danish text follows the typing.

Runs against the shared stack (Rasa server, action server and web app on one
answer store), so the entry is put back as it was at the end.
"""
from playwright.sync_api import Page, expect

from bot.language.lix import lix
from tests.senders import new_sender_id
from tests.web.browser.conftest import run_axe

ENTRY = "jobplaneten"
ENGLISH = "Jobplaneten helps young people find a job or an education, with several offers for the young."
HARD_DANISH = ("Beskæftigelsesindsatsens helhedsorienterede kompetenceudviklingsforløb understøtter "
               "arbejdsmarkedsparathed gennem individualiserede opkvalificeringsaktiviteter.")
# The page's LIX (admin-lix.js) must give the server's (bot/language/lix.py) figures.
SAMPLES = [
    HARD_DANISH,
    "Ring til os. Vi hjælper dig!",
    "Læs mere på https://bosj.dk/helhedsplan eller skriv til raadhus@koege.dk, fx om job.",
    "Ring på tlf. 56 67 67 67: så hjælper vi. Det er gratis\nOg du kan komme forbi.",
    "Væresteder for unge: lektiecafé, fritidsjob-hjælp og sommer-aktiviteter i Søparken's gård?",
    "",
]


def log_in(page: Page, name: str, password: str) -> None:
    page.get_by_label("Brugernavn").fill(name)
    page.get_by_label("Adgangskode").fill(password)
    page.get_by_role("button", name="Log ind").click()


def test_a_staff_member_adds_an_english_translation_and_sees_the_lix_while_typing(stack, stack_store, web,
                                                                                 new_page):
    name = new_sender_id("oversaetter")
    password = f"adgangskode-til-{name}"
    stack_store.staff.add(name, password)
    original = stack_store.entries.get(ENTRY)
    try:
        # The seed's English translation taken away first: this one is written in the admin.
        if "en" in (original.data.get("translations") or {}):
            stack_store.entries.remove_translation(ENTRY, "en", original.version, "test")
        start = stack_store.entries.get(ENTRY)
        page = new_page(web + f"/admin/entries/{ENTRY}")
        log_in(page, name, password)
        expect(page.get_by_role("heading", level=1)).to_have_text("Jobplaneten")

        # The LIX under "Mere om emnet" changes as the text is typed, before anything is saved.
        for text in SAMPLES:
            assert round(page.evaluate("(text) => window.koegeLix(text)", text), 9) == round(lix(text), 9), text
        note = page.locator("#lix-details")
        expect(note).to_be_hidden()
        page.get_by_label("Mere om emnet").fill(HARD_DANISH)
        expect(note).to_have_text(f"Teksten er svær at læse (LIX {round(lix(HARD_DANISH))}). "
                                  "Brug korte sætninger og almindelige ord.")
        page.get_by_label("Mere om emnet").fill("")
        expect(note).to_be_hidden()
        assert stack_store.entries.get(ENTRY).version == start.version

        # Oversættelser: add one in English.
        translations = page.get_by_role("region", name="Oversættelser")
        expect(translations.get_by_role("article", name="Engelsk (English)")).to_have_count(0)
        translations.get_by_role("link", name="Engelsk (English)").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Oversættelse til engelsk (English): Jobplaneten")
        expect(page.get_by_role("region", name="Den danske tekst")).to_contain_text(start.data["summary"])
        page.get_by_label("Navn").fill("The Job Planet")
        page.get_by_label("Kort svar").fill(ENGLISH)
        page.get_by_role("button", name="Gem oversættelsen").click()

        expect(page.get_by_role("status")).to_have_text(
            "Oversættelsen er gemt. Borgere, der skriver på sproget, får den med det samme.")
        english = page.get_by_role("article", name="Engelsk (English)")
        expect(english).to_contain_text("Aktuel")
        expect(english).to_contain_text(f"Tjekket af {name}")
        expect(english).to_contain_text(ENGLISH)
        expect(english.get_by_role("button", name="Stadig rigtig")).to_have_count(0)
        stored = stack_store.entries.get(ENTRY)
        assert stored.version == start.version + 1
        assert stored.data["translations"]["en"]["summary"] == ENGLISH
        assert stored.entry.in_language("en").summary == ENGLISH
        assert stored.data["summary"] == start.data["summary"]  # the Danish as it was

        # The new pages pass axe-core (injected, so this page bypasses the CSP; the one above did not).
        checked = new_page(web + "/admin/fixed-translations", bypass_csp=True)
        log_in(checked, name, password)
        expect(checked.get_by_role("heading", level=1)).to_have_text("Faste oversættelser")
        assert run_axe(checked) == [], "Faste oversættelser"
        for path in (f"/admin/entries/{ENTRY}", f"/admin/entries/{ENTRY}/translations/ar"):
            checked.goto(web + path)
            assert run_axe(checked) == [], path
    finally:
        current = stack_store.entries.get(ENTRY)
        if current.data != original.data or current.retired != original.retired:
            stack_store.entries.restore(ENTRY, original.version, current.version, "test")
        stack_store.staff.set_active(name, False)
