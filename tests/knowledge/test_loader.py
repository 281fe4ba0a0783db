"""Loading and validating answer data: errors name file, entry and field."""
import shutil
import textwrap

import pytest

from bot.knowledge import KnowledgeError, load_directory
from tests.conftest import KNOWLEDGE_DIR


@pytest.fixture
def data_dir(tmp_path):
    target = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, target)
    return target


def write(path, text):
    path.write_text(textwrap.dedent(text), encoding="utf-8")


def test_seed_data_loads_every_kind(kb):
    kinds = {entry.kind for entry in kb.entries.values()}
    assert kinds == {"plan", "work_area", "initiative", "housing_area", "contact", "faq", "referral"}
    assert kb.fallback_contact.id == "koege_kommune"


@pytest.mark.parametrize(
    "initiative",
    ["jobplaneten", "faelles_fremtid", "koege_kvindenetvaerk", "sundhed_trivsel", "mentorindsats",
     "get2sport", "faglige_forloeb", "familiecenteret", "sundhedsplejen", "daginstitutioner", "sfo",
     "ssp", "politiet"],
)
def test_every_initiative_on_the_page_has_an_entry(kb, initiative):
    entry = kb.get(initiative)
    assert entry is not None and entry.kind == "initiative"
    assert entry.source


def test_contact_facts_are_exactly_as_on_the_page(kb):
    rikke = kb.get("rikke_willesen")
    assert (rikke.title, rikke.phone, rikke.email) == ("Specialkonsulent", "30 54 83 43", "rikke.willesen@koege.dk")
    kommune = kb.get("koege_kommune")
    assert (kommune.phone, kommune.email, kommune.address) == ("56 67 67 67", "raadhus@koege.dk", "Torvet 1, 4600 Køge")


BAD_ENTRIES = [
    ("phone: 1234", "phone", "8 cifre"),
    ("email: ikke-en-mail", "email", "E-mailadressen"),
    ("url: http://bosj.dk", "url", "https://"),
    ("url: javascript:alert(1)", "url", "https://"),
    ("colour: red", "colour", "Ukendt felt"),
    ("contact: findes_ikke", "contact", "findes ikke"),
    ("related: [findes_ikke]", "related", "findes ikke"),
]


@pytest.mark.parametrize("line, field, message", BAD_ENTRIES)
def test_a_bad_field_is_reported_with_file_entry_and_field(data_dir, line, field, message):
    write(
        data_dir / "extra.yml",
        f"""\
        kind: initiative
        entries:
          - id: ny_indsats
            name: Ny indsats
            summary: En ny indsats.
            source: test
            {line}
        """,
    )
    with pytest.raises(KnowledgeError) as caught:
        load_directory(data_dir)
    problem = caught.value.problems[0]
    assert (problem.file, problem.entry) == ("extra.yml", "ny_indsats")
    assert problem.field.startswith(field)
    assert message in problem.message
    assert "extra.yml" in str(caught.value) and "ny_indsats" in str(caught.value)


def test_a_missing_required_field_is_named(data_dir):
    write(data_dir / "extra.yml", "kind: faq\nentries:\n  - id: uden_svar\n    name: X\n    source: test\n")
    with pytest.raises(KnowledgeError) as caught:
        load_directory(data_dir)
    assert [(p.entry, p.field, p.message) for p in caught.value.problems] == [
        ("uden_svar", "summary", "Feltet skal udfyldes.")
    ]


def test_duplicate_ids_are_refused(data_dir):
    write(data_dir / "extra.yml", "kind: faq\nentries:\n  - id: ssp\n    name: X\n    summary: Y\n    source: t\n")
    with pytest.raises(KnowledgeError, match="bruges allerede"):
        load_directory(data_dir)


@pytest.mark.parametrize("content", ["kind: faq\nentries: [\n", "bare tekst", "\x00\x01binær", "entries: 5"])
def test_broken_files_give_an_error_not_a_crash(data_dir, content):
    (data_dir / "broken.yml").write_text(content, encoding="utf-8")
    with pytest.raises(KnowledgeError) as caught:
        load_directory(data_dir)
    assert caught.value.problems[0].file == "broken.yml"


def test_html_is_kept_as_plain_text(data_dir):
    write(
        data_dir / "extra.yml",
        "kind: faq\nentries:\n  - id: html\n    name: '<b>x</b>'\n    summary: '<script>alert(1)</script>'\n    source: t\n",
    )
    assert load_directory(data_dir).get("html").summary == "<script>alert(1)</script>"


def test_an_empty_field_is_reported_in_danish(data_dir):
    write(data_dir / "extra.yml", "kind: faq\nentries:\n  - id: tom\n    name:\n    summary: Y\n    source: t\n")
    with pytest.raises(KnowledgeError) as caught:
        load_directory(data_dir)
    assert [(p.field, p.message) for p in caught.value.problems] == [("name", "Feltet må ikke være tomt.")]


def test_the_fallback_contact_needs_a_phone(data_dir):
    path = data_dir / "contacts.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("    phone: 56 67 67 67\n", ""), encoding="utf-8")
    with pytest.raises(KnowledgeError, match="Standardkontakten skal have et telefonnummer"):
        load_directory(data_dir)
