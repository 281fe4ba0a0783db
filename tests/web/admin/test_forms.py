"""The entry form's conversions: stored data <-> form values <-> posted form."""
from multidict import MultiDict

from bot.knowledge.model import Problem
from bot.web.admin import forms

CONTACT = {
    "id": "rikke_willesen", "kind": "contact", "name": "Rikke Willesen", "aliases": ["rikke", "willesen"],
    "title": "Specialkonsulent", "summary": "Rikke er specialkonsulent.", "phone": "30 54 83 43",
    "email": "rikke.willesen@koege.dk", "related": ["bestyrelsen", "boligsocialt_forum"],
    "fallback_contact": True, "ends": "2025-08-31", "source": "Afsnittet \"Vil du vide mere?\"",
}


def posted(values: dict) -> MultiDict:
    """What a browser sends for the form showing ``values``."""
    form = MultiDict()
    for name, value in values.items():
        if isinstance(value, list):
            for item in value:
                form.add(name, item)
        elif value is True:
            form.add(name, "1")
        elif value is not False:
            form.add(name, value)
    return form


def test_stored_data_survives_the_form_both_ways():
    values = forms.values_from_data(CONTACT)
    assert values["aliases"] == "rikke\nwillesen"
    assert values["related"] == ["bestyrelsen", "boligsocialt_forum"]
    assert values["fallback_contact"] is True and values["details"] == ""
    assert forms.data_from_values(forms.values_from_post(posted(values)), "contact") == CONTACT


def test_intent_and_kind_come_from_the_stored_entry_not_the_form():
    data = forms.data_from_values(forms.values_from_post(posted({"kind": "faq", "intent": "x", "name": "A"})),
                                  "plan", intent="ask_plan")
    assert data["kind"] == "plan" and data["intent"] == "ask_plan"


def test_empty_optional_fields_are_left_out():
    values = forms.values_from_post(posted({"id": "a_b", "name": "  Navn ", "url": "  ", "details": "",
                                            "aliases": "\n \n", "contact": ""}))
    assert forms.data_from_values(values, "faq") == {"kind": "faq", "id": "a_b", "name": "Navn"}


def test_typed_text_is_kept_exactly_until_it_is_converted():
    values = forms.values_from_post(posted({"summary": "  <b>hej</b>\r\n", "aliases": "a\r\nb\r\n\r\na"}))
    assert values["summary"] == "  <b>hej</b>\r\n"
    assert values["aliases"] == "a\nb\n\na"
    assert forms.data_from_values(values, "faq")["aliases"] == ["a", "b"]


def test_ticked_ids_keep_their_saved_order_and_new_ones_follow():
    values = forms.values_from_post(posted({"related": ["c", "a", "b", "a"]}))
    assert forms.data_from_values(values, "plan")["related"] == ["c", "a", "b"]
    data = forms.data_from_values(values, "plan", before={"related": ["b", "x", "a"]})
    assert data["related"] == ["b", "a", "c"]


def test_files_and_other_odd_values_in_the_post_are_ignored():
    form = MultiDict([("name", object()), ("related", object()), ("related", "a")])
    values = forms.values_from_post(form)
    assert values["name"] == "" and values["related"] == ["a"]


def test_problems_belong_to_the_field_they_are_about():
    problems = [
        Problem("svardata", "jobplaneten", "summary", "Feltet skal udfyldes."),
        Problem("svardata", "jobplaneten", "related.1", "Posten 'x' findes ikke."),
        Problem("svardata", "ny post", "id", "Feltet skal udfyldes."),
        Problem("svardata", "beskaeftigelse", "related", "Posten 'jobplaneten' findes ikke."),
        Problem("contacts", None, "fallback_contact", "Der skal være præcis én standardkontakt."),
        Problem("svardata", "jobplaneten", None, "Posten kan ikke læses."),
    ]
    assert forms.field_problems(problems, ["jobplaneten"]) == {
        "summary": ["Feltet skal udfyldes."], "related": ["Posten 'x' findes ikke."],
        "id": ["Feltet skal udfyldes."], "fallback_contact": ["Der skal være præcis én standardkontakt."],
    }
    assert [forms.describe_problem(p, ["jobplaneten"]) for p in problems] == [
        "Kort svar: Feltet skal udfyldes.",
        "Relaterede poster: Posten 'x' findes ikke.",
        "Id: Feltet skal udfyldes.",
        "Posten 'beskaeftigelse', Relaterede poster: Posten 'jobplaneten' findes ikke.",
        "Standardkontakt: Der skal være præcis én standardkontakt.",
        "Posten kan ikke læses.",
    ]


def test_changed_fields_are_named_in_danish():
    after = {**CONTACT, "summary": "Ny.", "hours": "Man-fre 9-15"}
    after.pop("ends")
    assert forms.changed_fields(CONTACT, after) == ["Kort svar", "Åbningstider", "Slutdato"]
    assert forms.changed_fields(None, CONTACT) == []
    assert forms.changed_fields(CONTACT, dict(CONTACT)) == []


def test_a_versions_fields_read_as_danish_labels_and_text():
    shown = dict(forms.display_fields(CONTACT))
    assert shown["Navn"] == "Rikke Willesen"
    assert shown["Andre navne, borgerne bruger"] == "rikke, willesen"
    assert shown["Standardkontakt"] == "Ja"
    assert "Mere om emnet" not in shown
