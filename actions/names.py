"""Slot, entity and action names shared by the actions (one place each)."""
SLOT_SUBJECT = "subject"
SLOT_SUBJECT_LIST = "subject_list"

# Entity types whose values name an answer-data entry.
THING_ENTITIES = ("entry", "initiative", "organisation", "housing_area", "topic")
ENTITY_ORDINAL = "ordinal"
ENTITY_CONTACT_ATTRIBUTE = "contact_attribute"

ACTION_ANSWER = "action_answer"
ACTION_FALLBACK = "action_fallback"
