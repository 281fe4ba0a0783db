"""Searching the answer data when the model is unsure."""
import pytest

from actions.fallback import fallback_reply
from bot.knowledge import KnowledgeBase
from bot.knowledge.schema import Entry

NEW_ENTRY = Entry(
    id="lektiecafe",
    kind="initiative",
    name="Lektiecaféen",
    aliases=["lektiecafe"],
    summary="Lektiecaféen giver skolebørn hjælp til matematik og dansk om eftermiddagen.",
    source="test",
)


@pytest.fixture(scope="module")
def kb_with_new_entry(kb):
    return KnowledgeBase([*kb.entries.values(), NEW_ENTRY])


@pytest.mark.parametrize("question", ["lektiecafeen?", "hvad er lektiecaféen", "hjælp til matematik for skolebørn"])
def test_a_new_entry_is_found_by_name_and_description_without_retraining(kb_with_new_entry, question):
    reply = fallback_reply(kb_with_new_entry, question, model_unsure=True)
    assert reply.text.startswith("Lektiecaféen giver skolebørn")


@pytest.mark.parametrize(
    "question, entry_id",
    [("kan min søn få en mentor", "mentorindsats"), ("hvornår mødes forummet", "boligsocialt_forum")],
)
def test_clear_best_match_is_answered(kb, question, entry_id):
    reply = fallback_reply(kb, question, model_unsure=True)
    assert reply.subject == entry_id


def test_several_plausible_matches_are_offered_as_buttons(kb):
    reply = fallback_reply(kb, "hvor mange gange om året mødes de", model_unsure=True)
    assert "Mente du" in reply.text
    assert {"bestyrelsen", "boligsocialt_forum"} <= {b.entry_id for b in reply.buttons}


@pytest.mark.parametrize(
    "question", ["hvad bliver vejret i morgen", "hvad er den bedste kebab i køge", "hvor er genbrugspladsen", "asdfgh"]
)
def test_nothing_good_enough_gets_the_honest_answer(kb, question):
    reply = fallback_reply(kb, question, model_unsure=True)
    assert "Det kan jeg desværre ikke hjælpe med" in reply.text and "56 67 67 67" in reply.text


def test_search_is_not_used_when_the_model_is_sure_it_is_out_of_scope(kb):
    reply = fallback_reply(kb, "hvor mange gange om året mødes de", model_unsure=False)
    assert "Det kan jeg desværre ikke hjælpe med" in reply.text


def test_an_entry_added_after_training_is_answered_even_where_the_model_is_sure_it_is_outside(kb_with_new_entry, kb):
    # The model learnt "lektiecafé" as outside the plan; staff have since added one.
    reply = fallback_reply(kb_with_new_entry, "hvad er lektiecaféen", model_unsure=False)
    assert reply.text.startswith("Lektiecaféen giver skolebørn")
    # A name the model was trained on still does not turn an outside question into its description.
    assert "Det kan jeg desværre ikke hjælpe med" in fallback_reply(kb, "jobplaneten hvem vandt kampen",
                                                                     model_unsure=False).text
