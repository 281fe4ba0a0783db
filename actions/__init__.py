"""Rasa custom actions. Thin: they read the tracker, ask ``bot.knowledge``,
and turn its ``Reply`` into messages and slot events, in the conversation's
language (``actions/language.py``)."""
